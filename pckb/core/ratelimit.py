"""A fixed-window rate limit per client address, kept in the cache (Redis in production)."""

from django.core.cache import cache

from pckb.core.middleware import client_ip


def hit(request, bucket: str, *, limit: int, window: int = 60) -> bool:
    """Count one request; return True while the address stays within ``limit`` per ``window`` seconds."""
    key = f"pckb:rl:{bucket}:{client_ip(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
