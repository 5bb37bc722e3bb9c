"""What the directory asks of each user on the start page (see :mod:`pckb.core.todo`)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from pckb.core.todo import TodoItem
from pckb.directory.models import Membership, Position


def committee_vacancies(user, now):
    """Committees with seats that nobody holds today (kiện toàn is due)."""
    today = timezone.localdate(now)
    held = Membership.objects.filter(position=OuterRef("pk"), valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    rows = (
        Position.objects.restrict(user)
        .filter(Q(abolished_on__isnull=True) | Q(abolished_on__gt=today))
        # A committee of a retired province (Hậu Giang) was reconstituted under its successor: no vacancy.
        .filter(Q(committee__unit__valid_to__isnull=True) | Q(committee__unit__valid_to__gte=today))
        .exclude(Exists(held))
        .values("committee_id", "committee__name")
        .annotate(n=Count("id"))
        .order_by("committee__sort_key")[:10]
    )
    for row in rows:
        yield TodoItem(
            ngettext(
                "{committee}: {n} vị trí chưa có người đảm nhiệm",
                "{committee}: {n} vị trí chưa có người đảm nhiệm",
                row["n"],
            ).format(committee=row["committee__name"], n=row["n"]),
            reverse("directory:committee", args=[row["committee_id"]]),
            "warning",
            "directory",
        )
