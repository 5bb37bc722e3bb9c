"""Reads of the protection register that span relations, always through the access layer."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from pckb.core import access
from pckb.directory.models import Agency
from pckb.protection.models import RiskAssessment, Target


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
