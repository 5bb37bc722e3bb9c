"""Demo of the response module: two approved scenario plans of Cần Thơ (bomb threat at a crowded place;
hostage taking) with phases and steps for the police and the military, one open report with a fictional
reporter's phone number (encrypted) ready to be turned into an incident, and one closed incident of Cần Thơ
(from an earlier report, the bomb-threat plan activated, its log with a correction, the after-action review
and corrective actions). Defensive and administrative content only: who is alerted, who cordons, who
evacuates, who reports — nothing on weapons or explosives. Names, places and decision numbers are
fictional."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pckb.directory.models import Agency, Committee, Position
from pckb.geo.models import AdministrativeUnit
from pckb.protection.models import TargetCategory
from pckb.response.choices import (
    ActionStatus,
    IncidentStatus,
    LogKind,
    PlanStatus,
    ReportChannel,
    ReportStatus,
    ScenarioType,
)
from pckb.response.crypto import encrypt
from pckb.response.models import (
    ChecklistItem,
    CorrectiveAction,
    Incident,
    IncidentLogEntry,
    PlanPhase,
    PlanStep,
    Report,
    ScenarioPlan,
)

CT = "thành phố Cần Thơ"
#: The fictional phone number of the demo reporter (the crawler proves it never appears but for intake).
DEMO_REPORTER_CONTACT = "Người báo tin: chị Lâm Thị Thử, điện thoại 0299 555 0188"

# (phase, [(agency key, position role, action, due minutes, needs ack, escalate after)])
BOMB_THREAT = [
    (
        "Tiếp nhận và báo cáo",
        [
            (
                "police",
                "permanent_deputy",
                "Xác minh tin báo, báo cáo Trưởng ban và Văn phòng Thường trực.",
                5,
                True,
                10,
            ),
            (
                "police",
                "permanent_deputy",
                "Điều lực lượng tuần tra gần nhất đến hiện trường, giữ liên lạc.",
                10,
                True,
                15,
            ),
        ],
    ),
    (
        "Xử lý ban đầu",
        [
            (
                "police",
                "permanent_deputy",
                "Lập vành đai bảo vệ, tổ chức sơ tán người khỏi khu vực theo hướng an toàn.",
                20,
                True,
                15,
            ),
            (
                "military",
                "deputy",
                "Chuẩn bị lực lượng chuyên môn sẵn sàng hỗ trợ theo yêu cầu của người chỉ huy.",
                30,
                True,
                20,
            ),
            (
                "police",
                "permanent_deputy",
                "Phân luồng giao thông, bảo đảm lối vào cho xe cứu thương, cứu hỏa.",
                30,
                False,
                None,
            ),
        ],
    ),
    (
        "Khắc phục và báo cáo",
        [
            (
                "police",
                "permanent_deputy",
                "Báo cáo nhanh kết quả xử lý lên Ban Chỉ đạo cấp trên.",
                120,
                True,
                30,
            ),
        ],
    ),
]
HOSTAGE = [
    (
        "Tiếp nhận và báo cáo",
        [
            (
                "police",
                "permanent_deputy",
                "Xác minh tin báo, báo cáo Trưởng ban, đề nghị chỉ định người chỉ huy.",
                5,
                True,
                10,
            ),
        ],
    ),
    (
        "Xử lý ban đầu",
        [
            (
                "police",
                "permanent_deputy",
                "Phong tỏa khu vực, sơ tán người không liên quan, bố trí tổ đàm phán.",
                15,
                True,
                15,
            ),
            (
                "military",
                "deputy",
                "Bảo vệ các mục tiêu lân cận, sẵn sàng lực lượng hỗ trợ theo lệnh.",
                30,
                True,
                20,
            ),
            (
                "police",
                "permanent_deputy",
                "Thông tin cho người dân qua kênh chính thức, chống tin giả.",
                45,
                False,
                None,
            ),
        ],
    ),
]
PLANS = [
    (
        "Phương án xử lý tình huống đe dọa đánh bom tại nơi tập trung đông người",
        ScenarioType.BOMB_THREAT,
        BOMB_THREAT,
        ("cho", "nha-ga-ben-xe"),
    ),
    ("Phương án xử lý tình huống bắt giữ con tin", ScenarioType.HOSTAGE, HOSTAGE, ()),
]


def ensure(ctx: dict) -> int:
    """Build the response demo once (an install that has plans keeps them; one without an incident gets the
    closed demo incident). Returns plans added."""
    added = _plans_and_report(ctx) if not ScenarioPlan.objects.exists() else 0
    if not Incident.objects.exists():
        _closed_incident(ctx)
    else:  # a demo built before the incident had a point gets it
        Incident.objects.filter(title=INCIDENT_TITLE, latitude__isnull=True).update(
            latitude=INCIDENT_POINT[0], longitude=INCIDENT_POINT[1]
        )
    return added


def _plans_and_report(ctx: dict) -> int:
    committee = (
        Committee.objects.filter(unit=ctx["can_tho"], level="province").first()
        or Committee.objects.filter(unit=ctx["can_tho"]).first()
    )
    if committee is None:
        return 0
    agencies = {
        "police": Agency.objects.filter(name=f"Công an {CT}").first(),
        "military": Agency.objects.filter(name=f"Bộ Chỉ huy Quân sự {CT}").first(),
    }
    seats = list(Position.objects.filter(committee=committee).order_by("order"))
    head = next((p for p in seats if p.role == "head"), None)

    def seat(role, agency):
        """The seat of ``role`` held for ``agency`` (the police director, the military commander)."""
        return next((p for p in seats if p.role == role and p.agency_id == agency.pk), None) or next(
            (p for p in seats if p.role == role), None
        )

    now = timezone.now()
    for title, kind, phases, categories in PLANS:
        plan = ScenarioPlan.objects.create(
            title=title,
            scenario_type=kind,
            committee=committee,
            command_notes=(
                "Trưởng ban chỉ định người chỉ huy theo tính chất, mức độ vụ việc. Khi chưa chỉ định, người "
                "đứng đầu cơ quan, đơn vị, Ủy ban nhân dân nơi xảy ra áp dụng biện pháp ban đầu."
            ),
            status=PlanStatus.APPROVED,
            approved_at=now - dt.timedelta(days=40),
        )
        plan.target_categories.set(TargetCategory.objects.filter(code__in=categories))
        for order, (phase_title, steps) in enumerate(phases, start=1):
            phase = PlanPhase.objects.create(plan=plan, order=order, title=phase_title)
            for n, (agency, role, action, due, ack, escalate) in enumerate(steps, start=1):
                if agencies[agency] is None:
                    continue
                PlanStep.objects.create(
                    phase=phase,
                    order=n,
                    agency=agencies[agency],
                    position=seat(role, agencies[agency]),
                    action=action,
                    due_minutes=due,
                    needs_ack=ack,
                    escalate_after=escalate if ack and head else None,
                    escalate_to=head if ack and escalate else None,
                )
    place = AdministrativeUnit.objects.filter(code="X31135").first()
    Report.objects.create(
        channel=ReportChannel.PHONE,
        received_at=now - dt.timedelta(minutes=12),
        receiving_unit=ctx["can_tho"],
        place_unit=place,
        place_text="Khu vực bến tàu du lịch (địa điểm minh họa)",
        summary=(
            "Người gọi điện báo phát hiện một vali bỏ quên không người trông giữ gần khu vực bến tàu du lịch."
        ),
        assessment="Chưa xác minh; cần lực lượng tại chỗ kiểm tra, sẵn sàng phương án đe dọa đánh bom.",
        reporter_contact_token=encrypt(DEMO_REPORTER_CONTACT),
    )
    return len(PLANS)


INCIDENT_TITLE = "Vật khả nghi tại bến xe trung tâm (diễn tập giả định)"
#: The demo incident's own point (fictional, in phường Ninh Kiều, thành phố Cần Thơ): its map shows it with
#: the demo key targets within a kilometre or so (two of them Mật, so the map proves the clearance rule too).
INCIDENT_POINT = (10.03700, 105.78200)
INCIDENT_LOG = [
    (0, "Tiếp nhận tin báo qua điện thoại; báo Phó Trưởng ban thường trực."),
    (6, "Tổ tuần tra có mặt tại hiện trường, giữ liên lạc với Văn phòng Thường trực."),
    (18, "Lập vành đai bảo vệ bán kính theo phương án; sơ tán hành khách khỏi khu vực nhà chờ."),
    (20, "Phân luồng giao thông trên tuyến đường trước bến xe."),
    (75, "Lực lượng chuyên môn xác định vật khả nghi là hành lý thất lạc; dỡ bỏ vành đai."),
]


def _closed_incident(ctx: dict) -> Incident | None:
    """A closed incident of Cần Thơ: report → incident → bomb-threat plan activated → log → closure →
    after-action review with corrective actions (one overdue, to show the "quá hạn" list)."""
    plan = ScenarioPlan.objects.filter(
        committee__unit=ctx["can_tho"], scenario_type=ScenarioType.BOMB_THREAT, status=PlanStatus.APPROVED
    ).first()
    if plan is None:
        return None
    committee = plan.committee
    opened = (timezone.now() - dt.timedelta(days=21)).replace(hour=8, minute=40, second=0, microsecond=0)
    place = AdministrativeUnit.objects.filter(code="X31135").first()
    report = Report.objects.create(
        channel=ReportChannel.PHONE,
        received_at=opened - dt.timedelta(minutes=4),
        receiving_unit=ctx["can_tho"],
        place_unit=place,
        place_text="Bến xe trung tâm (địa điểm minh họa)",
        summary="Nhân viên bến xe báo có một túi xách không người trông giữ tại khu vực nhà chờ.",
        assessment="Nghi vật khả nghi; áp dụng phương án đe dọa đánh bom.",
        anonymous=True,
        status=ReportStatus.INCIDENT,
        first_forwarded_at=opened - dt.timedelta(minutes=2),
    )
    closed = opened + dt.timedelta(minutes=95)
    incident = Incident.objects.create(
        title=INCIDENT_TITLE,
        committee=committee,
        place_unit=place,
        place_text="Bến xe trung tâm (địa điểm minh họa)",
        latitude=INCIDENT_POINT[0],
        longitude=INCIDENT_POINT[1],
        opened_at=opened,
        status=IncidentStatus.CLOSED,
        commander_title="Phó Trưởng ban thường trực Ban Chỉ đạo",
        commander_name="Trần Văn Minh Họa",
        commander_decision="07/QĐ-BCĐ (số hư cấu)",
        measures="a,b,c,dd",
        closed_at=closed,
        closure_summary=(
            "Vật khả nghi là hành lý thất lạc, đã trả lại chủ sở hữu. Không có thiệt hại; bến xe hoạt động "
            "lại sau 75 phút."
        ),
        review_text=(
            "Tiếp nhận và chuyển tin báo đúng hạn; lực lượng có mặt sau 6 phút. Cần rút kinh nghiệm: thông "
            "tin cho hành khách chậm, thiếu loa cầm tay tại nhà chờ."
        ),
        reviewed_at=closed + dt.timedelta(days=3),
    )
    Report.objects.filter(pk=report.pk).update(incident=incident)
    steps = (
        PlanStep.objects.filter(phase__plan=plan).select_related("phase").order_by("phase__order", "order")
    )
    order = 0
    for order, step in enumerate(steps, start=1):
        due = opened + dt.timedelta(minutes=step.due_minutes)
        ChecklistItem.objects.create(
            incident=incident,
            plan=plan,
            step=step,
            phase_title=step.phase.title,
            order=order,
            agency=step.agency,
            position=step.position,
            action=step.action,
            activated_at=opened,
            due_at=due,
            needs_ack=step.needs_ack,
            escalate_after=step.escalate_after,
            escalate_at=opened + dt.timedelta(minutes=step.escalate_after) if step.escalate_after else None,
            escalate_to=step.escalate_to,
            acknowledged_at=opened + dt.timedelta(minutes=2) if step.needs_ack else None,
            done_at=due,
        )
    health = Agency.objects.filter(name=f"Sở Y tế {CT}").first()
    if health is not None:  # a task added for the health department (its focal point sees this one)
        ChecklistItem.objects.create(
            incident=incident,
            plan=plan,
            phase_title="Xử lý ban đầu",
            order=order + 1,
            agency=health,
            action="Bố trí xe cấp cứu và tổ y tế trực gần khu vực sơ tán.",
            activated_at=opened,
            due_at=opened + dt.timedelta(minutes=30),
            needs_ack=True,
            acknowledged_at=opened + dt.timedelta(minutes=5),
            done_at=opened + dt.timedelta(minutes=28),
        )
    IncidentLogEntry.objects.create(
        incident=incident,
        occurred_at=opened,
        text=f"Mở sự cố từ {report}. Kích hoạt {plan}.",
        kind=LogKind.SYSTEM,
    )
    entries = [
        IncidentLogEntry.objects.create(
            incident=incident, occurred_at=opened + dt.timedelta(minutes=minutes), text=text
        )
        for minutes, text in INCIDENT_LOG
    ]
    IncidentLogEntry.objects.create(
        incident=incident,
        occurred_at=opened + dt.timedelta(minutes=22),
        text="Đính chính: tổ tuần tra có mặt sau 8 phút, không phải 6 phút.",
        kind=LogKind.CORRECTION,
        corrects=entries[1],
    )
    IncidentLogEntry.objects.create(
        incident=incident, occurred_at=closed, text="Kết thúc xử lý sự cố.", kind=LogKind.SYSTEM
    )
    police = Agency.objects.filter(name=f"Công an {CT}").first()
    today = timezone.localdate()
    for action, agency, due, status in (
        (
            "Trang bị loa cầm tay cho tổ bảo vệ bến xe.",
            police,
            today - dt.timedelta(days=5),
            ActionStatus.OPEN,
        ),
        (
            "Diễn tập lại phương án tại bến xe với Ban quản lý bến.",
            police,
            today + dt.timedelta(days=60),
            ActionStatus.OPEN,
        ),
        (
            "Cập nhật danh bạ đầu mối trực của các cơ quan.",
            health,
            today - dt.timedelta(days=10),
            ActionStatus.DONE,
        ),
    ):
        if agency is None:
            continue
        CorrectiveAction.objects.create(
            incident=incident,
            action=action,
            agency=agency,
            due_date=due,
            status=status,
            closed_on=due if status == ActionStatus.DONE else None,
            result="Đã cập nhật." if status == ActionStatus.DONE else "",
        )
    return incident
