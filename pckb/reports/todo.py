"""What the reports module asks of each user on the start page (see :mod:`pckb.core.todo`): the own
committee's reports not yet sent that are late or due within a week, and lower committees' sent reports
waiting for review."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pckb.core import access
from pckb.core.todo import TodoItem
from pckb.reports import selectors
from pckb.reports.models import ReportSchedule

MODULE = "reports"
LIMIT = 10


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=timezone.get_current_timezone())


def reports_due(user, now):
    if not access.has_action(user, ReportSchedule, access.VIEW):
        return
    today = timezone.localdate(now)
    for schedule in selectors.schedules_needing_attention(user, today)[:LIMIT]:
        kind = schedule.get_kind_display()
        if schedule.due_date < today:
            days = (today - schedule.due_date).days
            text = ngettext("Quá hạn {n} ngày: {kind}", "Quá hạn {n} ngày: {kind}", days).format(
                n=days, kind=kind
            )
            level = "danger"
        else:
            text = _("Hạn gửi {day}: {kind}").format(day=schedule.due_date.strftime("%d/%m/%Y"), kind=kind)
            level = "warning"
        yield TodoItem(text, schedule.get_absolute_url(), level, MODULE, _moment(schedule.due_date))
    for report in selectors.reports_awaiting_review(user)[:LIMIT]:
        yield TodoItem(
            _("Chờ xem xét: {title} ({committee})").format(
                title=report.title, committee=report.schedule.committee.name
            ),
            report.get_absolute_url(),
            "info",
            MODULE,
            report.submitted_at,
        )
