"""What the plans module asks of each user on the start page (see :mod:`pckb.core.todo`): open tasks that
are late or due within a week — a focal point's own agency's, a standing office's whole scope."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pckb.core.todo import TodoItem
from pckb.plans import selectors

MODULE = "plans"
LIMIT = 10


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=timezone.get_current_timezone())


def tasks_due(user, now):
    """Late tasks ("danger") and tasks due within 7 days ("warning"), at most ``LIMIT``, in one query; when
    there are more, one line leads to the overdue list."""
    today = timezone.localdate(now)
    tasks = list(selectors.tasks_needing_attention(user, today)[: LIMIT + 1])
    for task in tasks[:LIMIT]:
        agency = task.lead_agency.short_name or task.lead_agency.name
        if task.deadline < today:
            days = (today - task.deadline).days
            text = ngettext(
                "Quá hạn {n} ngày: {title} ({agency})", "Quá hạn {n} ngày: {title} ({agency})", days
            ).format(n=days, title=task.title, agency=agency)
            level = "danger"
        else:
            text = _("Hạn {day}: {title} ({agency})").format(
                day=task.deadline.strftime("%d/%m/%Y"), title=task.title, agency=agency
            )
            level = "warning"
        yield TodoItem(text, task.get_absolute_url(), level, MODULE, _moment(task.deadline))
    if len(tasks) > LIMIT:
        from django.urls import reverse

        yield TodoItem(
            _("Còn nhiệm vụ quá hạn hoặc sắp đến hạn khác"), reverse("plans:task_overdue"), "info", MODULE
        )
