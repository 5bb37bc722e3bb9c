"""The SSE endpoints: ``/truc-tiep/<app_label>/<model>/<pk>/`` (one object's stream) and ``/truc-tiep/toi/``
(the signed-in user's own stream).

The object is loaded through the permission layer before anything is streamed: an object the user may not
see, an unknown model or a signed-out user is a 404. Then, in this order, so that nothing is lost and
nothing is sent twice:

1. subscribe to the broker (events published from now on are queued);
2. replay the stored events after ``Last-Event-ID`` (a reconnecting browser) — or, on a first connection,
   note the newest stored id as the starting point;
3. send queued live events, skipping ids already sent (an event may arrive both ways);
4. every ``PCKB_LIVE_CATCHUP_SECONDS`` read the stored events after the newest sent (events published by a
   process this broker does not hear, or dropped by a full queue); a comment every
   ``PCKB_LIVE_HEARTBEAT_SECONDS``; every ``PCKB_LIVE_RECHECK_SECONDS`` (and when the session's expiry time
   comes) check that the session still holds this user and the object is still visible, else end.

The stream ends when the client disconnects (Django cancels the iterator) or the check fails. Served by
WSGI (``runserver``, the test client), a never-ending stream would hold a thread for ever: the endpoint then
answers one ``end`` event at once (and a retry delay of a day); the page simply is not live.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from importlib import import_module

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections, connection
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from pckb.live import selectors
from pckb.live.broker import Message, get_broker
from pckb.live.services import stream_for, user_stream

logger = logging.getLogger("pckb.live")

#: The browser waits this long before reconnecting after a dropped connection (milliseconds).
RETRY_MS = 3000
#: Ids remembered per stream for de-duplication.
SENT_MEMORY = 2048
#: Sent before the server closes a stream for good (session over, object no longer visible).
END = b"event: end\ndata: {}\n\n"
#: The kind of the event that tells a page to refresh every region (more was missed than is replayed).
RESET = "live.reset"


def format_event(message: Message) -> bytes:
    payload = message.to_json()  # JSON has no newline: one data line
    return f"id: {message.id}\ndata: {payload}\n\n".encode()


def parse_last_event_id(request) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("lastEventId") or ""
    raw = raw.strip()
    if raw.isdigit() and len(raw) < 19:
        return int(raw)
    return None


def db(func):
    """``func`` run in a worker thread (streams must not queue behind each other on one thread), with the
    connection housekeeping a request gets (a stream lives for hours; its threads' connections must not)."""

    def run(*args, **kwargs):
        if not connection.settings_dict.get("CONN_MAX_AGE"):
            return func(*args, **kwargs)  # SQLite: one connection per worker thread, kept
        close_old_connections()
        try:
            return func(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(run, thread_sensitive=False)


class SentIds:
    """The ids already sent on one connection (bounded; old ids are below the cursor anyway)."""

    def __init__(self, size: int = SENT_MEMORY):
        self.size = size
        self._ids: OrderedDict[int, None] = OrderedDict()
        self.cursor = 0  # the newest id sent or known

    def __contains__(self, event_id: int) -> bool:
        return event_id in self._ids

    def add(self, event_id: int) -> None:
        self._ids[event_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        self.cursor = max(self.cursor, event_id)


class Stream:
    """One open connection: what it listens to and how it re-authorises."""

    def __init__(self, *, request, user, streams, model=None, pk=None, last_id: int | None = None):
        self.user = user
        self.streams = frozenset(streams)
        self.model, self.pk = model, pk
        self.last_id = last_id
        self.session_key = request.session.session_key
        self.session_class = import_module(settings.SESSION_ENGINE).SessionStore

    def _still_allowed(self) -> tuple[bool, float | None]:
        """Whether the session still holds this user (not expired, not signed out) and the object is still
        visible; and the session's expiry as a timestamp."""
        store = self.session_class(self.session_key)
        data = store.load()
        if not self.session_key or data.get(SESSION_KEY) != str(self.user.pk):
            return False, None
        if self.model is not None:
            if selectors.visible_object(user=self.user, model=self.model, pk=self.pk) is None:
                return False, None
        expiry = store.get_expiry_date()
        return True, expiry.timestamp() if expiry else None

    def _replay(self, after_id: int) -> list[Message]:
        return selectors.events_after(streams=self.streams, after_id=after_id)

    def _last_id(self) -> int:
        return selectors.last_event_id(streams=self.streams)

    async def events(self):
        broker = get_broker()
        subscription = await broker.subscribe(self.streams)
        sent = SentIds()
        replay = db(self._replay)
        heartbeat = float(settings.PCKB_LIVE_HEARTBEAT_SECONDS)
        catchup = float(settings.PCKB_LIVE_CATCHUP_SECONDS)
        recheck = float(settings.PCKB_LIVE_RECHECK_SECONDS)
        try:
            yield f"retry: {RETRY_MS}\n: connected\n\n".encode()
            # Replay after subscribing: an event committed meanwhile is in the queue or in the log.
            if self.last_id is not None:
                sent.cursor = self.last_id
                batch = await replay(sent.cursor)
                if len(batch) < selectors.REPLAY_LIMIT:
                    for message in batch:
                        sent.add(message.id)
                        yield format_event(message)
                else:
                    # Away too long to replay event by event: one "reset" makes every region refresh.
                    newest = await db(self._last_id)()
                    sent.add(newest)
                    yield format_event(Message(id=newest, stream=min(self.streams), kind=RESET))
            else:
                sent.cursor = await db(self._last_id)()
            allowed, expiry = await db(self._still_allowed)()
            if not allowed:
                yield END
                return
            now = time.monotonic()
            next_beat, next_catchup, next_check = now + heartbeat, now + catchup, now + recheck
            if expiry is not None:
                next_check = min(next_check, now + max(1.0, expiry - timezone.now().timestamp() + 1))
            while True:
                wait = max(0.0, min(next_beat, next_catchup, next_check) - time.monotonic())
                message = None
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(wait):  # no task per wait (asyncio.wait_for makes one)
                        message = await subscription.queue.get()
                if message is not None:
                    # A reconnecting browser already has every id up to its Last-Event-ID.
                    if message.id not in sent and (self.last_id is None or message.id > self.last_id):
                        sent.add(message.id)
                        yield format_event(message)
                    if not subscription.queue.empty():
                        continue  # drain what is queued before the timers
                now = time.monotonic()
                if now >= next_catchup or subscription.overflowed:
                    subscription.overflowed = False
                    for message in await replay(sent.cursor):
                        if message.id not in sent:
                            sent.add(message.id)
                            yield format_event(message)
                    next_catchup = time.monotonic() + catchup
                if now >= next_beat:
                    yield b": ping\n\n"
                    next_beat = now + heartbeat
                if now >= next_check:
                    allowed, expiry = await db(self._still_allowed)()
                    if not allowed:
                        yield END
                        return
                    next_check = time.monotonic() + recheck
                    if expiry is not None:
                        left = expiry - timezone.now().timestamp()
                        next_check = min(next_check, time.monotonic() + max(1.0, left + 1))
        finally:
            broker.unsubscribe(subscription)


def _response(request, stream: Stream) -> HttpResponse:
    if not isinstance(request, ASGIRequest):
        # One "end" event and a retry of a day: pckb/live.js closes the EventSource, a bare one waits.
        return HttpResponse(b"retry: 86400000\n" + END, content_type="text/event-stream; charset=utf-8")
    response = StreamingHttpResponse(stream.events(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


def _not_found() -> HttpResponse:
    """A bare 404: no page template, so no CSRF cookie is set. (An EventSource reconnecting after a sign-out
    would otherwise replace the cookie of the login form open in another tab, and that login would fail.)"""
    return HttpResponse(b"", status=404, content_type="text/plain; charset=utf-8")


async def _signed_in_user(request):
    user = await request.auser()
    if not user.is_authenticated or not user.is_active:
        return None
    return user


@require_GET
async def object_stream(request, app_label: str, model: str, pk: int):
    """The stream of one object the user may view (404 otherwise, before anything is streamed)."""
    user = await _signed_in_user(request)
    model_class = selectors.live_model(app_label, model)
    if user is None or model_class is None:
        return _not_found()
    obj = await sync_to_async(selectors.visible_object)(user=user, model=model_class, pk=pk)
    if obj is None:
        return _not_found()
    stream = Stream(
        request=request,
        user=user,
        streams=[stream_for(obj)],
        model=model_class,
        pk=obj.pk,
        last_id=parse_last_event_id(request),
    )
    return _response(request, stream)


@require_GET
async def user_stream_view(request):
    """The signed-in user's own stream (notification counter, …)."""
    user = await _signed_in_user(request)
    if user is None:
        return _not_found()
    stream = Stream(
        request=request, user=user, streams=[user_stream(user)], last_id=parse_last_event_id(request)
    )
    return _response(request, stream)
