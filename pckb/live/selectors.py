"""Reads of the live module: the stored events of some streams after an id (the SSE replay), and the
object a stream is about, read through the permission layer."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Max

from pckb.core import access
from pckb.core.models import PckbModel
from pckb.live.broker import Message
from pckb.live.models import LiveEvent

#: At most this many events are replayed at once (a stream asks again for the rest).
REPLAY_LIMIT = 500


def events_after(*, streams, after_id: int, limit: int = REPLAY_LIMIT) -> list[Message]:
    """Stored events of ``streams`` with an id above ``after_id``, oldest first."""
    rows = (
        LiveEvent.objects.filter(stream__in=list(streams), id__gt=after_id)
        .order_by("id")
        .values_list("id", "stream", "kind", "data")[:limit]
    )
    return [Message(id=i, stream=s, kind=k, data=d or {}) for i, s, k, d in rows]


def last_event_id(*, streams) -> int:
    """The newest stored event id of ``streams`` (0 if none)."""
    return LiveEvent.objects.filter(stream__in=list(streams)).aggregate(m=Max("id"))["m"] or 0


def live_model(app_label: str, model_name: str):
    """The domain model a stream may be opened on, or None. Only ``PckbModel`` subclasses: each is read
    through ``restrict`` (role × scope × classification); infrastructure tables have no object streams."""
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None
    return model if issubclass(model, PckbModel) else None


def visible_object(*, user, model, pk):
    """The object if ``user`` may view it, else None (does not exist and not allowed look the same)."""
    try:
        return access.restrict(model._default_manager.all(), user, access.VIEW).filter(pk=pk).first()
    except (ValueError, TypeError, OverflowError):
        return None
