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
        .select_related("lead_agency", "item__plan", "committee")
        .order_by("deadline", "id")
    )


def overdue_tasks(user, today: dt.date):
    return tasks_needing_attention(user, today).filter(deadline__lt=today)


def overdue_groups(user, tasks) -> list[dict]:
    """The overdue tasks grouped by committee and lead agency (one follow-up letter each), in page order."""
    groups: dict[tuple[int, int], dict] = {}
    for task in tasks:
        key = (task.committee_id, task.lead_agency_id)
        group = groups.setdefault(key, {"committee": task.committee, "agency": task.lead_agency, "count": 0})
        group["count"] += 1
    return list(groups.values())


def followup_letter(user, committee, agency, today: dt.date):
    """The follow-up letter to ``agency`` about its overdue tasks of ``committee`` that ``user`` may see, or
    None when there are none. The signer is the committee's permanent deputy head on ``today`` if the reader
    may see who holds the seat (otherwise the name is left for the signer to write)."""
    from pckb.directory.choices import CommitteeRole
    from pckb.directory.selectors import memberships_on
    from pckb.plans.letters import FollowUpLetter, OverdueLine
    from pckb.training.documents.data import DocumentHeader, Signer
    from pckb.training.reports import _parent_name, _province_name

    tasks = list(
        overdue_tasks(user, today).filter(committee=committee, lead_agency=agency).select_related("item")
    )
    if not tasks:
        return None
    holder = (
        access.restrict(memberships_on(committee, today), user)
        .filter(position__role=CommitteeRole.PERMANENT_DEPUTY)
        .first()
    )
    return FollowUpLetter(
        header=DocumentHeader(
            issuer_parent=_parent_name(committee).upper() if committee.host_authority_id else "",
            issuer="BAN CHỈ ĐẠO PHÒNG, CHỐNG KHỦNG BỐ",
            number="/BCĐ-VPTT",
            place=_province_name(committee),
            date=None,
        ),
        committee_name=committee.name,
        agency=agency.name,
        tasks=[
            OverdueLine(
                title=t.title,
                origin=f"Kế hoạch: {t.item}" if t.item_id else t.source_label,
                deadline=t.deadline,
                percent=t.percent,
                days_overdue=(today - t.deadline).days,
            )
            for t in tasks
        ],
        report_by=today + dt.timedelta(days=7),
        signer=Signer(
            authority="KT. TRƯỞNG BAN",
            title="PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
            name=holder.person.full_name if holder else "",
        ),
        distribution=["Như trên", "Trưởng Ban Chỉ đạo (để báo cáo)", "Lưu: VT, VPTT"],
    )


def tasks_of_sources(user, objects) -> dict[int, Task]:
    """For outcomes of other modules (an inspection finding, a corrective action after an incident): the task
    each became, by the source's id — the tasks ``user`` may see."""
    from django.contrib.contenttypes.models import ContentType

    objects = [o for o in objects if o.pk]
    if not objects:
        return {}
    kind = ContentType.objects.get_for_model(type(objects[0]))
    tasks = Task.objects.restrict(user).filter(source_type=kind, source_id__in=[o.pk for o in objects])
    return {task.source_id: task for task in tasks}
