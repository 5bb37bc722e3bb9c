"""What the plans module (Kế hoạch) adds to the product: plans and programmes, their items, tasks of member
agencies with progress reports, and the overdue tasks."""

from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.core.access import ADD, EXPORT, VIEW
from pckb.core.registry import MenuGroup, MenuItem, Registration
from pckb.plans import todo

PLAN, ITEM, TASK, UPDATE = "plans.plan", "plans.planitem", "plans.task", "plans.progressupdate"
PLANS = MenuGroup("plans", _("Kế hoạch"), order=25)


def own_agency_tasks(task_id: str):
    """A row rule: tasks (or rows of a task) whose lead agency is the user's agency or which the user's agency
    supports; none for a user without an agency."""

    def rule(qs, user):
        from pckb.plans.models import agency_task_ids

        agency_id = user.person.agency_id if user.person_id else None
        if not agency_id:
            return qs.none()
        return qs.filter(**{f"{task_id}__in": agency_task_ids(agency_id)})

    return rule


registration = Registration(
    urls=("ke-hoach/", "pckb.plans.urls"),
    api=("/", "pckb.plans.api.router"),
    # Standing offices manage their scope's plans and tasks (their "*" default: all actions) and confirm
    # completion; leaders and inspectors read; an agency focal point reads plans and reports progress on its
    # own agency's tasks.
    grants={
        Role.AGENCY_FOCAL: {
            PLAN: frozenset({VIEW}),
            ITEM: frozenset({VIEW}),
            TASK: frozenset({VIEW}),
            UPDATE: frozenset({VIEW, ADD}),
        },
    },
    # A progress update is never changed or removed: a correction is a new update.
    read_only={UPDATE: frozenset({VIEW, ADD, EXPORT})},
    row_rules={
        (Role.AGENCY_FOCAL, TASK, VIEW): own_agency_tasks("pk"),
        **{(Role.AGENCY_FOCAL, UPDATE, action): own_agency_tasks("task_id") for action in (VIEW, ADD)},
    },
    menu=(
        MenuItem(PLANS, _("Kế hoạch, chương trình"), "plans:plan_list", "plans.Plan", order=10),
        MenuItem(PLANS, _("Nhiệm vụ"), "plans:task_list", "plans.Task", order=20),
        MenuItem(PLANS, _("Nhiệm vụ quá hạn"), "plans:task_overdue", "plans.Task", order=30),
    ),
    todo=(todo.tasks_due,),
)
