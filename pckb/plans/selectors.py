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
    name_higher_items(user, items)
    implemented = implementations_by_item(user, items)
    for item in items:
        item.implemented_in = implemented.get(item.pk, [])
    return items


def name_higher_items(user, items) -> None:
    """A lower committee's reader cannot open the higher plan its items implement, but it chose those items
    by name (:func:`implementable_items`): each item whose higher item was withheld gets
    ``higher_label`` ("plan — 1. title", as in the choice) when the reader may know it, in one query."""
    withheld = {i.implements_id for i in items if i.implements_id and access.related(i, "implements") is None}
    labels = {}
    if withheld:
        for higher in implementable_items(user).filter(pk__in=withheld):
            labels[higher.pk] = f"{higher.plan} — {higher}"
    for item in items:
        item.higher_label = labels.get(item.implements_id) if item.implements_id in withheld else None


def implementations_by_item(user, items) -> dict[int, list]:
    """For a higher plan's items: the lower committees' items implementing each (what the user may see),
    with their tasks done and counted — one query for the whole plan."""
    ids = [i.pk for i in items]
    if not ids:
        return {}
    out: dict[int, list] = {}
    for low in implementations(user, None).filter(implements__in=ids):
        out.setdefault(low.implements_id, []).append(low)
    return out


def implementations(user, item):
    """Lower committees' items that implement ``item``, with their tasks' progress (what the user may see)."""
    tasks = access.restrict(Task.objects.all(), user).values("pk")
    items = PlanItem.objects.restrict(user)
    items = items.filter(implements=item) if item is not None else items.filter(implements__isnull=False)
    return (
        items.select_related("plan__committee__unit")
        .annotate(
            n_tasks=Count("tasks", filter=Q(tasks__in=tasks), distinct=True),
            n_done=Count("tasks", filter=Q(tasks__in=tasks, tasks__status="done"), distinct=True),
        )
        .order_by("plan__committee__sort_key", "sort_key")
    )


def higher_paths(user) -> list[str]:
    """The unit paths above the user's scope (``/VN/92/31135/`` → ``/VN/``, ``/VN/92/``)."""
    parts = (user.scope_path or "").strip("/").split("/")
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))] if parts != [""] else []


def implementable_items(user):
    """The items a plan item of the user's may implement: the items the user may see, and the items of the
    plans of the committees above the user's scope (a province carries out the national plan it was sent,
    though it cannot open it), within the user's clearance. The higher plans' items are listed by name only;
    their pages and tasks stay out of the province's reach."""
    if not access.has_action(user, PlanItem, access.VIEW):
        return PlanItem.objects.none()
    visible = PlanItem.objects.restrict(user).values("pk")
    above = Q(plan__committee__unit__path__in=higher_paths(user), plan__classification__lte=user.clearance)
    return (
        PlanItem.objects.filter(Q(pk__in=visible) | above)
        .select_related("plan")
        .order_by("-plan__year", "plan__sort_key", "plan_id", "sort_key", "id")
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
    from pckb.training.documents.content import classification_mark
    from pckb.training.documents.data import DocumentHeader, Signer
    from pckb.training.reports import _parent_name, _province_name

    tasks = list(
        overdue_tasks(user, today)
        .filter(committee=committee, lead_agency=agency)
        .select_related("item__plan")
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
            # The letter lists the tasks: it is as secret as the strictest of them (and of their plans).
            classification_mark=classification_mark(*(access.classification_of(t) for t in tasks)),
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
