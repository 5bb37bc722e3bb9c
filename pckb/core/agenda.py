"""The calendar of upcoming events (conferences today; protected events and exercises as modules add them).

Each app that has dated events writes, usually in ``<app>/agenda.py``, functions that take the user and a
period ``[start, end)`` and return :class:`AgendaEvent` objects read through the access layer, and lists them
in its ``registration.py`` (``Registration(agenda=(...))``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from pckb.accounts.models import User


@dataclass(frozen=True)
class AgendaEvent:
    title: str
    start: dt.datetime
    end: dt.datetime
    url: str | None = None
    kind: str = ""  # a short label of the module or event type, shown beside the title


def events(user: User, start: dt.datetime, end: dt.datetime) -> list[AgendaEvent]:
    from pckb.core import registry

    found = [e for func in registry.agenda_sources() for e in func(user, start, end)]
    return sorted(found, key=lambda e: (e.start, e.title))


def upcoming_events(user: User, days: int = 30) -> list[AgendaEvent]:
    """Events from now on, for the start page."""
    now = timezone.now()
    return events(user, now, now + dt.timedelta(days=days))


def upcoming_panel(user) -> dict:
    """The start page's panel of the next 30 days (registered by core)."""
    return {"upcoming": upcoming_events(user)[:8]}


@dataclass(frozen=True)
class Day:
    date: dt.date
    in_month: bool
    today: bool
    events: list[AgendaEvent]


def month_grid(user: User, year: int, month: int) -> list[list[Day]]:
    """The weeks (Monday first) covering ``month``, each day with the events that touch it."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    found = events(user, start, end)
    today = timezone.localdate()
    by_day: dict[dt.date, list[AgendaEvent]] = {}
    for event in found:
        day = max(timezone.localtime(event.start, tz).date(), first)
        stop = min(timezone.localtime(event.end, tz).date(), last)
        while day <= stop:
            by_day.setdefault(day, []).append(event)
            day += dt.timedelta(days=1)
    return [[Day(d, d.month == month, d == today, by_day.get(d, [])) for d in week] for week in weeks]
