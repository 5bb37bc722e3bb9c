"""Reads of the response module; each takes the user and starts from ``restrict``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pckb.core import access
from pckb.core.todo import TodoItem
from pckb.response.choices import ReportStatus, forward_minutes
from pckb.response.models import PlanPhase, PlanStep, Report, ReportForwarding


def plan_phases(user, plan) -> list[PlanPhase]:
    """The plan's phases with their steps (agency and positions read with them), as the user may see them."""
    steps = access.restrict(PlanStep.objects.all(), user).select_related("agency", "position", "escalate_to")
    phases = access.restrict(PlanPhase.objects.filter(plan=plan), user).prefetch_related(
        Prefetch("steps", queryset=steps)
    )
    return list(phases)


def report_forwardings(user, report) -> list[ReportForwarding]:
    return list(
        access.restrict(ReportForwarding.objects.filter(report=report), user).select_related(
            "agency", "committee"
        )
    )


def reports_late(user, now: dt.datetime):
    """Reports still waiting to be forwarded after the deadline."""
    deadline = now - dt.timedelta(minutes=forward_minutes())
    return access.restrict(
        Report.objects.filter(status=ReportStatus.RECEIVED, received_at__lt=deadline), user
    ).order_by("received_at")


def todo_reports_late(user, now: dt.datetime):
    """Start page: reports not forwarded in time (the link opens the report, which the user may see)."""
    if not access.has_action(user, Report, access.VIEW):
        return []
    items = []
    for report in reports_late(user, now)[:20]:
        minutes = int((now - report.received_at).total_seconds() // 60)
        items.append(
            TodoItem(
                text=_("{report} quá hạn chuyển: đã {minutes} phút từ khi tiếp nhận").format(
                    report=report, minutes=minutes
                ),
                url=reverse("response:report", args=[report.pk]),
                level="danger",
                module=str(_("Tin báo")),
                when=report.received_at,
            )
        )
    return items
