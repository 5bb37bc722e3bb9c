"""The start page's "Việc cần làm" (what needs doing): each app contributes items through its registration.

An app writes, usually in ``<app>/todo.py``, functions that take the user and the current time and return
:class:`TodoItem` objects read through the access layer (so an item never names an object the user cannot
see, and its link is computed from the same permission check as the page it opens), and lists them in its
``registration.py`` (``Registration(todo=(...))``). Each provider runs a fixed number of queries, whatever the
data size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

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


def providers() -> list[Callable]:
    from pckb.core import registry

    return registry.todo_providers()


def todo_items(user: User, now: dt.datetime | None = None) -> list[TodoItem]:
    """Every item for ``user``, most urgent first, then by date."""
    now = now or timezone.now()
    items = [item for func in providers() for item in func(user, now)]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: (LEVELS.index(i.level), i.when or far))


def todo_panel(user) -> dict:
    """The start page's to-do panel (registered by core, first on the page)."""
    return {"todo": todo_items(user)}
