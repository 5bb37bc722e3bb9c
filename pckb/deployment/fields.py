"""One declaration per model of the fields people edit and the list shows (see ``pckb.core.declarations``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core.declarations import ModelFields
from pckb.core.exports import Column
from pckb.deployment.models import PlanningRun, TeamType


def _created(run):
    return timezone.localtime(run.created).strftime("%d/%m/%Y %H:%M") if run.created else ""


def _loss(run):
    return "" if run.expected_loss is None else f"{run.expected_loss:.2f}".replace(".", ",")


TEAM_TYPE = ModelFields(
    TeamType,
    fields=(
        "committee",
        "name",
        "count",
        "categories",
        "targets",
        "notes",
        "mobile",
        "shift_start",
        "shift_minutes",
        "dwell_minutes",
        "max_targets",
        "speed_kmh",
        "detour",
    ),
    columns=("name", "committee", "count"),
)
#: The planner's form; the rest of a run (game, solution, outputs) is computed.
RUN_INPUT = (
    "committee",
    "title",
    "area",
    "category",
    "min_level",
    "defender_weight",
    "covered_fraction",
    "attacker_weight",
    "attacker_penalty",
    "plan",
    "beta",
    "lam",
    "start_date",
    "days",
    "seed",
    "classification",
)
PLANNING_RUN = ModelFields(
    PlanningRun,
    fields=RUN_INPUT,
    read_only=("target_count", "team_count", "expected_loss"),
    columns=(
        "title",
        "committee",
        Column(_created, _("Lập lúc"), order_by="created"),
        "target_count",
        "team_count",
        Column(_loss, _("Thiệt hại kỳ vọng"), order_by="expected_loss"),
    ),
)
