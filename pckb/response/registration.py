"""What the response module (Phương án & Sự cố) adds: scenario plans with phases and steps, report intake
with forwarding, incidents with checklists, log and corrective actions, the intake officer's grants and the
start-page items (reports not forwarded in time, items waiting for acknowledgement, open incidents)."""

from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.core.access import ADD, ALL_ACTIONS, CHANGE, DELETE, EXPORT, NONE, READ_ACTIONS, VIEW, own_agency
from pckb.core.registry import MenuGroup, MenuItem, ObjectPanel, Registration
from pckb.response.choices import IncidentStatus, PlanStatus
from pckb.response.selectors import todo_open_incidents, todo_reports_late, todo_unacknowledged

PLAN, PHASE, STEP = "response.scenarioplan", "response.planphase", "response.planstep"
REPORT, FORWARDING = "response.report", "response.reportforwarding"
PLAN_MODELS = (PLAN, PHASE, STEP)
REPORT_MODELS = (REPORT, FORWARDING)
INCIDENT, ITEM, LOG, ACTION, SITREP = (
    "response.incident",
    "response.checklistitem",
    "response.incidentlogentry",
    "response.correctiveaction",
    "response.situationreport",
)
INCIDENT_MODELS = (INCIDENT, ITEM, LOG, ACTION, SITREP)
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


def _open_incident(qs, user):
    """A row rule: an incident changes (edit, activate, close) only while it is being handled."""
    return qs.filter(status=IncidentStatus.OPEN)


def _incidents_of_own_agency(lookup: str):
    """A row rule for agency focal points: only incidents in which their agency has checklist items."""

    def rule(qs, user):
        from pckb.response.models import ChecklistItem

        agency_id = user.person.agency_id if user.person_id else None
        if not agency_id:
            return qs.none()
        incidents = ChecklistItem.objects.filter(agency_id=agency_id).values("incident_id")
        return qs.filter(**{f"{lookup}__in": incidents})

    return rule


_INCIDENT_RULES = {
    **{(role, INCIDENT, CHANGE): _open_incident for role in Role.values},
    (Role.AGENCY_FOCAL, INCIDENT, VIEW): _incidents_of_own_agency("pk"),
    (Role.AGENCY_FOCAL, LOG, VIEW): _incidents_of_own_agency("incident_id"),
    (Role.AGENCY_FOCAL, ITEM, VIEW): own_agency("agency_id"),
    (Role.AGENCY_FOCAL, ITEM, CHANGE): own_agency("agency_id"),
    (Role.AGENCY_FOCAL, ACTION, VIEW): own_agency("agency_id"),
}
INCIDENT_WORK = {
    INCIDENT: frozenset({VIEW, ADD, CHANGE, EXPORT}),
    ITEM: frozenset({VIEW, CHANGE, EXPORT}),
    LOG: frozenset({VIEW, ADD, EXPORT}),
    ACTION: READ_ACTIONS,
    SITREP: frozenset({VIEW, ADD, EXPORT}),
}


def _cap_panel(user, obj):
    from pckb.response.cap_views import cap_panel

    return cap_panel(user, obj)


registration = Registration(
    urls=("ung-pho/", "pckb.response.urls"),
    api=("/", "pckb.response.api.router"),
    # Standing offices draft plans and record reports in their scope (their "*" default: all actions).
    # Leaders read both and approve plans (an action of their own); the intake officer records and forwards
    # reports and reads plans; agency focal points and commune officers read plans, not reports.
    grants={
        # Incidents: the intake officer opens them from reports, activates plans and keeps the log; leaders
        # read and write in the log; agency focal points see the incidents their agency works on and act on
        # their own agency's checklist items only (row rules).
        Role.INTAKE_OFFICER: {
            "*": ONLY_VIEW,
            **_grants(PLAN_MODELS, READ_ACTIONS),
            **_grants(REPORT_MODELS, ALL_ACTIONS),
            **INCIDENT_WORK,
        },
        Role.COMMITTEE_LEADER: {
            **_grants(PLAN_MODELS + REPORT_MODELS + INCIDENT_MODELS, READ_ACTIONS),
            LOG: frozenset({VIEW, ADD, EXPORT}),
        },
        Role.INSPECTOR: _grants(PLAN_MODELS + REPORT_MODELS + INCIDENT_MODELS, READ_ACTIONS),
        Role.AGENCY_FOCAL: {
            **_grants(PLAN_MODELS, ONLY_VIEW),
            **_grants(REPORT_MODELS, NONE),
            INCIDENT: ONLY_VIEW,
            ITEM: frozenset({VIEW, CHANGE}),
            LOG: ONLY_VIEW,
            ACTION: ONLY_VIEW,
            SITREP: NONE,
        },
        Role.COMMUNE_OFFICER: {
            **_grants(PLAN_MODELS, ONLY_VIEW),
            **_grants(REPORT_MODELS + INCIDENT_MODELS, NONE),
        },
    },
    row_rules={**_DRAFT_RULES, **_INCIDENT_RULES},
    # A forwarding, once recorded, is kept as it was (the timer and the law's "immediately" depend on it).
    # An incident is a record (closed, never deleted); checklist items come from activation and change only
    # by acknowledgement and completion; the log is append-only.
    read_only={
        FORWARDING: frozenset({VIEW, ADD, EXPORT}),
        INCIDENT: frozenset({VIEW, ADD, CHANGE, EXPORT}),
        ITEM: frozenset({VIEW, CHANGE, EXPORT}),
        LOG: frozenset({VIEW, ADD, EXPORT}),
        # A situation report, once sent, stays as sent: the next one follows it.
        SITREP: frozenset({VIEW, ADD, EXPORT}),
    },
    menu=(
        MenuItem(
            RESPONSE,
            _("Phương án xử lý tình huống"),
            "response:scenarioplan_list",
            "response.ScenarioPlan",
            order=10,
        ),
        MenuItem(RESPONSE, _("Tiếp nhận tin báo"), "response:report_list", "response.Report", order=20),
        MenuItem(RESPONSE, _("Sự cố"), "response:incident_list", "response.Incident", order=30),
        MenuItem(
            RESPONSE, _("Việc của cơ quan"), "response:checklistitem_list", "response.ChecklistItem", order=40
        ),
        MenuItem(
            RESPONSE,
            _("Việc khắc phục sau sự cố"),
            "response:correctiveaction_list",
            "response.CorrectiveAction",
            order=50,
        ),
    ),
    todo=(todo_reports_late, todo_unacknowledged, todo_open_incidents),
    object_panels=(ObjectPanel("response/_cap_panel.html", _cap_panel, order=70),),
)
