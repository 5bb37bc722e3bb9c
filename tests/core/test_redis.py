"""The production path for background work and caching, against the real Redis on 127.0.0.1:6379."""

import os

import pytest

REDIS_URL = os.environ.get("PCKB_REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return REDIS_URL


@pytest.mark.redis
def test_task_round_trip_through_redis_queue(redis_url, db):
    from huey import RedisHuey

    from pckb.core.health import heartbeat_record
    from pckb.core.models import WorkerHeartbeat

    huey = RedisHuey("pckb-test", url=redis_url, immediate=False)
    huey.flush()

    @huey.task()
    def beat(name):
        heartbeat_record(name)

    beat("redis-test")
    assert huey.pending_count() == 1
    assert not WorkerHeartbeat.objects.filter(name="redis-test").exists()
    huey.execute(huey.dequeue())
    assert huey.pending_count() == 0
    assert WorkerHeartbeat.objects.filter(name="redis-test").exists()


@pytest.mark.redis
def test_django_cache_on_redis(redis_url):
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache(redis_url, {})
    cache.set("pckb:test", {"tỉnh": "Cần Thơ"}, timeout=5)
    assert cache.get("pckb:test") == {"tỉnh": "Cần Thơ"}
    cache.delete("pckb:test")
    assert cache.get("pckb:test") is None
