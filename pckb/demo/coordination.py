"""Demo of the coordination module: Cần Thơ's coordination regulation, in force, with its responsibility
matrix (who leads, supports and is informed for each content). Fictional decision number."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pckb.coordination.choices import Duty, RegulationStatus
from pckb.coordination.models import Function, Regulation, Responsibility
from pckb.directory.models import Agency, Committee

CT = "thành phố Cần Thơ"
C, P, T = Duty.LEAD, Duty.SUPPORT, Duty.INFORM
PARTIES = {
    "police": f"Công an {CT}",
    "military": f"Bộ Chỉ huy Quân sự {CT}",
    "border": f"Bộ Chỉ huy Bộ đội Biên phòng {CT}",
    "health": f"Sở Y tế {CT}",
    "foreign": f"Sở Ngoại vụ {CT}",
    "culture": f"Sở Văn hóa, Thể thao và Du lịch {CT}",
}
#: (content, scenario type, {party: duty}).
MATRIX = [
    ("Tiếp nhận, xử lý ban đầu tin báo về khủng bố", "", {"police": C, "military": P, "health": T}),
    ("Bảo vệ mục tiêu, công trình trọng điểm", "", {"police": C, "military": P, "border": P}),
    ("Bảo vệ đoàn khách quốc tế", "", {"police": C, "foreign": P, "health": P, "culture": T}),
    (
        "Xử lý tình huống đe dọa đánh bom tại nơi đông người",
        "bomb_threat",
        {"police": C, "military": P, "health": P, "culture": T},
    ),
    ("Xử lý tình huống bắt giữ con tin", "hostage", {"police": C, "military": P, "health": P}),
    ("Cấp cứu, điều trị người bị nạn", "", {"health": C, "police": P}),
    (
        "Tuyên truyền, phổ biến pháp luật về phòng, chống khủng bố",
        "",
        {"culture": C, "police": P, "military": T},
    ),
]


def ensure(ctx: dict) -> int:
    """Build the coordination demo once. Returns the regulations added."""
    if Regulation.objects.exists():
        return 0
    committee = Committee.objects.filter(unit=ctx["can_tho"]).first()
    agencies = {key: Agency.objects.filter(name=name).first() for key, name in PARTIES.items()}
    if committee is None or None in agencies.values():
        return 0
    year = timezone.localdate().year
    regulation = Regulation(
        committee=committee,
        title=(
            "Quy chế phối hợp giữa các cơ quan, đơn vị trong công tác phòng, chống khủng bố "
            f"trên địa bàn {CT}"
        ),
        document_number="09/QĐ-BCĐ-DEMO",
        issued_on=dt.date(year, 2, 20),
        effective_from=dt.date(year, 3, 1),
        summary=(
            "Phối hợp theo chức năng, nhiệm vụ của từng cơ quan; Công an thành phố là cơ quan thường trực; "
            "thông tin kịp thời, chính xác; không chồng chéo."
        ),
        status=RegulationStatus.IN_FORCE,
        in_force_at=timezone.now(),
    )
    regulation.full_clean(exclude=["status"])
    regulation.save()
    regulation.parties.set(agencies.values())
    for order, (title, scenario, cells) in enumerate(MATRIX, start=1):
        function = Function.objects.create(
            regulation=regulation, order=order, title=title, scenario_type=scenario
        )
        Responsibility.objects.bulk_create(
            Responsibility(function=function, agency=agencies[key], duty=duty) for key, duty in cells.items()
        )
    return 1
