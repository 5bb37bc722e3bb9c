"""Planner demo: Cần Thơ's team types (fictional) and one saved run over its demo targets. The run
holds the Mật data centre, so it is Mật itself (the crawler checks that Thường accounts never see it)."""

from __future__ import annotations

from django.utils import timezone

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
    return 1


def _system(ctx):
    from pckb.demo.services import _system_actor

    return _system_actor(ctx["vn"])
