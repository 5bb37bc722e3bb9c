"""Reads of the plans module that span relations; each starts from the access layer and takes the user."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from pckb.core import access
from pckb.plans.choices import DUE_SOON_DAYS, OPEN_STATUSES
from pckb.plans.models import PlanItem, ProgressUpdate, Task


def plan_items(user, plan):
    """The plan's items with their task counts (all / done / late) and the higher item each implements."""
    today = timezone.localdate()
    tasks = access.restrict(Task.objects.all(), user).values("pk")
    items = list(
        PlanItem.objects.restrict(user)
        .filter(plan=plan)
        .select_related("implements__plan__committee")
        .annotate(
            n_tasks=Count("tasks", filter=Q(tasks__in=tasks), distinct=True),
            n_done=Count("tasks", filter=Q(tasks__in=tasks, tasks__status="done"), distinct=True),
            n_late=Count(
                "tasks",
                filter=Q(tasks__in=tasks, tasks__status__in=OPEN_STATUSES, tasks__deadline__lt=today),
                distinct=True,
            ),
        )
    )
    access.withhold_related(user, items)
    return items


def implementations(user, item):
    """Lower committees' items that implement ``item``, with their tasks' progress (what the user may see)."""
    tasks = access.restrict(Task.objects.all(), user).values("pk")
    return (
        PlanItem.objects.restrict(user)
        .filter(implements=item)
        .select_related("plan__committee")
        .annotate(
            n_tasks=Count("tasks", filter=Q(tasks__in=tasks), distinct=True),
            n_done=Count("tasks", filter=Q(tasks__in=tasks, tasks__status="done"), distinct=True),
        )
        .order_by("plan__committee__sort_key", "sort_key")
    )


def item_tasks(user, item):
    return (
        Task.objects.restrict(user)
        .filter(item=item)
        .select_related("lead_agency")
        .prefetch_related("supporting_agencies")
    )


def task_updates(user, task):
    return ProgressUpdate.objects.restrict(user).filter(task=task)


def tasks_needing_attention(user, today: dt.date):
    """Open tasks the user may see that are late or due within ``DUE_SOON_DAYS`` days, soonest first."""
    return (
        Task.objects.restrict(user)
        .filter(status__in=OPEN_STATUSES, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .select_related("lead_agency", "item__plan__committee")
        .order_by("deadline", "id")
    )


def overdue_tasks(user, today: dt.date):
    return tasks_needing_attention(user, today).filter(deadline__lt=today)
