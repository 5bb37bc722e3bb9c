"""What the response module (Phương án & Sự cố) adds: scenario plans with phases and steps, report intake
with forwarding, the intake officer's grants and the start-page item for reports not forwarded in time."""

from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.core.access import ADD, ALL_ACTIONS, CHANGE, DELETE, EXPORT, NONE, READ_ACTIONS, VIEW
from pckb.core.registry import MenuGroup, MenuItem, Registration
from pckb.response.choices import PlanStatus
from pckb.response.selectors import todo_reports_late

PLAN, PHASE, STEP = "response.scenarioplan", "response.planphase", "response.planstep"
REPORT, FORWARDING = "response.report", "response.reportforwarding"
PLAN_MODELS = (PLAN, PHASE, STEP)
REPORT_MODELS = (REPORT, FORWARDING)
RESPONSE = MenuGroup("response", _("Phương án và tin báo"), order=35)
ONLY_VIEW = frozenset({VIEW})


def _grants(labels, actions) -> dict:
    return dict.fromkeys(labels, actions)


def _draft_only(lookup: str):
    """A row rule: only rows of a draft plan (an approved plan changes through a new version)."""

    def rule(qs, user):
        return qs.filter(**{lookup: PlanStatus.DRAFT})

    return rule


_DRAFT_LOOKUPS = {PLAN: "status", PHASE: "plan__status", STEP: "phase__plan__status"}
_DRAFT_RULES = {
    (role, label, action): _draft_only(lookup)
    for role in Role.values
    for label, lookup in _DRAFT_LOOKUPS.items()
    for action in (CHANGE, DELETE)
}


registration = Registration(
    urls=("ung-pho/", "pckb.response.urls"),
    api=("/", "pckb.response.api.router"),
    # Standing offices draft plans and record reports in their scope (their "*" default: all actions).
    # Leaders read both and approve plans (an action of their own); the intake officer records and forwards
    # reports and reads plans; agency focal points and commune officers read plans, not reports.
    grants={
        Role.INTAKE_OFFICER: {
            "*": ONLY_VIEW,
            **_grants(PLAN_MODELS, READ_ACTIONS),
            **_grants(REPORT_MODELS, ALL_ACTIONS),
        },
        Role.COMMITTEE_LEADER: _grants(PLAN_MODELS + REPORT_MODELS, READ_ACTIONS),
        Role.INSPECTOR: _grants(PLAN_MODELS + REPORT_MODELS, READ_ACTIONS),
        Role.AGENCY_FOCAL: {**_grants(PLAN_MODELS, ONLY_VIEW), **_grants(REPORT_MODELS, NONE)},
        Role.COMMUNE_OFFICER: {**_grants(PLAN_MODELS, ONLY_VIEW), **_grants(REPORT_MODELS, NONE)},
    },
    row_rules=_DRAFT_RULES,
    # A forwarding, once recorded, is kept as it was (the timer and the law's "immediately" depend on it).
    read_only={FORWARDING: frozenset({VIEW, ADD, EXPORT})},
    menu=(
        MenuItem(
            RESPONSE,
            _("Phương án xử lý tình huống"),
            "response:scenarioplan_list",
            "response.ScenarioPlan",
            order=10,
        ),
        MenuItem(RESPONSE, _("Tiếp nhận tin báo"), "response:report_list", "response.Report", order=20),
    ),
    todo=(todo_reports_late,),
)
