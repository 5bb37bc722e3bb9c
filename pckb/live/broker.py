"""The per-process broker that hands published live events to the open SSE streams of this process.

* ``LocalBroker`` (the embedded default): a publish reaches the streams of the same process only. Streams
  also look at the stored events every ``PCKB_LIVE_CATCHUP_SECONDS`` (2 s by default), so an event
  published by another process (the worker) still arrives, a little later.
* ``RedisBroker`` (``PCKB_REDIS_URL`` set): a publish goes to one Redis pub/sub channel; each web process
  holds one subscription to it (started by its first stream, in its event loop) and hands each message to
  its own streams. Several uvicorn workers and the Huey worker thus reach every browser at once.

Publishing happens in synchronous code (a service's on-commit callback, in whatever thread ran the view);
streams live in the asyncio event loop. Delivery to a stream is ``loop.call_soon_threadsafe`` on the
stream's loop, so any thread may publish.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from dataclasses import asdict, dataclass, field

from django.conf import settings

logger = logging.getLogger("pckb.live")

#: Events a slow stream may hold before it stops queueing and catches up from the stored log instead.
QUEUE_SIZE = 1000


@dataclass(frozen=True)
class Message:
    """What travels from a publish to a stream: the stored row's id, its stream, kind and small data."""

    id: int
    stream: str
    kind: str
    data: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | bytes) -> Message:
        value = json.loads(raw)
        return cls(
            id=int(value["id"]), stream=str(value["stream"]), kind=str(value["kind"]), data=value["data"]
        )


class Subscription:
    """One open SSE stream's mailbox: the messages of its streams, in the stream's event loop."""

    def __init__(self, streams: frozenset[str], loop: asyncio.AbstractEventLoop):
        self.streams = streams
        self.loop = loop
        self.queue: asyncio.Queue[Message] = asyncio.Queue(maxsize=QUEUE_SIZE)
        #: Set when the queue was full: the stream reads the stored log to catch up.
        self.overflowed = False

    def _put(self, message: Message) -> None:  # in the loop's thread
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True

    def deliver(self, message: Message) -> None:
        """Hand over ``message`` from any thread."""
        if self.loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            self._put(message)
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                self.loop.call_soon_threadsafe(self._put, message)


class LocalBroker:
    """Subscriptions of this process, by stream key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_stream: dict[str, set[Subscription]] = {}

    async def subscribe(self, streams) -> Subscription:
        subscription = Subscription(frozenset(streams), asyncio.get_running_loop())
        with self._lock:
            for stream in subscription.streams:
                self._by_stream.setdefault(stream, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            for stream in subscription.streams:
                subscribers = self._by_stream.get(stream)
                if subscribers is not None:
                    subscribers.discard(subscription)
                    if not subscribers:
                        del self._by_stream[stream]

    def subscriber_count(self) -> int:
        with self._lock:
            return len({s for subs in self._by_stream.values() for s in subs})

    def dispatch(self, message: Message) -> None:
        """Give ``message`` to this process's subscriptions of its stream (from any thread)."""
        with self._lock:
            subscribers = list(self._by_stream.get(message.stream, ()))
        for subscription in subscribers:
            subscription.deliver(message)

    def publish(self, message: Message) -> None:
        self.dispatch(message)

    def close(self) -> None:
        """Forget every subscription (tests)."""
        with self._lock:
            self._by_stream.clear()


class RedisBroker(LocalBroker):
    """Publishes to one Redis pub/sub channel; one listener per event loop hands messages to local streams."""

    def __init__(self, url: str, channel: str) -> None:
        super().__init__()
        self.url = url
        self.channel = channel
        self._client = None
        self._listeners: dict[asyncio.AbstractEventLoop, tuple[asyncio.Task, asyncio.Event]] = {}

    # --- publishing (synchronous, any thread) ---
    def _sync_client(self):
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=5)
        return self._client

    def publish(self, message: Message) -> None:
        try:
            self._sync_client().publish(self.channel, message.to_json())
        except Exception:
            # The row is stored: streams of every process catch up from it. This process's own streams
            # get it now.
            logger.exception("live: Redis publish failed; streams will catch up from the stored log")
            self.dispatch(message)

    # --- listening (one task per event loop) ---
    async def subscribe(self, streams) -> Subscription:
        subscription = await super().subscribe(streams)
        ready = self._listener()
        try:
            # Subscribed to Redis before the stream replays the stored log: nothing falls in between.
            await asyncio.wait_for(ready.wait(), timeout=5)
        except TimeoutError:
            logger.warning("live: Redis subscription not ready; the stream relies on catch-up reads")
        return subscription

    def _listener(self) -> asyncio.Event:
        loop = asyncio.get_running_loop()
        entry = self._listeners.get(loop)
        if entry is None or entry[0].done():
            for old in [k for k in self._listeners if k.is_closed()]:
                del self._listeners[old]
            ready = asyncio.Event()
            task = loop.create_task(self._listen(ready), name="pckb-live-redis")
            entry = self._listeners[loop] = (task, ready)
        return entry[1]

    async def _listen(self, ready: asyncio.Event) -> None:
        import redis.asyncio as aioredis

        delay = 0.5
        while True:
            client = aioredis.Redis.from_url(self.url)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                ready.set()
                delay = 0.5
                async for raw in pubsub.listen():
                    if raw.get("type") != "message":
                        continue
                    try:
                        message = Message.from_json(raw["data"])
                    except (ValueError, KeyError, TypeError):
                        logger.warning("live: malformed message on the Redis channel ignored")
                        continue
                    self.dispatch(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                ready.clear()
                logger.warning("live: Redis subscription lost; retrying in %.1f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
                    await client.aclose()

    def close(self) -> None:
        super().close()
        for task, _ready in self._listeners.values():
            if not task.done() and not task.get_loop().is_closed():
                task.get_loop().call_soon_threadsafe(task.cancel)
        self._listeners.clear()
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.close()
            self._client = None


_broker: LocalBroker | None = None
_broker_lock = threading.Lock()


def get_broker() -> LocalBroker:
    """This process's broker: Redis pub/sub when ``PCKB_REDIS_URL`` is set, else in-process."""
    global _broker
    with _broker_lock:
        if _broker is None:
            if settings.REDIS_URL:
                _broker = RedisBroker(settings.REDIS_URL, settings.PCKB_LIVE_CHANNEL)
            else:
                _broker = LocalBroker()
        return _broker


def reset_broker() -> None:
    """Drop this process's broker (tests that change the settings)."""
    global _broker
    with _broker_lock:
        if _broker is not None:
            _broker.close()
        _broker = None
