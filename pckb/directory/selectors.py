"""Reads that span the directory's relations."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from pckb.core import access
from pckb.directory.choices import ROLE_ORDER
from pckb.directory.models import Agency, Committee, Membership, Person, Position


def today() -> dt.date:
    return timezone.localdate()


def memberships_on(committee: Committee, on: dt.date) -> QuerySet[Membership]:
    """Memberships of ``committee`` in force on ``on`` (valid_from ≤ on ≤ valid_to)."""
    return (
        Membership.objects.filter(position__committee=committee, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("person", "person__agency", "position", "position__agency", "decision")
    )


@dataclass
class CompositionRow:
    number: int
    position: Position
    membership: Membership | None


def committee_composition(user, committee: Committee, on: dt.date | None = None) -> list[CompositionRow]:
    """The official list (danh sách thành viên) on a date: every position in order, with its holder.

    People the user may not see (above their clearance) are shown as a vacant line, never by name; a decision
    above the user's clearance is withheld (``access.related(row.membership, "decision")`` is ``None``).
    """
    on = on or today()
    positions = list(
        Position.objects.filter(committee=committee)
        .filter(Q(abolished_on__isnull=True) | Q(abolished_on__gt=on))
        .select_related("agency")
    )
    # Read through the access layer: a holder above the reader's clearance (Membership inherits the
    # person's classification) leaves a vacant line, and a decision above it is withheld from the row.
    held = {m.position_id: m for m in access.restrict(memberships_on(committee, on), user, access.VIEW)}
    positions.sort(key=lambda p: (ROLE_ORDER.get(p.role, 99), p.order, p.pk))
    rows = []
    for number, position in enumerate(positions, start=1):
        rows.append(CompositionRow(number, position, held.get(position.pk)))
    return rows


def start_page_summary(user) -> dict:
    """The start page's directory panel: how many committees, agencies and people the user may see, and the
    first committees."""
    committees = Committee.objects.restrict(user)
    return {
        "committees": committees.select_related("unit")[:10],
        "counts": {
            "committees": committees.count(),
            "agencies": Agency.objects.restrict(user).count(),
            "people": Person.objects.restrict(user).count(),
        },
    }
