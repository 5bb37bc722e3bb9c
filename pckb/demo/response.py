"""Demo of the response module: two approved scenario plans of Cần Thơ (bomb threat at a crowded place;
hostage taking) with phases and steps for the police and the military, and one open report with a fictional
reporter's phone number (encrypted) ready to be turned into an incident. Defensive and administrative content
only: who is alerted, who cordons, who evacuates, who reports — nothing on weapons or explosives."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pckb.directory.models import Agency, Committee, Position
from pckb.geo.models import AdministrativeUnit
from pckb.protection.models import TargetCategory
from pckb.response.choices import PlanStatus, ReportChannel, ScenarioType
from pckb.response.crypto import encrypt
from pckb.response.models import PlanPhase, PlanStep, Report, ScenarioPlan

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
    """Build the response demo once (an install that has plans keeps them). Returns plans added."""
    if ScenarioPlan.objects.exists():
        return 0
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
