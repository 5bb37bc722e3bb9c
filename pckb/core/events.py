"""Domain events, dispatched **after commit**.

A service announces what happened with ``emit("training.invitation_sent", invitation_id=7)``. Handlers
registered with ``@receiver("training.invitation_sent")`` run only once the surrounding transaction has
committed; if it rolls back, nothing runs and nothing leaves the system. Outside a transaction (autocommit)
the handlers run at once. Payloads carry ids, never model instances: a handler loads what it needs (usually
it just enqueues a Huey task from its app's ``tasks.py``, which loads by id and calls a service).

Handlers are registered when their module is imported; put them in the app's ``tasks.py``, which Huey's
Django integration imports for every installed app at start-up (web and worker processes alike).

A failing handler is logged and does not stop the other handlers (``robust`` on-commit callbacks): the data
is already committed by then. Anything that must not be lost belongs in the notification outbox
(``pckb.notifications``), which is written *inside* the transaction and delivered with retries.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from functools import partial

from django.db import transaction

logger = logging.getLogger("pckb.events")

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def receiver(event_name: str) -> Callable[[Handler], Handler]:
    """Register ``handler(**payload)`` for ``event_name`` (a re-import does not register it twice)."""

    def register(handler: Handler) -> Handler:
        key = (handler.__module__, handler.__qualname__)
        known = {(h.__module__, h.__qualname__) for h in _handlers[event_name]}
        if key not in known:
            _handlers[event_name].append(handler)
        return handler

    return register


def handlers_for(event_name: str) -> list[Handler]:
    return list(_handlers.get(event_name, ()))


def _dispatch(handler: Handler, event_name: str, payload: dict) -> None:
    try:
        handler(**payload)
    except Exception:
        logger.exception("event handler failed", extra={"event": event_name, "handler": handler.__qualname__})


def emit(event_name: str, *, using: str | None = None, coalesce: bool = False, **payload) -> None:
    """Announce ``event_name``; every handler runs after the transaction commits (never on rollback).

    ``coalesce=True``: an identical event (same name and payload) already waiting for this transaction's
    commit is not scheduled again — e.g. "the outbox has new rows" once per transaction, not once per row.
    """
    key = (event_name, tuple(sorted(payload.items())))
    if coalesce and _waiting(key, using):
        return
    for handler in handlers_for(event_name):
        callback = partial(_dispatch, handler, event_name, payload)
        callback.event_key = key
        transaction.on_commit(callback, using=using, robust=True)


def _waiting(key: tuple, using: str | None) -> bool:
    """Whether an event with ``key`` is among the callbacks the connection will run on commit (callbacks of
    rolled-back savepoints are already gone from that list)."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return False
    return any(getattr(entry[1], "event_key", None) == key for entry in connection.run_on_commit)
