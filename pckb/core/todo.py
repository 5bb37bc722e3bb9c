"""The start page's "Việc cần làm" (what needs doing): each app contributes items through a ``todo`` module.

An app declares, in ``<app>/todo.py``, one or more functions decorated with :func:`provider`; each takes the
user and the current time and returns :class:`TodoItem` objects, read through the access layer (so an item
never names an object the user cannot see, and its link is computed from the same permission check as the
page it opens). Core imports no app: the modules are found with Django's ``autodiscover_modules`` the first
time the list is asked for. Each provider should run a fixed number of queries, whatever the data size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from pckb.accounts.models import User

#: Order of urgency: what is late or happening now comes first.
LEVELS = ("danger", "warning", "info")


@dataclass(frozen=True)
class TodoItem:
    """One line of the to-do panel. ``url`` is None when the user may not open the page it would lead to."""

    text: str
    url: str | None = None
    level: str = "info"
    module: str = ""
    when: dt.datetime | None = None  # the deadline or the moment it is about, for sorting and display


Provider = Callable[["User", dt.datetime], Iterable[TodoItem]]
_providers: list[Provider] = []
_discovered = False


def provider(func: Provider) -> Provider:
    """Register a to-do provider (used as a decorator in ``<app>/todo.py``)."""
    if func not in _providers:
        _providers.append(func)
    return func


def providers() -> list[Provider]:
    global _discovered
    if not _discovered:
        autodiscover_modules("todo")
        _discovered = True
    return list(_providers)


def todo_items(user: User, now: dt.datetime | None = None) -> list[TodoItem]:
    """Every item for ``user``, most urgent first, then by date."""
    now = now or timezone.now()
    items = [item for func in providers() for item in func(user, now)]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: (LEVELS.index(i.level), i.when or far))
