"""What the protection module (Bảo vệ) adds to the product: the key-target register, risk assessments, the
targets due for review, and protected events and delegations (calendar, iCalendar feed, to-do items)."""

from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.core.access import ADD, CHANGE, EXPORT, READ_ACTIONS, VIEW, own_agency
from pckb.core.registry import MenuGroup, MenuItem, Registration, StartPanel
from pckb.protection import agenda, todo
from pckb.protection.selectors import start_page_overdue

TARGET = "protection.target"
ASSESSMENT = "protection.riskassessment"
CATEGORY = "protection.targetcategory"
PROTECTION = MenuGroup("protection", _("Bảo vệ"), order=30)
ONLY_VIEW = frozenset({VIEW})
EVENT = "protection.protectedevent"
TASK = "protection.eventtask"
STOP = "protection.eventstop"
STATUS = "protection.eventstatus"
EVENT_MODELS = (EVENT, TASK, STOP, STATUS)
PLAN = "protection.protectionplan"
PLAN_FILE = "protection.planfile"
INSPECTION = "protection.inspection"
FINDING = "protection.finding"
PLAN_MODELS = (PLAN, PLAN_FILE, INSPECTION, FINDING)

registration = Registration(
    urls=("bao-ve/", "pckb.protection.urls"),
    api=("/", "pckb.protection.api.router"),
    # Standing offices manage targets and assessments (their "*" default: all actions) in their scope;
    # the category list is national, kept by the national standing office.
    grants={
        Role.PROVINCIAL_OFFICE: {CATEGORY: READ_ACTIONS},
        Role.COMMITTEE_LEADER: {
            TARGET: READ_ACTIONS,
            ASSESSMENT: READ_ACTIONS,
            CATEGORY: READ_ACTIONS,
            **dict.fromkeys(EVENT_MODELS, READ_ACTIONS),
            # The leader approves plans (a verb of its own, see services.plan_approve) and reads the rest.
            **dict.fromkeys(PLAN_MODELS, READ_ACTIONS),
        },
        Role.INSPECTOR: {
            TARGET: READ_ACTIONS,
            ASSESSMENT: READ_ACTIONS,
            CATEGORY: READ_ACTIONS,
            **dict.fromkeys(EVENT_MODELS, READ_ACTIONS),
            **dict.fromkeys(PLAN_MODELS, READ_ACTIONS),
        },
        # A focal point reads the events of its scope, updates its own agency's tasks and writes its own
        # agency's daily status lines (the row rules below).
        Role.AGENCY_FOCAL: {
            TARGET: ONLY_VIEW,
            ASSESSMENT: ONLY_VIEW,
            CATEGORY: ONLY_VIEW,
            EVENT: ONLY_VIEW,
            STOP: ONLY_VIEW,
            TASK: frozenset({VIEW, CHANGE}),
            STATUS: frozenset({VIEW, ADD, CHANGE}),
            # … reads plans and inspections of its scope, and updates its own agency's corrective actions.
            PLAN: ONLY_VIEW,
            PLAN_FILE: ONLY_VIEW,
            INSPECTION: ONLY_VIEW,
            FINDING: frozenset({VIEW, CHANGE}),
        },
        Role.COMMUNE_OFFICER: {
            TARGET: ONLY_VIEW,
            ASSESSMENT: ONLY_VIEW,
            CATEGORY: ONLY_VIEW,
            **dict.fromkeys(EVENT_MODELS, ONLY_VIEW),
            **dict.fromkeys(PLAN_MODELS, ONLY_VIEW),
        },
    },
    row_rules={
        (Role.AGENCY_FOCAL, TASK, CHANGE): own_agency("agency_id"),
        **{(Role.AGENCY_FOCAL, STATUS, a): own_agency("agency_id") for a in (ADD, CHANGE)},
        (Role.AGENCY_FOCAL, FINDING, CHANGE): own_agency("owner_agency_id"),
    },
    # An assessment, once signed off, is never changed or removed: a new assessment is a new row.
    read_only={ASSESSMENT: frozenset({VIEW, ADD, EXPORT})},
    menu=(
        MenuItem(
            PROTECTION, _("Mục tiêu trọng điểm"), "protection:target_list", "protection.Target", order=10
        ),
        MenuItem(PROTECTION, _("Bản đồ"), "protection:map", "protection.Target", order=15),
        MenuItem(
            PROTECTION,
            _("Quá hạn đánh giá lại"),
            "protection:target_overdue",
            "protection.Target",
            order=20,
        ),
        MenuItem(
            PROTECTION,
            _("Đánh giá rủi ro"),
            "protection:riskassessment_list",
            "protection.RiskAssessment",
            order=30,
        ),
        MenuItem(
            PROTECTION,
            _("Loại mục tiêu"),
            "protection:targetcategory_list",
            "protection.TargetCategory",
            order=40,
        ),
        MenuItem(
            PROTECTION,
            _("Sự kiện, đoàn được bảo vệ"),
            "protection:protectedevent_list",
            "protection.ProtectedEvent",
            order=50,
        ),
        MenuItem(
            PROTECTION,
            _("Phương án bảo vệ"),
            "protection:protectionplan_list",
            "protection.ProtectionPlan",
            order=60,
        ),
        MenuItem(
            PROTECTION,
            _("Phương án quá hạn rà soát"),
            "protection:protectionplan_overdue",
            "protection.ProtectionPlan",
            order=65,
        ),
        MenuItem(PROTECTION, _("Kiểm tra"), "protection:inspection_list", "protection.Inspection", order=70),
        MenuItem(
            PROTECTION, _("Khắc phục quá hạn"), "protection:finding_overdue", "protection.Finding", order=75
        ),
    ),
    todo=(todo.event_tasks_due, todo.plans_due_for_review, todo.findings_overdue),
    agenda=(agenda.protected_events, agenda.corrective_actions_due),
    start_panels=(StartPanel("protection/_start_panel.html", start_page_overdue, order=30),),
)
