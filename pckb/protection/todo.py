"""What the protection module asks of each user on the start page (see :mod:`pckb.core.todo`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from pckb.core import access
from pckb.core.todo import TodoItem
from pckb.protection.choices import TASK_WARNING_DAYS, TaskStatus
from pckb.protection.models import EventTask

MODULE = "protection"


def event_tasks_due(user, now):
    """Agency tasks of events not yet over that are overdue or due within three days and not done. The rows
    are those the user may change: a focal point's own agency's tasks, a standing office's in its scope
    (readers who cannot act on a task are not asked to)."""
    today = timezone.localdate(now)
    tasks = (
        access.restrict(EventTask.objects.all(), user, access.CHANGE)
        .filter(event__end__gte=now, due__lte=today + dt.timedelta(days=TASK_WARNING_DAYS))
        .exclude(status=TaskStatus.DONE)
        .select_related("event", "agency")
        .order_by("due", "id")[:10]
    )
    for task in tasks:
        late = task.due < today
        text = (
            _("Quá hạn {day}: {agency} — {task} ({event})")
            if late
            else _("Hạn {day}: {agency} — {task} ({event})")
        )
        yield TodoItem(
            text.format(
                day=task.due.strftime("%d/%m/%Y"),
                agency=task.agency or "",
                task=task.task[:120].rstrip(" ."),
                event=task.event.title,
            ),
            task.get_absolute_url(),
            "danger" if late else "warning",
            MODULE,
            timezone.make_aware(dt.datetime.combine(task.due, dt.time.min)),
        )


def plans_due_for_review(user, now):
    """Approved protection plans past their review date, for who may draft the next version (the standing
    office of the scope)."""
    from pckb.protection.models import ProtectionPlan
    from pckb.protection.selectors import plans_due_for_review as due

    if not access.has_action(user, ProtectionPlan, access.ADD):
        return
    today = timezone.localdate(now)
    for plan in due(user, today=today)[:10]:
        yield TodoItem(
            _("Quá hạn rà soát phương án bảo vệ từ {day}: {plan}").format(
                day=plan.review_date.strftime("%d/%m/%Y"), plan=plan
            ),
            plan.get_absolute_url(),
            "warning",
            MODULE,
            timezone.make_aware(dt.datetime.combine(plan.review_date, dt.time.min)),
        )


def findings_overdue(user, now):
    """Corrective actions past their due date and not closed that the user may update: the owner agency's
    focal point its own agency's, the standing office those of its scope."""
    from pckb.protection.selectors import overdue_findings

    today = timezone.localdate(now)
    for finding in overdue_findings(user, today=today, action=access.CHANGE)[:10]:
        yield TodoItem(
            _("Khắc phục quá hạn {days} ngày: {agency} — {finding} ({target})").format(
                days=finding.days_overdue(today),
                agency=finding.owner_agency or "",
                finding=finding.description[:120].rstrip(" ."),
                target=finding.inspection.target.name,
            ),
            finding.get_absolute_url(),
            "danger",
            MODULE,
            timezone.make_aware(dt.datetime.combine(finding.due, dt.time.min)),
        )
