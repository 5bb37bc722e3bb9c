"""Reads of the planner, always through the access layer and always for a ``user``."""

from __future__ import annotations

from django.db.models import FloatField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from pckb.core import access
from pckb.deployment.choices import CRITERIA
from pckb.deployment.models import AttackerType, PlanningRun, TeamType
from pckb.deployment.planner import Patrol, TargetRow, TeamRow
from pckb.protection.choices import LEVEL_BANDS, risk_level
from pckb.protection.models import RiskAssessment, Target


def candidate_targets(
    user, *, committee, area=None, category=None, min_level: int = 1, ratings: bool = False
) -> QuerySet[Target]:
    """The targets a run of ``committee`` takes for ``user``: those the user may see in the committee's area
    (narrowed to ``area`` and ``category``), annotated with their latest assessment's score and level, their
    position (their own point, else their commune's centre, as on the map) and, with ``ratings``, the latest
    assessment's five ratings (for attacker types)."""
    latest = RiskAssessment.objects.filter(target=OuterRef("pk")).order_by("-assessed_on", "-id")
    qs = access.restrict(Target.objects.all(), user, access.VIEW).filter(
        unit__path__startswith=(area or committee.unit).path
    )
    if category is not None:
        qs = qs.filter(category=category)
    # One correlated subquery (the level follows from the total by the protection module's bands).
    qs = qs.annotate(
        latest_total=Subquery(latest.values("total")[:1]),
        plan_lat=Coalesce("latitude", "unit__latitude", output_field=FloatField()),
        plan_lon=Coalesce("longitude", "unit__longitude", output_field=FloatField()),
    )
    if ratings:
        qs = qs.annotate(**{f"latest_{name}": Subquery(latest.values(name)[:1]) for name in CRITERIA})
    floor = 0 if min_level <= 1 else LEVEL_BANDS[min_level - 2][0] + 1
    return qs.filter(latest_total__gte=max(floor, 1)).order_by("sort_key", "id")


def unassessed_count(user, *, committee, area=None, category=None) -> int:
    """Targets in the run's filters that have no risk assessment yet (left out of the run)."""
    qs = access.restrict(Target.objects.all(), user, access.VIEW).filter(
        unit__path__startswith=(area or committee.unit).path, assessments__isnull=True
    )
    if category is not None:
        qs = qs.filter(category=category)
    return qs.count()


def target_rows(qs: QuerySet[Target], ratings: bool = False) -> list[TargetRow]:
    fields = (
        "pk",
        "name",
        "latest_total",
        "category_id",
        "unit__name",
        "classification",
        "plan_lat",
        "plan_lon",
    )
    extra = tuple(f"latest_{name}" for name in CRITERIA) if ratings else ()
    return [
        TargetRow(
            pk=row[0],
            name=row[1],
            score=row[2],
            level=int(risk_level(row[2])),
            category_id=row[3],
            unit=row[4],
            classification=row[5],
            lat=row[6],
            lon=row[7],
            ratings=tuple(row[8:]),
        )
        for row in qs.values_list(*fields, *extra)
    ]


def team_rows(user, team_types) -> list[TeamRow]:
    """The team types with their allowed categories and targets (targets the user may not see are left out:
    a run never places a team at a target its author cannot see)."""
    types = list(team_types)
    ids = [t.pk for t in types]
    categories: dict[int, set[int]] = {pk: set() for pk in ids}
    for team_id, category_id in TeamType.categories.through.objects.filter(teamtype_id__in=ids).values_list(
        "teamtype_id", "targetcategory_id"
    ):
        categories[team_id].add(category_id)
    targets: dict[int, set[int]] = {pk: set() for pk in ids}
    with_targets = set(
        TeamType.targets.through.objects.filter(teamtype_id__in=ids).values_list("teamtype_id", flat=True)
    )
    visible = access.restrict(Target.objects.all(), user, access.VIEW).values("pk")
    for team_id, target_id in TeamType.targets.through.objects.filter(
        teamtype_id__in=ids, target_id__in=visible
    ).values_list("teamtype_id", "target_id"):
        targets[team_id].add(target_id)
    return [
        TeamRow(
            pk=t.pk,
            name=t.name,
            count=t.count,
            category_ids=frozenset(categories[t.pk]),
            target_ids=frozenset(targets[t.pk]),
            restricted=bool(categories[t.pk]) or t.pk in with_targets,
            patrol=_patrol(t) if t.mobile else None,
        )
        for t in types
    ]


def _patrol(team: TeamType) -> Patrol:
    return Patrol(
        shift_start=team.shift_start.strftime("%H:%M"),
        shift_minutes=team.shift_minutes,
        dwell_minutes=team.dwell_minutes,
        max_targets=team.max_targets,
        speed_kmh=team.speed_kmh,
        detour=team.detour,
    )


def team_type_targets(user, team_type: TeamType) -> QuerySet[Target]:
    """The specific targets of a team type the user may see."""
    return access.restrict(team_type.targets.all(), user, access.VIEW).select_related("unit")


def run_targets(user, run: PlanningRun, keys=None) -> dict[str, Target]:
    """The run's targets (or those of ``keys``) the user may see, by their key in the game (``T<pk>``):
    links on the run's page, names in the orders."""
    ids = [
        int(key[1:]) for key in (keys if keys is not None else (t["id"] for t in run.game.get("targets", [])))
    ]
    qs = access.restrict(Target.objects.filter(pk__in=ids), user, access.VIEW).only("pk", "name")
    return {f"T{t.pk}": t for t in qs}


def run_team_types(user, run: PlanningRun) -> QuerySet[TeamType]:
    return access.restrict(
        TeamType.objects.filter(pk__in=(run.outputs or {}).get("team_types", [])), user, access.VIEW
    )


def run_attacker_types(user, run: PlanningRun) -> QuerySet[AttackerType]:
    """The run's attacker types (the same scope and classification as the run), with their categories."""
    return access.restrict(run.attacker_types.all(), user, access.VIEW).prefetch_related("categories")
