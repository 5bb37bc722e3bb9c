"""Documents demo: Cần Thơ's incoming and outgoing registers (the national plan and a flash dispatch
received, the city's plan and letters sent), a Mật scenario document, a TP.HCM document (out of Cần Thơ's
scope), and a Cần Thơ committee meeting whose two conclusions were turned into tasks, plus a Mật meeting.
Numbers are fictional (…-DEMO); dates are counted from today."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from pckb.core.choices import Classification
from pckb.directory.choices import CommitteeRole
from pckb.directory.models import Agency, Committee, Position
from pckb.directory.selectors import memberships_on
from pckb.documents.choices import Attendance, Direction, DocumentKind, Urgency
from pckb.documents.models import Conclusion, Document, Meeting, MeetingAttendance, RegisterEntry
from pckb.plans.models import Task

CT = "thành phố Cần Thơ"
#: A received document names its issuer as the paper does (the national committee's record itself is outside
#: a province's scope, so the register keeps the text, not a link).
NATIONAL = "Ban Chỉ đạo PCKB quốc gia"


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def _entry(document, direction, number, day, counterpart, handling=""):
    return _saved(
        RegisterEntry(
            document=document,
            committee=document.committee,
            direction=direction,
            year=day.year,
            number=number,
            entry_date=day,
            counterpart=counterpart,
            handling=handling,
            clerk=f"Văn thư BCĐ {CT}",
        )
    )


def ensure(ctx: dict) -> int:
    """Build the documents demo once. Returns the documents added."""
    if Document.objects.exists():
        return 0
    national = Committee.objects.filter(unit=ctx["vn"], level="national").first()
    can_tho = Committee.objects.filter(unit=ctx["can_tho"]).first()
    hcm = Committee.objects.filter(unit=ctx["hcm"], level="province").first()
    police = Agency.objects.filter(name=f"Công an {CT}").first()
    health = Agency.objects.filter(name=f"Sở Y tế {CT}").first()
    if None in (national, can_tho, hcm, police, health):
        return 0
    today = timezone.localdate()
    year = today.year
    deputy = Position.objects.filter(committee=can_tho, role=CommitteeRole.PERMANENT_DEPUTY).first()
    head = Position.objects.filter(committee=can_tho, role=CommitteeRole.HEAD).first()

    def doc(committee, kind, number, days_ago, subject, **extra):
        return _saved(
            Document(
                committee=committee,
                kind=kind,
                number=number,
                date=today - dt.timedelta(days=days_ago),
                subject=subject,
                **extra,
            )
        )

    jan = dt.date(year, 1, 10) if today >= dt.date(year, 1, 25) else today - dt.timedelta(days=20)
    plan_in = doc(
        can_tho,
        DocumentKind.PLAN,
        "05/KH-BCĐ-DEMO",
        (today - jan).days,
        f"Kế hoạch công tác PCKB năm {year} (triển khai toàn quốc)",
        issuer_name=NATIONAL,
        signer_title="KT. TRƯỞNG BAN — PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
    )
    flash = doc(
        can_tho,
        DocumentKind.DISPATCH,
        "12/CĐ-BCĐ-DEMO",
        6,
        "Về việc tăng cường bảo đảm an ninh, an toàn các sự kiện cuối năm",
        issuer_name=NATIONAL,
        urgency=Urgency.FLASH,
    )
    plan_out = doc(
        can_tho,
        DocumentKind.PLAN,
        "18/KH-BCĐ-DEMO",
        (today - jan).days - 14 if (today - jan).days > 14 else 1,
        f"Kế hoạch thực hiện công tác phòng, chống khủng bố năm {year} trên địa bàn {CT}",
        issuer_committee=can_tho,
        signer_position=head,
        signer_title="TRƯỞNG BAN",
        recipients_text="Ban Chỉ đạo PCKB quốc gia (để báo cáo)\nLưu: VT, VPTT",
    )
    plan_out.recipient_agencies.set([police, health])
    letter = doc(
        can_tho,
        DocumentKind.LETTER,
        "41/BCĐ-VPTT-DEMO",
        3,
        "V/v rà soát cơ số thuốc, trang thiết bị cấp cứu hàng loạt",
        issuer_committee=can_tho,
        signer_position=deputy,
        signer_title="KT. TRƯỞNG BAN — PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
        urgency=Urgency.URGENT,
    )
    letter.recipient_agencies.set([health])
    notice = doc(
        can_tho,
        DocumentKind.NOTICE,
        "25/TB-BCĐ-DEMO",
        12,
        "Thông báo kết luận của Trưởng Ban tại cuộc họp sơ kết công tác phòng, chống khủng bố",
        issuer_committee=can_tho,
        signer_position=deputy,
    )
    notice.recipient_agencies.set([police, health])
    secret = doc(
        can_tho,
        DocumentKind.SCENARIO,
        "03/PA-BCĐ-DEMO",
        40,
        "Phương án bảo đảm an ninh khu vực bến Ninh Kiều dịp lễ hội",
        issuer_committee=can_tho,
        classification=Classification.CONFIDENTIAL,
    )
    hcm_doc = doc(
        hcm,
        DocumentKind.REPORT,
        "77/BC-BCĐ-DEMO",
        9,
        "Báo cáo sơ kết công tác phòng, chống khủng bố 6 tháng tại Thành phố Hồ Chí Minh",
        issuer_committee=hcm,
    )
    _entry(
        plan_in,
        Direction.INCOMING,
        1,
        plan_in.date + dt.timedelta(days=2),
        NATIONAL,
        "Chuyển VPTT tham mưu kế hoạch thực hiện.",
    )
    _entry(
        flash,
        Direction.INCOMING,
        2,
        flash.date,
        NATIONAL,
        "Trình Phó Trưởng ban thường trực; sao gửi Công an thành phố.",
    )
    _entry(plan_out, Direction.OUTGOING, 1, plan_out.date, "Các cơ quan thành viên; BCĐ PCKB quốc gia")
    _entry(notice, Direction.OUTGOING, 2, notice.date, "Các cơ quan thành viên")
    _entry(letter, Direction.OUTGOING, 3, letter.date, f"Sở Y tế {CT}")
    _entry(secret, Direction.OUTGOING, 4, secret.date, f"Công an {CT}")
    _entry(hcm_doc, Direction.OUTGOING, 1, hcm_doc.date, "Ban Chỉ đạo PCKB quốc gia")

    day = today - dt.timedelta(days=14)
    meeting = _saved(
        Meeting(
            committee=can_tho,
            title="Họp Ban Chỉ đạo sơ kết công tác phòng, chống khủng bố 6 tháng",
            date=day,
            venue="Trụ sở Ủy ban nhân dân thành phố Cần Thơ",
            chaired_by="Trưởng Ban Chỉ đạo",
            agenda=(
                "Báo cáo kết quả 6 tháng của Văn phòng Thường trực\n"
                "Ý kiến của các cơ quan thành viên\nKết luận của Trưởng Ban"
            ),
            minutes=(
                "Các cơ quan thành viên báo cáo kết quả thực hiện kế hoạch; Trưởng Ban kết luận hai nội dung."
            ),
            conclusion_document=notice,
        )
    )
    for membership in memberships_on(can_tho, day):
        if membership.person.classification:
            continue
        _saved(
            MeetingAttendance(
                meeting=meeting,
                position=membership.position,
                membership=membership,
                status=Attendance.PRESENT if membership.position.order % 5 else Attendance.EXCUSED,
            )
        )
    conclusions = [
        (1, "Tổ chức diễn tập xử lý tình huống khủng bố tại cảng Cái Cui", police, [health], 45),
        (
            2,
            "Rà soát, bổ sung phương án cấp cứu thảm họa tại các bệnh viện tuyến thành phố",
            health,
            [police],
            -2,
        ),
    ]
    kind = ContentType.objects.get_for_model(Conclusion)
    for number, text, lead, supporting, days in conclusions:
        conclusion = _saved(
            Conclusion(
                meeting=meeting,
                number=number,
                text=text,
                lead_agency=lead,
                deadline=today + dt.timedelta(days=days),
            )
        )
        conclusion.supporting_agencies.set(supporting)
        # As plans.services.task_from_outcome makes them (the demo has no acting user).
        task = _saved(
            Task(
                committee=can_tho,
                title=text,
                lead_agency=lead,
                deadline=conclusion.deadline,
                source_type=kind,
                source_id=conclusion.pk,
                source_label=f"Kết luận {number}, {meeting.title} ngày {day.strftime('%d/%m/%Y')}",
            )
        )
        task.supporting_agencies.set(supporting)
        conclusion.task = task
        conclusion.save(update_fields=["task"])
    secret_meeting = _saved(
        Meeting(
            committee=can_tho,
            title="Họp bàn phương án bảo vệ khu vực bến Ninh Kiều",
            date=today - dt.timedelta(days=30),
            classification=Classification.CONFIDENTIAL,
            agenda="Thông qua phương án bảo vệ",
        )
    )
    _saved(
        Conclusion(
            meeting=secret_meeting,
            number=1,
            text="Bố trí lực lượng chốt chặn tại các lối vào bến Ninh Kiều",
            lead_agency=police,
            deadline=today + dt.timedelta(days=20),
        )
    )
    return 7
