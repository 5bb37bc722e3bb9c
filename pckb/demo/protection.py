"""Protection demo: fictional key targets in Cần Thơ and TP.HCM (some Mật, some without coordinates), each
with a risk assessment — some due again, one with a history of two assessments, a few never assessed.
Dates are counted back from today, so "overdue" stays true whenever the demo is loaded.

Two protected events: a past visit of a (fictional) working delegation of the Centre to Cần Thơ, with its
itinerary, tasks done, daily status lines and after-action note; and an upcoming (fictional) international
delegation in TP.HCM with its itinerary and agency tasks, some due within days."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pckb.core.choices import Classification
from pckb.demo.names import NameGenerator
from pckb.directory.models import Agency, Person
from pckb.geo.models import AdministrativeUnit
from pckb.protection.choices import RISK_FACTORS, ActionStatus, EventKind, PlanStatus, TaskStatus
from pckb.protection.choices import ProtectionLevel as P
from pckb.protection.defaults import categories_ensure
from pckb.protection.models import (
    EventStatus,
    EventStop,
    EventTask,
    Finding,
    Inspection,
    PlanFile,
    ProtectedEvent,
    ProtectionPlan,
    RiskAssessment,
    Target,
    TargetCategory,
)

M, N = Classification.CONFIDENTIAL, Classification.NORMAL
CT, HCM = "thành phố Cần Thơ", "Thành phố Hồ Chí Minh"

# name, category, commune code, classification, level, (lat, lon) or None, managing agency (name, province)
# or a free name, layout notes, assessments as (days ago, ratings of the five factors)
TARGETS = [
    (
        "Trụ sở Ủy ban nhân dân phường Ninh Kiều",
        "co-quan-dang-nha-nuoc",
        "X31135",
        N,
        P.IMPORTANT,
        (10.03412, 105.78795),
        "Ủy ban nhân dân phường Ninh Kiều",
        "Cổng chính hướng đường Hòa Bình; cổng phụ phía sau dành cho xe công vụ.",
        [(120, (3, 3, 2, 2, 2))],
    ),
    (
        "Trung tâm dữ liệu tỉnh Tây Đô",
        "vien-thong-du-lieu",
        "X31135",
        M,
        P.SPECIAL,
        (10.02975, 105.77841),
        ("Sở Khoa học và Công nghệ", CT),
        "Phòng máy chủ tầng 3, một lối vào có kiểm soát thẻ; máy phát điện dự phòng ở tầng hầm.",
        [(60, (5, 3, 1, 3, 3))],
    ),
    (
        "Trung tâm thương mại Ninh Kiều Plaza",
        "trung-tam-thuong-mai",
        "X31135",
        N,
        P.ORDINARY,
        None,
        "Công ty cổ phần Thương mại Tây Đô",
        "",
        [(430, (2, 2, 5, 3, 2))],
    ),
    (
        "Cảng hàng không quốc tế Cần Thơ",
        "cang-hang-khong",
        "X31168",
        M,
        P.SPECIAL,
        (10.08512, 105.71176),
        ("Cảng hàng không", CT),
        "Nhà ga hành khách hai tầng; khu vực cách ly phía tây; trạm kiểm soát an ninh soi chiếu ở cửa số 2.",
        [(200, (5, 4, 4, 4, 3))],
    ),
    (
        "Kho xăng dầu Trà Nóc",
        "nang-luong",
        "X31168",
        M,
        P.IMPORTANT,
        (10.10561, 105.70934),
        "Công ty Xăng dầu Tây Nam Bộ",
        "Khu bồn chứa phía bắc; cầu cảng xuất nhập phía sông Hậu; tường rào hai lớp.",
        [(500, (4, 2, 1, 4, 2)), (30, (4, 2, 1, 4, 3))],
    ),
    (
        "Chợ nổi Cái Răng",
        "cho",
        "X31186",
        N,
        P.ORDINARY,
        None,
        "Ban quản lý chợ nổi Cái Răng",
        "",
        [(400, (2, 4, 4, 2, 2))],
    ),
    (
        "Nhà máy nước Cái Khế",
        "cap-nuoc",
        "X31120",
        M,
        P.IMPORTANT,
        (10.04620, 105.78390),
        "Công ty cổ phần Cấp thoát nước Cần Thơ",
        "Trạm bơm nước thô bên sông; khu xử lý và bể chứa nước sạch có tường rào riêng.",
        [(100, (4, 2, 1, 3, 2))],
    ),
    (
        "Bệnh viện Đa khoa Cái Khế",
        "benh-vien",
        "X31120",
        N,
        P.ORDINARY,
        (10.04377, 105.78204),
        ("Sở Y tế", CT),
        "",
        [],
    ),
    (
        "Nhà ga quốc tế Cảng hàng không Tân Sơn Nhất",
        "cang-hang-khong",
        "X26968",
        M,
        P.SPECIAL,
        (10.81763, 106.65843),
        ("Cảng hàng không", HCM),
        "Sảnh đến tầng 1, sảnh đi tầng 2; khu vực hạn chế sau điểm soi chiếu.",
        [(90, (5, 5, 5, 5, 3))],
    ),
    (
        "Chợ Bến Thành",
        "cho",
        "X26743",
        N,
        P.IMPORTANT,
        (10.77248, 106.69803),
        "Ban quản lý chợ Bến Thành",
        "",
        [(420, (3, 5, 5, 3, 3))],
    ),
    (
        "Nhà thi đấu Phú Thọ",
        "san-van-dong",
        "X27226",
        N,
        P.IMPORTANT,
        None,
        ("Sở Văn hóa, Thể thao và Du lịch", HCM),
        "",
        [(150, (3, 3, 4, 3, 2))],
    ),
    (
        "Cảng container Hiệp Phước",
        "cang-bien",
        "X27658",
        M,
        P.IMPORTANT,
        (10.63560, 106.76610),
        "Công ty cổ phần Cảng Hiệp Phước",
        "Cổng cảng số 1 và số 2; bãi container phía nam; khu hàng nguy hiểm tách riêng.",
        [(380, (4, 2, 2, 4, 2))],
    ),
    (
        "Nhà ga metro Bến Thành",
        "nha-ga-ben-xe",
        "X26743",
        N,
        P.IMPORTANT,
        None,
        "Công ty Đường sắt đô thị số 1",
        "",
        [],
    ),
]


def ensure(ctx: dict) -> int:
    """Build the protection demo once: targets (an install that has targets keeps them), then the events
    (likewise). Returns targets added."""
    added = _targets_ensure()
    events_ensure()
    plans_ensure()
    inspections_ensure()
    return added


def _targets_ensure() -> int:
    if Target.objects.exists():
        return 0
    today = timezone.localdate()
    generator, taken = NameGenerator(seed=2026), set(Person.objects.values_list("full_name", flat=True))

    def names() -> str:
        """A fictional name that is nobody's in the directory (free text is not a directory reference)."""
        name = generator()
        while name in taken:
            name = generator()
        taken.add(name)
        return name

    categories_ensure()  # a flushed test database has lost the migration's categories
    categories = {c.code: c for c in TargetCategory.objects.all()}
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in={t[2] for t in TARGETS})}
    police = {
        "P92": Agency.objects.filter(name=f"Công an {CT}").first(),
        "P79": Agency.objects.filter(name=f"Công an {HCM}").first(),
    }
    for name, category, code, classification, level, location, managing, notes, assessments in TARGETS:
        unit = units[code]
        province = "P92" if unit.path.startswith("/VN/92/") else "P79"
        managing_agency, managing_name = None, managing
        if isinstance(managing, tuple):
            managing_agency = Agency.objects.filter(name=f"{managing[0]} {managing[1]}").first()
            managing_name = "" if managing_agency else f"{managing[0]} {managing[1]}"
        target = Target(
            name=name,
            category=categories[category],
            unit=unit,
            classification=classification,
            protection_level=level,
            latitude=location[0] if location else None,
            longitude=location[1] if location else None,
            managing_agency=managing_agency,
            managing_name=managing_name,
            protecting_agency=police[province],
            address=unit.name,
            layout_notes=notes,
        )
        target.full_clean()
        target.save()
        police_name = "TP. Cần Thơ" if province == "P92" else "TP. Hồ Chí Minh"
        for days_ago, ratings in assessments:
            assessed = today - dt.timedelta(days=days_ago)
            assessment = RiskAssessment(
                target=target,
                assessed_on=assessed,
                assessor=f"Thiếu tá {names()}, Phòng An ninh nội địa",
                approved_by_position=f"Phó Giám đốc Công an {police_name}",
                approved_by_name=names(),
                approved_on=assessed + dt.timedelta(days=3) if days_ago > 3 else assessed,
                **dict(zip(RISK_FACTORS, ratings, strict=True)),
                notes="Duy trì lực lượng bảo vệ thường xuyên; rà soát phương án khi có sự kiện lớn.",
            )
            assessment.full_clean()
            assessment.save()
    return len(TARGETS)


# --- Protected events ----------------------------------------------------------------------------------
def _agency(name: str, province: str) -> Agency | None:
    return Agency.objects.filter(name=f"{name} {province}").first()


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def events_ensure() -> int:
    """The two demo events (an install that has events keeps them). Returns events added."""
    if ProtectedEvent.objects.exists():
        return 0
    today = timezone.localdate()
    units = {
        u.code: u for u in AdministrativeUnit.objects.filter(code__in=["P92", "P79", "X31135", "X26743"])
    }
    targets = {t.name: t for t in Target.objects.all()}
    added = 0
    police_ct, police_hcm = _agency("Công an", CT), _agency("Công an", HCM)
    if police_ct is not None:
        added += _past_visit(today, units, targets, police_ct)
    if police_hcm is not None:
        added += _upcoming_international(today, units, targets, police_hcm)
    return added


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _past_visit(today, units, targets, police) -> int:
    first = today - dt.timedelta(days=40)
    second = first + dt.timedelta(days=1)
    event = _save(
        ProtectedEvent(
            kind=EventKind.CENTRAL,
            title="Đoàn công tác Trung ương làm việc tại thành phố Cần Thơ (thử nghiệm)",
            start=_at(first, 7, 30),
            end=_at(second, 17, 0),
            unit=units["P92"],
            lead_agency=police,
            summary=(
                "Đoàn công tác của Ban Chỉ đạo Trung ương (giả định) kiểm tra công tác phòng thủ dân sự và "
                "làm việc với Ủy ban nhân dân thành phố; khoảng 25 thành viên, 6 xe."
            ),
            after_action=(
                "Bảo vệ tuyệt đối an toàn đoàn trong hai ngày; không xảy ra tình huống phức tạp. Phân luồng "
                "giao thông tại cầu Cái Răng còn ùn ứ 10 phút lúc 16 giờ ngày thứ hai: lần sau bố trí thêm "
                "một tổ cảnh sát giao thông tại nút giao Quốc lộ 1. Kiến nghị Sở Y tế duy trì kíp cấp cứu "
                "đi theo đoàn như lần này."
            ),
        )
    )
    stops = [
        (_at(first, 7, 30), "Cảng hàng không quốc tế Cần Thơ", "", None, "Đón đoàn tại nhà ga hành khách"),
        (
            _at(first, 9, 0),
            "Trụ sở Ủy ban nhân dân phường Ninh Kiều",
            "",
            None,
            "Làm việc với lãnh đạo phường",
        ),
        (
            _at(first, 14, 0),
            None,
            "Hội trường Ủy ban nhân dân thành phố Cần Thơ",
            "X31135",
            "Làm việc với Ban Chỉ đạo thành phố",
        ),
        (_at(second, 6, 0), "Chợ nổi Cái Răng", "", None, "Khảo sát thực tế"),
        (_at(second, 15, 30), "Cảng hàng không quốc tế Cần Thơ", "", None, "Tiễn đoàn"),
    ]
    _stops(event, stops, targets, units)
    tasks = [
        (police, "Chủ trì xây dựng phương án bảo vệ; dẫn đường, bảo vệ đoàn suốt lịch trình.", -45),
        (
            _agency("Sở Y tế", CT),
            "Bố trí kíp cấp cứu và xe cứu thương đi theo đoàn; bệnh viện tuyến trên trực sẵn sàng.",
            -43,
        ),
        (_agency("Sở Xây dựng", CT), "Kiểm tra an toàn hội trường, cầu tàu tại chợ nổi Cái Răng.", -42),
        (_agency("Sở Ngoại vụ", CT), "Phối hợp chuẩn bị lễ tân, nơi ăn nghỉ của đoàn.", -42),
    ]
    for agency, text, due in tasks:
        if agency is not None:
            _save(
                EventTask(
                    event=event,
                    agency=agency,
                    task=text,
                    due=today + dt.timedelta(days=due),
                    status=TaskStatus.DONE,
                    progress_note="Đã hoàn thành đúng hạn.",
                )
            )
    lines = [
        (first, police, "Bố trí 4 tổ bảo vệ cơ động, 2 tổ dẫn đường; tình hình an ninh trật tự ổn định."),
        (first, _agency("Sở Y tế", CT), "Kíp cấp cứu trực theo đoàn; không có trường hợp phải cấp cứu."),
        (second, police, "Bảo vệ an toàn tại chợ nổi và tiễn đoàn; ùn ứ ngắn tại cầu Cái Răng lúc 16 giờ."),
        (second, _agency("Sở Y tế", CT), "Kíp cấp cứu trực đến khi đoàn lên máy bay; bình thường."),
    ]
    for day, agency, text in lines:
        if agency is not None:
            _save(EventStatus(event=event, day=day, agency=agency, text=text))
    return 1


def _upcoming_international(today, units, targets, police) -> int:
    first = today + dt.timedelta(days=12)
    event = _save(
        ProtectedEvent(
            kind=EventKind.INTERNATIONAL,
            title="Đoàn khách quốc tế dự Diễn đàn hợp tác đô thị thông minh (thử nghiệm)",
            start=_at(first, 8, 0),
            end=_at(first + dt.timedelta(days=2), 12, 0),
            unit=units["P79"],
            lead_agency=police,
            summary=(
                "Đoàn đại biểu của một tổ chức quốc tế (giả định) dự diễn đàn và thăm một số công trình; "
                "khoảng 40 đại biểu quốc tế và 120 đại biểu trong nước."
            ),
        )
    )
    stops = [
        (_at(first, 8, 0), "Nhà ga quốc tế Cảng hàng không Tân Sơn Nhất", "", None, "Đón đoàn"),
        (
            _at(first, 14, 0),
            None,
            "Trung tâm hội nghị thử nghiệm Bến Thành",
            "X26743",
            "Khai mạc diễn đàn",
        ),
        (
            _at(first + dt.timedelta(days=1), 9, 0),
            "Nhà ga metro Bến Thành",
            "",
            None,
            "Thăm tuyến metro số 1",
        ),
        (_at(first + dt.timedelta(days=1), 15, 0), "Chợ Bến Thành", "", None, "Tham quan"),
        (
            _at(first + dt.timedelta(days=2), 10, 30),
            "Nhà ga quốc tế Cảng hàng không Tân Sơn Nhất",
            "",
            None,
            "Tiễn đoàn",
        ),
    ]
    _stops(event, stops, targets, units)
    tasks = [
        (police, "Chủ trì phương án bảo vệ; khảo sát các điểm đến cùng ban tổ chức.", -2, TaskStatus.DOING),
        (
            _agency("Sở Ngoại vụ", HCM),
            "Gửi danh sách đoàn và lịch trình chính thức cho Công an thành phố.",
            2,
            TaskStatus.TODO,
        ),
        (_agency("Sở Y tế", HCM), "Bố trí kíp cấp cứu tại hội trường và đi theo đoàn.", 9, TaskStatus.TODO),
        (
            _agency("Sở Văn hóa, Thể thao và Du lịch", HCM),
            "Phối hợp ban quản lý chợ Bến Thành bố trí lối đi riêng cho đoàn.",
            10,
            TaskStatus.TODO,
        ),
        (
            _agency("Sở Xây dựng", HCM),
            "Kiểm tra an toàn kết cấu hội trường, hệ thống phòng cháy.",
            1,
            TaskStatus.DONE,
        ),
    ]
    for agency, text, due, status in tasks:
        if agency is not None:
            _save(
                EventTask(
                    event=event, agency=agency, task=text, due=today + dt.timedelta(days=due), status=status
                )
            )
    return 1


def _stops(event, stops, targets, units) -> None:
    for time, target_name, place, place_unit, activity in stops:
        target = targets.get(target_name) if target_name else None
        if target_name and target is None:
            continue  # the target is not in this install's register
        _save(
            EventStop(
                event=event,
                time=time,
                target=target,
                place=place,
                place_unit=units.get(place_unit) if place_unit else None,
                activity=activity,
            )
        )


# --- Protection plans and inspections ---------------------------------------------------------------------
PLAN_TEXT = {
    "purpose": (
        "Bảo đảm tuyệt đối an toàn mục tiêu, người và tài sản; chủ động phát hiện, ngăn chặn mọi hành vi "
        "xâm nhập, phá hoại; sẵn sàng xử lý ban đầu khi có tình huống."
    ),
    "forces": (
        "Công an phường: 01 tổ tuần tra (04 đồng chí).\n"
        "Lực lượng bảo vệ chuyên trách của đơn vị quản lý: 06 người/ca, trực 24/24 giờ.\n"
        "Lực lượng dự bị: 01 tổ cơ động của Công an thành phố khi có yêu cầu."
    ),
    "assignments": (
        "Công an thành phố chủ trì, hướng dẫn, kiểm tra việc thực hiện phương án.\n"
        "Đơn vị quản lý mục tiêu bố trí lực lượng bảo vệ, kiểm soát ra vào, duy trì hệ thống camera.\n"
        "Ủy ban nhân dân phường phối hợp tuyên truyền, vận động Nhân dân khu vực xung quanh."
    ),
    "initial_response": (
        "Khi có tình huống: báo ngay Công an phường và Cơ quan Thường trực Ban Chỉ đạo; "
        "tổ chức sơ tán người khỏi khu vực nguy hiểm; bảo vệ hiện trường; "
        "phối hợp lực lượng y tế cấp cứu người bị nạn; chờ lực lượng chức năng xử lý."
    ),
}


def _plan(title, *, target=None, event=None, approved_days_ago, review_in, **extra) -> ProtectionPlan:
    today = timezone.localdate()
    approved = today - dt.timedelta(days=approved_days_ago)
    plan = ProtectionPlan(title=title, target=target, event=event, **{**PLAN_TEXT, **extra})
    plan.full_clean()
    plan.status = PlanStatus.APPROVED
    plan.approved_at = _at(approved, 9, 0)
    plan.approved_by = "Trưởng Ban Chỉ đạo (demo) Lâm Văn Duyệt"
    plan.review_date = today + dt.timedelta(days=review_in)
    plan.issued_on = plan.issued_on or approved
    plan.save()
    return plan


def _layout_docx(title: str) -> bytes:
    """A one-page sketch note (a real DOCX, so the download opens)."""
    import io

    from docx import Document

    doc = Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph("Sơ đồ bố trí lực lượng (tài liệu thử nghiệm, không có giá trị sử dụng).")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def plans_ensure() -> int:
    """Approved protection plans of two Cần Thơ targets (one Mật, past its review date, with a file) and of
    the upcoming international event (an install that has plans keeps them). Returns plans added."""
    from django.core.files.base import ContentFile

    if ProtectionPlan.objects.exists():
        return 0
    targets = {t.name: t for t in Target.objects.all()}
    added = 0
    hospital = targets.get("Bệnh viện Đa khoa Cái Khế")
    if hospital is not None:
        _plan(
            "Phương án bảo vệ Bệnh viện Đa khoa Cái Khế",
            target=hospital,
            approved_days_ago=90,
            review_in=275,
            number="08/PA-BCĐ",
            issuer_parent="UBND THÀNH PHỐ CẦN THƠ",
            place="Cần Thơ",
            signer_authority="TM. BAN CHỈ ĐẠO",
            signer_title="PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
            signer_name="Lâm Văn Duyệt",
        )
        added += 1
    water = targets.get("Nhà máy nước Cái Khế")
    if water is not None:
        plan = _plan(
            "Phương án bảo vệ Nhà máy nước Cái Khế",
            target=water,
            approved_days_ago=380,
            review_in=-15,
            number="03/PA-BCĐ",
            issuer_parent="UBND THÀNH PHỐ CẦN THƠ",
            place="Cần Thơ",
        )
        PlanFile.objects.create(
            plan=plan,
            title="Sơ đồ bố trí lực lượng bảo vệ nhà máy nước",
            file=ContentFile(_layout_docx("Nhà máy nước Cái Khế"), name="so-do-bo-tri-nha-may-nuoc.docx"),
        )
        added += 1
    event = ProtectedEvent.objects.filter(kind=EventKind.INTERNATIONAL).order_by("start").first()
    if event is not None:
        _plan(
            "Phương án bảo vệ Đoàn khách quốc tế dự Diễn đàn hợp tác đô thị thông minh",
            event=event,
            approved_days_ago=2,
            review_in=30,
            number="27/PA-BCĐ",
            issuer_parent="UBND THÀNH PHỐ HỒ CHÍ MINH",
            place="Thành phố Hồ Chí Minh",
            signer_authority="KT. TRƯỞNG BAN",
            signer_title="PHÓ TRƯỞNG BAN",
            signer_name="Trần Minh Phê",
        )
        added += 1
    return added


def inspections_ensure() -> int:
    """An inspection of a Cần Thơ hospital with two findings, one of them overdue (owned by Sở Y tế, whose
    focal point sees it on the start page). Returns inspections added."""
    if Inspection.objects.exists():
        return 0
    today = timezone.localdate()
    hospital = Target.objects.filter(name="Bệnh viện Đa khoa Cái Khế").first()
    police, health = _agency("Công an", CT), _agency("Sở Y tế", CT)
    if hospital is None or police is None or health is None:
        return 0
    day = today - dt.timedelta(days=40)
    inspection = _save(
        Inspection(
            target=hospital,
            date=day,
            inspecting_agency=police,
            participants=(
                "Phó Trưởng phòng An ninh nội địa Công an thành phố (trưởng đoàn); 02 cán bộ Phòng Cảnh sát "
                "PCCC và CNCH; 01 chuyên viên Văn phòng Ban Chỉ đạo."
            ),
            result=(
                "Đơn vị duy trì lực lượng bảo vệ 24/24 giờ, có nội quy ra vào. Còn 02 tồn tại cần khắc phục."
            ),
        )
    )
    _save(
        Finding(
            inspection=inspection,
            description="Phương án sơ tán người bệnh khi có tình huống chưa được diễn tập trong năm.",
            action="Tổ chức diễn tập sơ tán người bệnh khu nội trú, có sự tham gia của Công an phường.",
            owner_agency=health,
            due=today - dt.timedelta(days=10),
            status=ActionStatus.OPEN,
        )
    )
    _save(
        Finding(
            inspection=inspection,
            description="Camera giám sát cổng phụ phía sông không hoạt động.",
            action="Sửa chữa, thay thế camera cổng phụ; kết nối về phòng trực bảo vệ.",
            owner_agency=police,
            due=today + dt.timedelta(days=20),
            status=ActionStatus.IN_PROGRESS,
        )
    )
    return 1
