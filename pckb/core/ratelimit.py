"""Fixed-window rate limits kept in the cache (Redis in production), counted atomically.

Each window has its own key (``…:<window number>``) that expires when the window ends, so a counted request
never prolongs a block: whoever is over the limit is let in again at the next window. The count is atomic:

- Redis (and the local-memory cache): ``cache.add(key, 0)`` then ``cache.incr(key)``; Redis' ``INCR`` keeps
  the key's expiry.
- Database cache (development, single server without Redis): Django's ``incr`` there is a read then a write
  that also renews the expiry, so the read-increment-write runs in one transaction holding the write lock
  (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock) and writes back the window's own expiry.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import OperationalError, connections, router, transaction

from pckb.core.middleware import client_ip

#: Keys outlive their window by this much, so a request at the very end of a window still finds its key.
GRACE_SECONDS = 5


def _key(bucket: str, ident: str, window: int, now: float) -> tuple[str, int]:
    number = int(now // window)
    digest = hashlib.sha256(str(ident).encode("utf-8")).hexdigest()[:32]
    timeout = max(1, int((number + 1) * window - now) + GRACE_SECONDS)
    return f"pckb:rl:{bucket}:{digest}:{window}:{number}", timeout


def _incr_in_database(cache: DatabaseCache, key: str, timeout: int) -> int:
    db = router.db_for_write(cache.cache_model_class)
    connection = connections[db]
    for attempt in range(200):
        try:
            with transaction.atomic(using=db):
                with connection.cursor() as cursor:
                    if connection.vendor == "postgresql":
                        lock_id = int(hashlib.sha256(key.encode()).hexdigest()[:15], 16)
                        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
                    else:  # a write, even of no row, takes SQLite's write lock before the read below
                        table = connection.ops.quote_name(cache._table)
                        cursor.execute(f"UPDATE {table} SET expires = expires WHERE cache_key = %s", [key])  # noqa: S608
                count = (cache.get(key) or 0) + 1
                cache.set(key, count, timeout=timeout)
                return count
        except OperationalError as exc:
            # An in-memory shared-cache SQLite database (the test database) does not wait for its lock.
            if "locked" not in str(exc) or attempt == 199 or connection.in_atomic_block:
                raise
            time.sleep(0.005)
    raise AssertionError("unreachable")


def _now() -> float:
    """The clock the windows are cut from (one place, so a test can hold it inside one window)."""
    return time.time()


def count(bucket: str, ident: str, *, window: int = 60) -> int:
    """Count one event for ``ident`` in ``bucket``; return the number counted in the current window."""
    key, timeout = _key(bucket, ident, window, _now())
    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        return _incr_in_database(cache, key, timeout)
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the key vanished between add and incr (evicted): count afresh
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key)


def counted(bucket: str, ident: str, *, window: int = 60) -> int:
    """How many events ``ident`` has in ``bucket`` in the current window (nothing is counted)."""
    key, _timeout = _key(bucket, ident, window, _now())
    return caches["default"].get(key) or 0


def allow(bucket: str, ident: str, *, limit: int, window: int = 60) -> bool:
    """Count one event; True while ``ident`` stays within ``limit`` per ``window`` seconds."""
    return count(bucket, ident, window=window) <= limit


def hit(request, bucket: str, *, limit: int, window: int = 60) -> bool:
    """Count one request from the client's address (see :func:`pckb.core.middleware.client_ip`)."""
    return allow(bucket, client_ip(request), limit=limit, window=window)
