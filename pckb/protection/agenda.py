"""Protected events on the calendar (see :mod:`pckb.core.agenda`) and as an iCalendar feed."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from pckb.core.agenda import AgendaEvent
from pckb.protection import selectors


def protected_events(user, start, end):
    """The events the user may see in ``[start, end)`` (the calendar at /lich/ and the start page)."""
    for event in selectors.events_between(user, start, end)[:200]:
        yield AgendaEvent(event.title, event.start, event.end, event.get_absolute_url(), _("Bảo vệ"))


def icalendar(events, request) -> bytes:
    """Events as RFC 5545 text, built by the ``icalendar`` library: it escapes and folds every value, so a
    title with line breaks or semicolons cannot add properties or events to the feed. The place is the
    event's unit only: the itinerary (times at each site) stays in the product."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//PCKB Hub//Protection//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Sự kiện, đoàn được bảo vệ"))
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for e in events:
        item = Event()
        item.add("uid", f"protected-event-{e.pk}@pckb-hub")
        item.add("dtstamp", stamp)
        item.add("dtstart", e.start.astimezone(dt.UTC))
        item.add("dtend", e.end.astimezone(dt.UTC))
        item.add("summary", e.title)
        item.add("categories", [e.get_kind_display()])
        item.add("location", str(e.unit))
        if e.classification:
            item.add("class", "CONFIDENTIAL")
        item.add("url", request.build_absolute_uri(e.get_absolute_url()))
        cal.add_component(item)
    return cal.to_ical()


def corrective_actions_due(user, start, end):
    """Due dates of the open corrective actions the user may see in ``[start, end)`` (all-day marks)."""
    import datetime as _dt

    from django.utils import timezone

    from pckb.core import access
    from pckb.protection.choices import ActionStatus
    from pckb.protection.models import Finding

    first, last = timezone.localdate(start), timezone.localdate(end)
    # Values, not objects: only the finding's own text and its target's name are shown (no agency).
    rows = (
        access.restrict(Finding.objects.all(), user, access.VIEW)
        .filter(due__gte=first, due__lt=last)
        .exclude(status=ActionStatus.CLOSED)
        .order_by("due", "id")
        .values_list("pk", "description", "due", "inspection_id", "inspection__target__name")[:200]
    )
    for pk, description, due, inspection_id, target in rows:
        day = timezone.make_aware(_dt.datetime.combine(due, _dt.time.min))
        yield AgendaEvent(
            _("Hạn khắc phục: {finding} ({target})").format(
                finding=description[:80].rstrip(" ."), target=target
            ),
            day,
            day + _dt.timedelta(days=1),
            f"{reverse('protection:inspection', args=[inspection_id])}#ton-tai-{pk}",
            _("Bảo vệ"),
        )
