"""Across processes with Redis pub/sub: two uvicorn processes on the same database and the real Redis on
127.0.0.1:6379; an event published in one uvicorn process (a real request there marks notifications read)
reaches a client of the other, and an event published by a third process (this one, as the worker would)
reaches clients of both. Catch-up reads are off (two minutes), so only pub/sub can deliver in time."""

from __future__ import annotations

import asyncio
import os
import re
import urllib.parse
import urllib.request
import uuid

import pytest
from asgiref.sync import sync_to_async

from tests.live.servers import ProcessServer, SSEClient, database_env, run_async, session_cookie

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


@pytest.fixture
def redis_live(redis_url, settings, fresh_broker):
    """This process publishes to Redis too, on a channel of its own (pub/sub ignores database numbers)."""
    from pckb.live.broker import reset_broker

    channel = f"pckb-test-live-{uuid.uuid4().hex}"
    settings.REDIS_URL = redis_url
    settings.PCKB_LIVE_CHANNEL = channel
    reset_broker()
    env = {
        **database_env(),
        "PCKB_REDIS_URL": redis_url,
        "PCKB_LIVE_CHANNEL": channel,
        "PCKB_LIVE_CATCHUP_SECONDS": "120",
        "PCKB_LIVE_HEARTBEAT_SECONDS": "120",
    }
    with ProcessServer(env) as first, ProcessServer(env) as second:
        yield first, second


def mark_all_read_through(server, cookie: str) -> int:
    """A real browser's POST to "mark all read" on ``server`` (CSRF token from the page's form)."""
    page = urllib.request.Request(server.url + "/thong-bao/", headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(page, timeout=30) as response:  # noqa: S310 (loopback)
        html = response.read().decode()
        csrf_cookie = next(
            c.split(";")[0] for c in response.headers.get_all("Set-Cookie") if c.startswith("csrftoken=")
        )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    post = urllib.request.Request(  # noqa: S310
        server.url + "/thong-bao/da-doc-het/",
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
        headers={"Cookie": f"{cookie}; {csrf_cookie}", "Referer": server.url + "/thong-bao/"},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(post, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.redis
def test_event_published_in_one_uvicorn_process_reaches_a_client_of_another(redis_live, demo, client, cantho):
    from pckb.notifications.services import notify

    first, second = redis_live
    cookie = session_cookie(client, cantho)

    async def scenario():
        on_first = SSEClient(first.port, "/truc-tiep/toi/", cookie=cookie)
        on_second = SSEClient(second.port, "/truc-tiep/toi/", cookie=cookie)
        assert await on_first.connect() == 200
        assert await on_second.connect() == 200
        await asyncio.sleep(0.3)  # both processes' Redis subscriptions are up (each stream waits for it)
        # Published by this process (as the worker would): both uvicorn processes' clients get it.
        created = await sync_to_async(notify, thread_sensitive=False)(
            recipients=[cantho], event="tests.live", title="Tin mới", webhook=False
        )
        got = [await on_first.next_event(timeout=5), await on_second.next_event(timeout=5)]
        # Published inside the first uvicorn process by a real request: the second's client gets it.
        status = await asyncio.to_thread(mark_all_read_through, first, cookie)
        read = await on_second.next_event(timeout=5)
        also = await on_first.next_event(timeout=5)
        for sse in (on_first, on_second):
            await sse.close()
        return created, got, status, read, also

    created, got, status, read, also = run_async(scenario())
    assert [e.data["kind"] for e in got] == ["notification.created"] * 2
    assert {e.data["data"]["id"] for e in got} == {created[0].pk}
    assert status == 302
    assert read.data["kind"] == "notification.read" and read.data["stream"] == f"user:{cantho.pk}"
    assert also.id == read.id
