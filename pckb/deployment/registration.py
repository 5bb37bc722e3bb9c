"""What the force-allocation planner (Bố trí lực lượng) adds to the product: team types and planning runs
with their daily orders."""

from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.core.access import ADD, DELETE, EXPORT, NONE, READ_ACTIONS, VIEW
from pckb.core.registry import MenuGroup, MenuItem, Registration

TEAM, RUN = "deployment.teamtype", "deployment.planningrun"
DEPLOYMENT = MenuGroup("deployment", _("Bố trí lực lượng"), order=32)

registration = Registration(
    urls=("bo-tri-luc-luong/", "pckb.deployment.urls"),
    api=("/", "pckb.deployment.api.router"),
    # Standing offices plan (their "*" default: all actions); leaders and inspectors read and print the
    # orders (their "*" default); the daily orders are operational: agency focal points, commune officers
    # and intake officers do not see them.
    grants={
        Role.COMMITTEE_LEADER: {TEAM: READ_ACTIONS, RUN: READ_ACTIONS},
        Role.INSPECTOR: {TEAM: READ_ACTIONS, RUN: READ_ACTIONS},
        Role.AGENCY_FOCAL: {TEAM: NONE, RUN: NONE},
        Role.COMMUNE_OFFICER: {TEAM: NONE, RUN: NONE},
        Role.INTAKE_OFFICER: {TEAM: NONE, RUN: NONE},
    },
    # A run is computed from its inputs: never edited (a new run is made instead).
    read_only={RUN: frozenset({VIEW, ADD, EXPORT, DELETE})},
    menu=(
        MenuItem(
            DEPLOYMENT,
            _("Phương án bố trí"),
            "deployment:planningrun_list",
            "deployment.PlanningRun",
            order=10,
        ),
        MenuItem(DEPLOYMENT, _("Loại tổ, đội"), "deployment:teamtype_list", "deployment.TeamType", order=20),
    ),
)
