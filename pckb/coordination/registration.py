"""What the coordination module (Quy chế phối hợp) adds: regulations with their responsibility matrix, each
agency's duties, and a panel on protected events and draft scenario plans that pre-fills them from the
matrix."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.coordination.choices import RegulationStatus
from pckb.core import access
from pckb.core.access import CHANGE, DELETE, READ_ACTIONS, VIEW
from pckb.core.registry import MenuItem, ObjectPanel, Registration
from pckb.plans.registration import PLANS

REGULATION, FUNCTION, CELL = "coordination.regulation", "coordination.function", "coordination.responsibility"
MODELS = (REGULATION, FUNCTION, CELL)


def _draft_only(lookup: str):
    """A row rule: only rows of a draft regulation (one in force changes through a new version)."""

    def rule(qs, user):
        return qs.filter(**{lookup: RegulationStatus.DRAFT})

    return rule


_DRAFT_LOOKUPS = {REGULATION: "status", FUNCTION: "regulation__status", CELL: "function__regulation__status"}


def prefill_panel(user, obj):
    """On a protected event (its agency tasks) or a draft scenario plan (its steps): pick a content of the
    regulation in force to pre-fill it. Shown only to who may add those rows and when there is a content."""
    from pckb.coordination.selectors import functions_in_force
    from pckb.protection.models import EventTask, ProtectedEvent
    from pckb.response.models import PlanStep, ScenarioPlan

    if isinstance(obj, ProtectedEvent):
        child, unit, url = EventTask, obj.unit, reverse("coordination:event_prefill", args=[obj.pk])
        help_text = _("Giao nhiệm vụ cho các cơ quan chủ trì, phối hợp theo một nội dung của quy chế.")
    elif isinstance(obj, ScenarioPlan) and obj.editable:
        child, unit, url = PlanStep, obj.committee.unit, reverse("coordination:plan_prefill", args=[obj.pk])
        help_text = _("Thêm một giai đoạn với các bước của từng cơ quan theo một nội dung của quy chế.")
    else:
        return None
    if not access.has_action(user, child, access.ADD) or not access.can(user, access.CHANGE, obj):
        return None
    scenario = getattr(obj, "scenario_type", None)
    functions = list(functions_in_force(user, unit=unit))
    if scenario:  # the scenario's own contents first
        functions.sort(key=lambda f: f.scenario_type != scenario)
    if not functions:
        return None
    return {"functions": functions, "url": url, "help_text": help_text}


registration = Registration(
    urls=("phoi-hop/", "pckb.coordination.urls"),
    api=("/", "pckb.coordination.api.router"),
    # Standing offices draft regulations in their scope (their "*" default: all actions); leaders read them
    # and put them in force (an action of their own); inspectors read; agency focal points and commune
    # officers read what their agency or commune is bound to.
    grants={
        Role.COMMITTEE_LEADER: dict.fromkeys(MODELS, READ_ACTIONS),
        Role.INSPECTOR: dict.fromkeys(MODELS, READ_ACTIONS),
        Role.AGENCY_FOCAL: dict.fromkeys(MODELS, frozenset({VIEW})),
        Role.COMMUNE_OFFICER: dict.fromkeys(MODELS, frozenset({VIEW})),
    },
    row_rules={
        (role, label, action): _draft_only(lookup)
        for role in Role.values
        for label, lookup in _DRAFT_LOOKUPS.items()
        for action in (CHANGE, DELETE)
    },
    menu=(
        MenuItem(
            PLANS, _("Quy chế phối hợp"), "coordination:regulation_list", "coordination.Regulation", order=40
        ),
        MenuItem(
            PLANS,
            _("Trách nhiệm theo quy chế"),
            "coordination:agency_duties",
            "coordination.Responsibility",
            order=45,
        ),
    ),
    object_panels=(ObjectPanel("coordination/_prefill_panel.html", prefill_panel, order=60),),
)
