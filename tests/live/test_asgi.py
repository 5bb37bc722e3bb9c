"""The SSE endpoint over a real ASGI server (uvicorn in a thread of this process, so the in-process broker
is shared): authorisation before streaming, live delivery, Last-Event-ID replay without gap or duplicate,
and the end of the stream with the session. Catch-up reads are set to a minute, so an event arriving within
seconds came through the broker."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async

from pckb.live import services
from tests.live.servers import SSEClient, ThreadServer, run_async, session_cookie


@pytest.fixture
def server(demo, fresh_broker, settings):
    settings.PCKB_LIVE_CATCHUP_SECONDS = 60
    settings.PCKB_LIVE_HEARTBEAT_SECONDS = 60
    with ThreadServer() as running:
        yield running


def publish(target, kind, **data):
    return sync_to_async(services.publish, thread_sensitive=False)(target, kind, data)


def test_object_the_user_cannot_see_is_404_before_streaming(server, client, cantho, targets):
    visible, hidden = targets
    cookie = session_cookie(client, cantho)

    async def scenario():
        statuses = {}
        for name, path in {
            "hidden": f"/truc-tiep/protection/target/{hidden.pk}/",
            "missing": "/truc-tiep/protection/target/987654321/",
            "anonymous": f"/truc-tiep/protection/target/{visible.pk}/",
            "visible": f"/truc-tiep/protection/target/{visible.pk}/",
        }.items():
            sse = SSEClient(server.port, path, cookie="" if name == "anonymous" else cookie)
            statuses[name] = await sse.connect()
            if name == "visible":
                assert sse.headers["content-type"].startswith("text/event-stream")
            await sse.close()
        return statuses

    assert run_async(scenario()) == {"hidden": 404, "missing": 404, "anonymous": 404, "visible": 200}


def test_event_published_after_connect_arrives(server, client, cantho, targets):
    visible, hidden = targets
    cookie = session_cookie(client, cantho)

    async def scenario():
        sse = SSEClient(server.port, f"/truc-tiep/protection/target/{visible.pk}/", cookie=cookie)
        assert await sse.connect() == 200
        await publish(hidden, "target.changed", id=hidden.pk)  # another stream: not for this client
        event = await publish(visible, "target.changed", id=visible.pk)
        received = await sse.next_event(timeout=3)
        await sse.close()
        return event, received

    event, received = run_async(scenario())
    assert received.id == event.pk
    assert received.data == {
        "id": event.pk,
        "stream": f"protection.target:{visible.pk}",
        "kind": "target.changed",
        "data": {"id": visible.pk},
    }


def test_reconnect_with_last_event_id_receives_exactly_the_missed_events(server, client, cantho, targets):
    visible, hidden = targets
    cookie = session_cookie(client, cantho)
    path = f"/truc-tiep/protection/target/{visible.pk}/"

    async def scenario():
        sse = SSEClient(server.port, path, cookie=cookie)
        await sse.connect()
        first = await publish(visible, "target.changed", n=1)
        assert (await sse.next_event(timeout=3)).id == first.pk
        await sse.close()
        # While the browser is away: two events on its stream, one on another stream.
        missed = [
            await publish(visible, "target.changed", n=2),
            await publish(visible, "target.changed", n=3),
        ]
        await publish(hidden, "target.changed", n=99)
        again = SSEClient(server.port, path, cookie=cookie, last_event_id=first.pk)
        assert await again.connect() == 200
        replayed = await again.events_until_quiet(quiet=1.0)
        live = await publish(visible, "target.changed", n=4)
        after = await again.events_until_quiet(quiet=1.0)
        await again.close()
        return missed, replayed, live, after

    missed, replayed, live, after = run_async(scenario())
    assert [e.id for e in replayed] == [e.pk for e in missed]
    assert [e.data["data"]["n"] for e in replayed] == [2, 3]
    assert [e.id for e in after] == [live.pk]  # once, although it may come by the broker and the log


def test_event_committed_between_subscribe_and_replay_is_sent_once(
    demo, fresh_broker, settings, cantho, targets
):
    """The race the order subscribe → replay → dedupe exists for: an event that is both in the stored log
    (replay) and in the broker queue is sent exactly once, and nothing after Last-Event-ID is skipped."""
    from django.contrib.sessions.backends.db import SessionStore

    from pckb.live import broker as broker_module
    from pckb.live.views import Stream

    visible, _hidden = targets
    settings.PCKB_LIVE_CATCHUP_SECONDS = 60
    session = SessionStore()
    session["_auth_user_id"] = str(cantho.pk)
    session.create()
    first = services.publish(visible, "target.changed", {"n": 1})
    racing = services.publish(visible, "target.changed", {"n": 2})  # stored, and about to be broadcast
    broker = broker_module.get_broker()
    original = broker.subscribe

    async def subscribe_then_race(streams):
        subscription = await original(streams)
        broker.dispatch(
            broker_module.Message(id=racing.pk, stream=racing.stream, kind=racing.kind, data={"n": 2})
        )
        return subscription

    broker.subscribe = subscribe_then_race
    request = type("Request", (), {"session": session})()
    stream = Stream(request=request, user=cantho, streams=[racing.stream], last_id=first.pk)

    async def scenario():
        chunks = []
        events = stream.events()

        async def read():
            async for chunk in events:
                chunks.append(chunk.decode())

        task = asyncio.create_task(read())
        await asyncio.sleep(1.0)
        later = await publish(visible, "target.changed", n=3)
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return chunks, later

    chunks, later = run_async(scenario())
    ids = [int(line[4:]) for chunk in chunks for line in chunk.splitlines() if line.startswith("id: ")]
    assert ids == [racing.pk, later.pk]
    assert broker.subscriber_count() == 0  # a closed stream unsubscribes


def test_stream_ends_when_the_session_ends(server, client, cantho, targets, settings):
    from django.contrib.sessions.models import Session

    visible, _hidden = targets
    settings.PCKB_LIVE_RECHECK_SECONDS = 0.5
    cookie = session_cookie(client, cantho)
    path = f"/truc-tiep/protection/target/{visible.pk}/"

    async def scenario():
        sse = SSEClient(server.port, path, cookie=cookie)
        assert await sse.connect() == 200
        await sync_to_async(Session.objects.all().delete, thread_sensitive=False)()  # signed out elsewhere
        end = await sse.next_event(timeout=5)
        with pytest.raises(EOFError):
            await sse.next_event(timeout=5)
        await sse.close()
        again = SSEClient(server.port, path, cookie=cookie)
        status = await again.connect()
        await again.close()
        return end, status

    end, status = run_async(scenario())
    assert end.event == "end"
    assert status == 404  # EventSource does not reconnect after a 404


def test_heartbeat_comments_keep_the_stream_open(server, client, cantho, settings):
    settings.PCKB_LIVE_HEARTBEAT_SECONDS = 0.3
    cookie = session_cookie(client, cantho)

    async def scenario():
        sse = SSEClient(server.port, "/truc-tiep/toi/", cookie=cookie)
        assert await sse.connect() == 200
        with pytest.raises(TimeoutError):
            await sse.next_event(timeout=1.2)
        await sse.close()
        return sse.comments

    comments = run_async(scenario())
    assert comments.count("ping") >= 2


def test_a_browser_away_too_long_gets_one_reset_instead_of_a_flood(
    demo, fresh_broker, settings, cantho, monkeypatch
):
    from django.contrib.sessions.backends.db import SessionStore

    from pckb.live import selectors
    from pckb.live.views import RESET, Stream

    monkeypatch.setattr(selectors, "REPLAY_LIMIT", 3)
    session = SessionStore()
    session["_auth_user_id"] = str(cantho.pk)
    session.create()
    stream_key = services.user_stream(cantho)
    first = services.publish(stream_key, "notification.created", {"id": 1})
    newest = [services.publish(stream_key, "notification.created", {"id": n}) for n in range(2, 8)][-1]
    request = type("Request", (), {"session": session})()
    stream = Stream(request=request, user=cantho, streams=[stream_key], last_id=first.pk)

    async def scenario():
        events = stream.events()
        chunks = [await anext(events), await anext(events)]
        await events.aclose()
        return b"".join(chunks).decode()

    text = run_async(scenario())
    assert f"id: {newest.pk}\n" in text and f'"kind":"{RESET}"' in text
    assert text.count("id: ") == 1
