"""Planner demo: Cần Thơ's team types (fictional) and two saved runs over its demo targets: the basic
run, and tomorrow's patrols of three mobile teams ("Tuần tra cơ động") against two attacker types (an
organised group valuing symbolic targets, a lone actor valuing crowded places). Both runs hold the Mật data
centre, so they are Mật themselves (the crawler checks that Thường accounts never see them)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pckb.deployment.forms import attacker_preset
from pckb.deployment.models import PlanningRun, TeamType
from pckb.deployment.services import planning_run_create
from pckb.directory.models import Committee
from pckb.protection.models import Target, TargetCategory

TEAM_TYPES = [
    ("Tổ cảnh sát cơ động", 2, (), "Tuần tra, canh gác tại mục tiêu."),
    (
        "Tổ chó nghiệp vụ",
        1,
        ("cang-hang-khong", "cang-bien", "nha-ga-ben-xe"),
        "Phát hiện chất nổ tại cảng hàng không, cảng biển, nhà ga, bến xe.",
    ),
    ("Tổ rà phá bom mìn", 1, None, "Chỉ bố trí tại một số mục tiêu cụ thể."),
]


def ensure(ctx: dict) -> int:
    """Build the planner demo once. Returns the runs added."""
    if PlanningRun.objects.exists():
        return 0
    committee = Committee.objects.filter(unit=ctx["can_tho"]).order_by("pk").first()
    actor = _system(ctx)
    if committee is None or not Target.objects.filter(unit__path__startswith=committee.unit.path).exists():
        return 0
    teams = []
    for name, count, codes, notes in TEAM_TYPES:
        team = TeamType.objects.create(committee=committee, name=name, count=count, notes=notes)
        if codes:
            team.categories.set(TargetCategory.objects.filter(code__in=codes))
        elif codes is None:
            team.targets.set(
                Target.objects.filter(unit__path__startswith=committee.unit.path).order_by("pk")[:3]
            )
        teams.append(team)
    run = PlanningRun(
        committee=committee,
        title="Phương án bố trí lực lượng tuần tới (thử nghiệm)",
        start_date=timezone.localdate(),
        days=7,
        seed=2026,
    )
    planning_run_create(actor=actor, run=run, team_types=teams)
    patrol = TeamType.objects.create(
        committee=committee,
        name="Tuần tra cơ động",
        count=3,
        mobile=True,
        shift_start=dt.time(7, 30),
        shift_minutes=480,
        dwell_minutes=60,
        max_targets=2,
        speed_kmh=30,
        detour=1.3,
        notes=(
            "Ba tổ xe tuần tra, mỗi ca 8 giờ, tối đa 2 mục tiêu mỗi tuyến, dừng 60 phút ở mỗi mục tiêu "
            "(thử nghiệm)."
        ),
    )
    mobile = PlanningRun(
        committee=committee,
        title="Tuần tra cơ động ngày mai, hai loại đối tượng (thử nghiệm)",
        start_date=timezone.localdate() + dt.timedelta(days=1),
        days=7,
        seed=2027,
    )
    planning_run_create(actor=actor, run=mobile, team_types=[patrol], attacker_types=attacker_preset())
    return 2


def _system(ctx):
    from pckb.demo.services import _system_actor

    return _system_actor(ctx["vn"])
