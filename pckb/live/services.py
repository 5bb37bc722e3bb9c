"""Writes of the live module: publish a live event inside a service's transaction, relay core events to
streams, prune old events.

How a module makes a page live (see docs/architecture.md, "Trang thời gian thực (SSE)"):

1. In the service that changes something, inside its ``service_transaction()``::

       from pckb.live.services import publish
       publish(incident, "incident.log_added", {"entry_id": entry.pk})

   The ``LiveEvent`` row is written in the same transaction (a rollback leaves nothing) and broadcast after
   commit. Or, if the module already emits a core event, map it once in its ``tasks.py``::

       from pckb.live.services import relay, stream_key
       relay("response.incident_changed",
             stream=lambda incident_id, **_: stream_key("response.incident", incident_id),
             kind="incident.changed")

   (a relayed event is stored after the change has committed, in its own short transaction.)
2. In the page: ``<section data-live-stream="{% url 'live:object' 'response' 'incident' incident.pk %}">``
   with regions ``<div data-live-region data-live-url="…fragment…">`` (``pckb/live.js`` re-fetches them).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from pckb.core import events
from pckb.core.services import service_transaction
from pckb.live.broker import Message, get_broker
from pckb.live.models import LiveEvent

logger = logging.getLogger("pckb.live")

_KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_TOKEN = re.compile(r"^[A-Za-z0-9_.:-]{0,64}$")
_STREAM = re.compile(r"^[a-z][a-z0-9_.]{0,54}:[A-Za-z0-9_-]{1,64}$")
#: Keys and values per event: a few ids, never a document.
MAX_DATA_ITEMS = 16


def stream_key(model_label: str, pk) -> str:
    """``"response.incident:7"``: the stream of one object (``model_label`` is "app_label.modelname")."""
    return f"{model_label.lower()}:{pk}"


def stream_for(obj: models.Model) -> str:
    return stream_key(obj._meta.label_lower, obj.pk)


def user_stream(user_or_id) -> str:
    """``"user:12"``: the personal stream of one user (their notification counter, …)."""
    return f"user:{getattr(user_or_id, 'pk', user_or_id)}"


def _check_data(data: dict) -> dict:
    """Ids and kinds only: numbers, booleans, None and short tokens (no spaces, so no sentence)."""
    if not isinstance(data, dict) or len(data) > MAX_DATA_ITEMS:
        raise ValueError("live event data must be a small dict of ids and kinds")

    def ok(value) -> bool:
        if value is None or isinstance(value, bool | int):
            return True
        if isinstance(value, str):
            return bool(_TOKEN.match(value))
        if isinstance(value, list | tuple):
            return len(value) <= 100 and all(v is None or isinstance(v, bool | int) for v in value)
        return False

    for key, value in data.items():
        if not isinstance(key, str) or not _TOKEN.match(key) or not ok(value):
            raise ValueError(f"live event data {key!r}: only ids, numbers and short tokens are allowed")
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def publish(target: models.Model | str, kind: str, data: dict | None = None) -> LiveEvent:
    """Announce ``kind`` on ``target``'s stream (an object, or a stream key such as ``user_stream(u)``).

    Call it inside the service transaction that makes the change: the event is stored in that transaction
    and broadcast once it commits (never on rollback)."""
    stream = target if isinstance(target, str) else stream_for(target)
    if not isinstance(stream, str) or not _STREAM.match(stream):
        raise ValueError(f"invalid live stream key {stream!r}")
    if not _KIND.match(kind) or len(kind) > 80:
        raise ValueError(f"invalid live event kind {kind!r}")
    data = _check_data(data or {})
    with service_transaction():
        event = LiveEvent.objects.create(stream=stream, kind=kind, data=data)
        message = Message(id=event.pk, stream=stream, kind=kind, data=data)
        transaction.on_commit(partial(broadcast, message), robust=True)
    return event


def broadcast(message: Message) -> None:
    """Hand a committed event to the broker (Redis or this process's streams)."""
    get_broker().publish(message)


def relay(
    event_name: str,
    *,
    stream: Callable[..., str | Iterable[str] | None],
    kind: str | None = None,
) -> Callable:
    """Publish a live event whenever the core event ``event_name`` is emitted.

    ``stream(**payload)`` returns the stream key (or several, or None for none); ``kind`` defaults to the
    event name. The payload's id-like values (numbers, booleans, short tokens) become the event's data.
    Core events run after commit, so the live event is stored then, in its own transaction."""
    live_kind = kind or event_name

    def handler(**payload) -> None:
        keys = stream(**payload)
        if not keys:
            return
        keys = [keys] if isinstance(keys, str) else list(keys)
        data = {k: v for k, v in payload.items() if _relayable(k, v)}
        for key in keys:
            publish(key, live_kind, data)

    # core.events registers a handler once per (module, qualname): each relay needs its own name.
    handler.__qualname__ = f"relay[{event_name}->{live_kind}]"
    return events.receiver(event_name)(handler)


def _relayable(key, value) -> bool:
    try:
        _check_data({key: value})
    except ValueError:
        return False
    return True


def live_prune(*, days: int | None = None, now: dt.datetime | None = None, batch: int = 5000) -> int:
    """Delete stored events older than ``days`` (``PCKB_LIVE_RETENTION_DAYS``); returns how many."""
    days = settings.PCKB_LIVE_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    removed = 0
    while True:
        with service_transaction():
            ids = list(LiveEvent.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:batch])
            if not ids:
                break
            removed += LiveEvent.objects.filter(pk__in=ids).delete()[0]
    if removed:
        logger.info("live: pruned %d events older than %d days", removed, days)
    return removed
