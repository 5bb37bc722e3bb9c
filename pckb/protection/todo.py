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
