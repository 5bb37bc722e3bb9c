"""Reads of the protection register that span relations, always through the access layer."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from pckb.accounts.choices import Role
from pckb.core import access
from pckb.directory.models import Agency
from pckb.protection.choices import ActionStatus, PlanStatus, TaskStatus
from pckb.protection.models import (
    EventStatus,
    EventTask,
    Finding,
    Inspection,
    PlanFile,
    ProtectedEvent,
    ProtectionPlan,
    RiskAssessment,
    Target,
)


def with_latest_assessment(qs: QuerySet[Target]) -> QuerySet[Target]:
    """Annotate each target with its latest assessment's level and review date (``latest_level``,
    ``review_due``). An assessment shares its target's scope and classification, so a visible target's
    assessments are visible to the same user."""
    latest = RiskAssessment.objects.filter(target=OuterRef("pk")).order_by("-assessed_on", "-id")
    return qs.annotate(
        latest_level=Subquery(latest.values("level")[:1]),
        review_due=Subquery(latest.values("next_review")[:1]),
        latest_assessed=Subquery(latest.values("assessed_on")[:1]),
    )


def targets_due_for_review(user, *, today: dt.date | None = None) -> QuerySet[Target]:
    """The targets the user may see whose latest assessment's review date has passed, or that were never
    assessed (those first), the longest overdue next."""
    today = today or timezone.localdate()
    qs = with_latest_assessment(access.restrict(Target.objects.all(), user, access.VIEW))
    return (
        qs.filter(Q(review_due__lt=today) | Q(review_due__isnull=True))
        .select_related("category", "unit")
        .order_by(F("review_due").asc(nulls_first=True), "sort_key", "id")
    )


def target_agencies(user, target: Target) -> dict[str, Agency | None]:
    """The target's managing and protecting agencies, each only if the user may see it (one query)."""
    ids = {target.managing_agency_id, target.protecting_agency_id} - {None}
    visible = {a.pk: a for a in access.restrict(Agency.objects.filter(pk__in=ids), user, access.VIEW)}
    return {
        "managing": visible.get(target.managing_agency_id),
        "protecting": visible.get(target.protecting_agency_id),
    }


def target_assessments(user, target: Target) -> QuerySet[RiskAssessment]:
    """The target's assessments the user may see, newest first."""
    return access.restrict(target.assessments.all(), user, access.VIEW).order_by("-assessed_on", "-id")


def start_page_overdue(user) -> dict | None:
    """The start page's to-do panel: targets due for a risk review (hidden when there are none, or when the
    user may not read targets)."""
    if not access.has_action(user, Target, access.VIEW):
        return None
    due = list(targets_due_for_review(user)[:6])
    if not due:
        return None
    return {"due": due[:5], "more": len(due) > 5}


# --- Protected events ---------------------------------------------------------------------------------
def events_between(user, start: dt.datetime, end: dt.datetime) -> QuerySet[ProtectedEvent]:
    """The events the user may see that touch ``[start, end)``, earliest first."""
    return (
        access.restrict(ProtectedEvent.objects.all(), user, access.VIEW)
        .filter(start__lt=end, end__gte=start)
        .order_by("start", "id")
    )


def upcoming_events(user, *, now: dt.datetime | None = None, days: int = 365) -> QuerySet[ProtectedEvent]:
    """Events not yet over, for the iCalendar feed (a year ahead)."""
    now = now or timezone.now()
    return events_between(user, now, now + dt.timedelta(days=days)).select_related("unit")


def event_children(user, event: ProtectedEvent) -> dict:
    """The event's tasks, stops and status lines the user may see (a fixed number of queries), and per
    child model whether the user may change each row (a focal point: its own agency's only)."""
    tasks = list(
        access.restrict(event.tasks.all(), user, access.VIEW).select_related("agency").order_by("due", "id")
    )
    stops = list(
        access.restrict(event.stops.all(), user, access.VIEW)
        .select_related("target", "target__unit", "place_unit")
        .order_by("time", "id")
    )
    statuses = event_statuses(user, event)
    changeable_tasks = (
        set(access.restrict(event.tasks.all(), user, access.CHANGE).values_list("pk", flat=True))
        if access.has_action(user, EventTask, access.CHANGE)
        else set()
    )
    today = timezone.localdate()
    for task in tasks:
        task.can_change = task.pk in changeable_tasks
        task.overdue = task.status != TaskStatus.DONE and task.due < today
    agencies = {t.agency_id: t.agency for t in tasks if t.agency is not None}
    return {
        "tasks": tasks,
        "stops": stops,
        "statuses": statuses,
        "participants": sorted(agencies.values(), key=lambda a: a.sort_key),
        "tasks_done": sum(t.status == TaskStatus.DONE for t in tasks),
    }


def event_statuses(user, event: ProtectedEvent) -> list[EventStatus]:
    """The event's status lines the user may see, newest day first, each marked ``can_change`` (a focal
    point: its own agency's lines only)."""
    statuses = list(
        access.restrict(event.statuses.all(), user, access.VIEW)
        .select_related("agency")
        .order_by("-day", "id")
    )
    changeable = (
        set(access.restrict(event.statuses.all(), user, access.CHANGE).values_list("pk", flat=True))
        if statuses and access.has_action(user, EventStatus, access.CHANGE)
        else set()
    )
    for line in statuses:
        line.can_change = line.pk in changeable
    return statuses


def reporting_agencies(user, event: ProtectedEvent) -> QuerySet[Agency]:
    """The agencies the user may write a status line for on ``event``: the lead and participating agencies
    the user may see; an agency focal point only its own (when it takes part)."""
    ids = {event.lead_agency_id, *event.tasks.values_list("agency_id", flat=True)}
    qs = access.restrict(Agency.objects.filter(pk__in=ids), user, access.VIEW).order_by("sort_key", "id")
    if user.role == Role.AGENCY_FOCAL:
        qs = qs.filter(pk=user.person.agency_id if user.person_id else None)
    return qs


# --- Protection plans -----------------------------------------------------------------------------------
def plans_due_for_review(user, *, today: dt.date | None = None) -> QuerySet[ProtectionPlan]:
    """Approved plans the user may see whose review date has passed, the longest overdue first."""
    today = today or timezone.localdate()
    return (
        access.restrict(ProtectionPlan.objects.all(), user, access.VIEW)
        .filter(status=PlanStatus.APPROVED, review_date__lt=today)
        .select_related("target", "event", "unit")
        .order_by("review_date", "sort_key", "id")
    )


def plan_files(user, plan: ProtectionPlan) -> list[PlanFile]:
    """The plan's files the user may see, each title's newest version first."""
    return list(access.restrict(plan.files.all(), user, access.VIEW).order_by("title", "-version", "id"))


def plan_versions(user, plan: ProtectionPlan) -> list[ProtectionPlan]:
    """Every version of the plan's line the user may see (the chain through ``previous``), newest first."""
    ids, current = set(), plan
    seen = access.restrict(ProtectionPlan.objects.all(), user, access.VIEW)
    # Walk back (few versions: one query each) and forward (next versions of any visible one).
    while current is not None and current.pk not in ids:
        ids.add(current.pk)
        current = seen.filter(pk=current.previous_id).first() if current.previous_id else None
    frontier = {plan.pk}
    while frontier:
        nxt = set(seen.filter(previous_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= nxt
        frontier = nxt
    return list(seen.filter(pk__in=ids).order_by("-version", "-id"))


def subject_plans(user, *, target: Target | None = None, event: ProtectedEvent | None = None):
    """The plans of a target or an event the user may see, newest version first."""
    qs = access.restrict(ProtectionPlan.objects.all(), user, access.VIEW)
    qs = qs.filter(target=target) if target is not None else qs.filter(event=event)
    return list(qs.order_by("-version", "-id"))


def event_plan_tasks(user, event: ProtectedEvent) -> tuple[list, list]:
    """The event's itinerary and agency tasks the user may see, for the plan's document."""
    children = event_children(user, event)
    return children["stops"], children["tasks"]


# --- Inspections and findings ---------------------------------------------------------------------------
def _mark_findings(user, findings: list[Finding]) -> list[Finding]:
    changeable = (
        set(
            access.restrict(
                Finding.objects.filter(pk__in=[f.pk for f in findings]), user, access.CHANGE
            ).values_list("pk", flat=True)
        )
        if findings and access.has_action(user, Finding, access.CHANGE)
        else set()
    )
    today = timezone.localdate()
    for f in findings:
        f.can_change = f.pk in changeable
        f.late_days = f.days_overdue(today)
    return findings


def inspection_findings(user, inspection: Inspection) -> list[Finding]:
    """The inspection's findings the user may see, each marked ``can_change`` (a focal point: its own
    agency's only) and ``late_days``."""
    findings = list(
        access.restrict(inspection.findings.all(), user, access.VIEW)
        .select_related("owner_agency")
        .order_by("due", "id")
    )
    return _mark_findings(user, findings)


def target_inspections(user, target: Target) -> list[Inspection]:
    """The target's inspections the user may see, newest first."""
    return list(access.restrict(target.inspections.all(), user, access.VIEW).order_by("-date", "-id"))


def overdue_findings(user, *, today: dt.date | None = None, action: str = access.VIEW) -> QuerySet[Finding]:
    """Corrective actions not closed whose due date has passed, that the user may see (or, with
    ``action=CHANGE``, may update: a focal point, its own agency's), the longest overdue first."""
    today = today or timezone.localdate()
    return (
        access.restrict(Finding.objects.all(), user, action)
        .filter(due__lt=today)
        .exclude(status=ActionStatus.CLOSED)
        .select_related("inspection", "inspection__target", "owner_agency")
        .order_by("due", "id")
    )
