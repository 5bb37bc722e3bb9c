"""REST endpoints of the planner under /api/v1/deployment/: team types (CRUD), runs (list, detail, create,
delete), and each run's game (``{"game": <GAME.json>}``) and solution (``{"solution": <CLI solution>}``),
so anyone can re-check a run with ``pckb allocate solve``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from pckb.api.crud import _resolve_foreign_keys, register_crud
from pckb.api.errors import ApiValidationError, ErrorOut, validation_detail
from pckb.core import access
from pckb.deployment import choices as c
from pckb.deployment import services
from pckb.deployment.fields import PLANNING_RUN, TEAM_TYPE
from pckb.deployment.models import PlanningRun, TeamType
from pckb.protection.models import TargetCategory

TAG = "Bố trí lực lượng"
router = Router(tags=[TAG])

# The categories and specific targets a team may cover are lists of ids: read as the reader may see them
# (a Mật target is neither named nor counted for a Thường reader), written through the team type's service.
register_crud(
    router,
    prefix="deployment/team-types",
    fields=TEAM_TYPE,
    tag=TAG,
    create=lambda actor, team_type, many: services.team_type_save(
        actor=actor, instance=team_type, changes=None, **many
    ),
    update=lambda actor, team_type, changes, many: services.team_type_save(
        actor=actor, instance=team_type, changes=changes, **many
    ),
)
# Runs are computed: read here, created by the endpoint below (never edited).
register_crud(
    router, model=PlanningRun, prefix="deployment/runs", out_schema=PLANNING_RUN.out_schema, tag=TAG
)


class AttackerTypeIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    prior: float = Field(ge=0, le=1)
    criticality_weight: float = Field(1.0, ge=0, le=c.MAX_CRITERION_WEIGHT)
    symbolism_weight: float = Field(1.0, ge=0, le=c.MAX_CRITERION_WEIGHT)
    population_weight: float = Field(1.0, ge=0, le=c.MAX_CRITERION_WEIGHT)
    size_weight: float = Field(1.0, ge=0, le=c.MAX_CRITERION_WEIGHT)
    threat_weight: float = Field(1.0, ge=0, le=c.MAX_CRITERION_WEIGHT)
    categories: list[int] = Field(default_factory=list, max_length=100)
    category_factor: float = Field(c.DEFAULT_CATEGORY_FACTOR, ge=0.1, le=10)


class RunIn(Schema):
    committee: int
    title: str = Field(min_length=1, max_length=300)
    team_types: list[int] = Field(min_length=1, max_length=200)
    area: int | None = None
    category: int | None = None
    min_level: int = Field(1, ge=1, le=5)
    defender_weight: float = Field(c.DEFAULT_DEFENDER_WEIGHT, ge=0.01, le=1e6)
    covered_fraction: float = Field(c.DEFAULT_COVERED_FRACTION, ge=0, le=0.99)
    attacker_weight: float = Field(c.DEFAULT_ATTACKER_WEIGHT, ge=0.01, le=1e6)
    attacker_penalty: float = Field(c.DEFAULT_ATTACKER_PENALTY, ge=0, le=10)
    plan: c.Plan = c.Plan.SSE
    attacker_types: list[AttackerTypeIn] = Field(default_factory=list, max_length=c.MAX_ATTACKER_TYPES)
    beta: float = Field(c.DEFAULT_BETA, ge=0, le=1000)
    lam: float = Field(c.DEFAULT_LAMBDA, ge=0, le=1000)
    start_date: dt.date
    days: int = Field(c.DEFAULT_DAYS, ge=1, le=c.MAX_DAYS)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    classification: int = Field(0, ge=0, le=1)


class GameOut(Schema):
    game: dict[str, Any]


class SolutionOut(Schema):
    solution: dict[str, Any]


@router.post(
    "/deployment/runs/",
    response={201: PLANNING_RUN.out_schema, 422: ErrorOut, 403: ErrorOut},
    tags=[TAG],
    operation_id="planningrun_create",
    summary="Lập phương án bố trí lực lượng (giải và lưu)",
)
def create_run(request, payload: RunIn):
    if not access.has_action(request.user, PlanningRun, access.ADD):
        raise HttpError(403, "Bạn không có quyền tạo mới.")
    data = payload.dict()
    ids = data.pop("team_types")
    attackers = data.pop("attacker_types")
    known = set(
        TargetCategory.objects.filter(pk__in={p for a in attackers for p in a["categories"]}).values_list(
            "pk", flat=True
        )
    )
    if any(p not in known for a in attackers for p in a["categories"]):
        raise ApiValidationError({"attacker_types": ["Có loại mục tiêu không tồn tại."]})
    data = _resolve_foreign_keys(PlanningRun, request.user, data)
    team_types = list(access.restrict(TeamType.objects.filter(pk__in=ids), request.user, access.VIEW))
    if len(team_types) != len(set(ids)):
        raise ApiValidationError(
            {"team_types": ["Có loại tổ, đội không tồn tại hoặc ngoài phạm vi của bạn."]}
        )
    try:
        run = services.planning_run_create(
            actor=request.user, run=PlanningRun(**data), team_types=team_types, attacker_types=attackers
        )
    except ValidationError as exc:
        raise ApiValidationError(validation_detail(exc)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Không có quyền.") from exc
    return Status(201, access.get_or_404(PlanningRun, request.user, access.VIEW, pk=run.pk))


@router.get(
    "/deployment/runs/{pk}/game",
    response=GameOut,
    tags=[TAG],
    operation_id="planningrun_game",
    summary="Trò chơi của phương án (định dạng GAME.json của pckb allocate)",
)
def run_game(request, pk: int):
    run = access.get_or_404(PlanningRun, request.user, access.VIEW, pk=pk)
    return {"game": run.game}


@router.get(
    "/deployment/runs/{pk}/solution",
    response=SolutionOut,
    tags=[TAG],
    operation_id="planningrun_solution",
    summary="Lời giải của phương án (định dạng của pckb allocate solve)",
)
def run_solution(request, pk: int):
    run = access.get_or_404(PlanningRun, request.user, access.VIEW, pk=pk)
    return {"solution": run.solution}
