"""publish(): the stored event is written in the caller's transaction and broadcast only after commit; data
is ids and kinds only; relay() maps a core event; old events are pruned; the notification centre publishes
on the user's stream; the endpoints answer 404 for what the user may not see (checked over WSGI here, the
streaming itself over ASGI in test_asgi.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from pckb.live import services
from pckb.live.broker import LocalBroker, Message
from pckb.live.models import LiveEvent
from tests.live.servers import run_async


@pytest.fixture
def sent(monkeypatch):
    """What reached the broker (after commit)."""
    received: list[Message] = []
    monkeypatch.setattr(
        services, "get_broker", lambda: type("B", (), {"publish": staticmethod(received.append)})
    )
    return received


def test_publish_stores_in_transaction_and_broadcasts_after_commit(
    db, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with services.service_transaction():
            event = services.publish("user:7", "notification.created", {"id": 3})
            assert LiveEvent.objects.filter(pk=event.pk).exists()
            assert sent == []  # nothing leaves before commit
    assert len(callbacks) == 1
    assert sent == [Message(id=event.pk, stream="user:7", kind="notification.created", data={"id": 3})]


def test_rolled_back_publish_leaves_nothing(db, sent, django_capture_on_commit_callbacks):
    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Boom):
        with services.service_transaction():
            services.publish("user:7", "notification.created", {"id": 3})
            raise Boom
    assert not LiveEvent.objects.filter(stream="user:7").exists()
    assert sent == []


def test_object_stream_key(db):
    from pckb.protection.models import Target

    target = Target.objects.first()
    assert services.stream_for(target) == f"protection.target:{target.pk}"
    assert services.stream_key("response.Incident", 5) == "response.incident:5"
    assert services.user_stream(12) == "user:12"


@pytest.mark.parametrize(
    "data",
    [
        {"title": "Báo cáo vụ việc tại chợ"},  # a sentence: text never travels on a stream
        {"phone": "0912 345 678"},
        {"nested": {"id": 1}},
        {"id": 1.5},
    ],
)
def test_only_ids_and_kinds_are_accepted(db, data):
    with pytest.raises(ValueError):
        services.publish("user:7", "notification.created", data)
    assert not LiveEvent.objects.exists()


@pytest.mark.parametrize("stream,kind", [("user 7", "x"), ("", "x"), ("user:7", "Có dấu"), ("user:7", "")])
def test_bad_stream_or_kind_is_refused(db, stream, kind):
    with pytest.raises(ValueError):
        services.publish(stream, kind)


def test_relay_maps_a_core_event_to_a_publish(db, sent, django_capture_on_commit_callbacks):
    from pckb.core import events

    services.relay(
        "tests.thing_changed",
        stream=lambda thing_id, **_: services.stream_key("tests.thing", thing_id),
        kind="thing.changed",
    )
    services.relay("tests.thing_changed", stream=lambda **_: "user:1")  # a second relay of the same event
    with django_capture_on_commit_callbacks(execute=True):
        with services.service_transaction():
            events.emit("tests.thing_changed", thing_id=9, note="không đi theo sự kiện")
    assert [(m.stream, m.kind, m.data) for m in sent] == [
        ("tests.thing:9", "thing.changed", {"thing_id": 9}),
        ("user:1", "tests.thing_changed", {"thing_id": 9}),
    ]


def test_prune_removes_only_old_events(db):
    old = services.publish("user:7", "notification.created", {"id": 1})
    new = services.publish("user:7", "notification.created", {"id": 2})
    LiveEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert services.live_prune(days=7) == 1
    assert list(LiveEvent.objects.values_list("pk", flat=True)) == [new.pk]


def test_notify_publishes_on_the_recipients_stream(db, users, sent, django_capture_on_commit_callbacks):
    from pckb.notifications.services import notification_mark_read, notify

    user = users["vptt.cantho"]
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify(recipients=[user], event="tests.live", title="Có việc mới", webhook=False)
    assert [(m.stream, m.kind, m.data) for m in sent] == [
        (f"user:{user.pk}", "notification.created", {"id": notification.pk})
    ]
    with django_capture_on_commit_callbacks(execute=True):
        notification_mark_read(user=user, notification_id=notification.pk)
    assert sent[-1].kind == "notification.read"
    # The title never travels on the stream.
    assert "Có việc mới" not in str(list(LiveEvent.objects.values_list("data", flat=True)))


def test_local_broker_delivers_only_to_the_stream_subscribers():
    import asyncio

    async def scenario():
        broker = LocalBroker()
        mine = await broker.subscribe(["user:1"])
        other = await broker.subscribe(["user:2"])
        broker.dispatch(Message(id=1, stream="user:1", kind="a.b"))
        await asyncio.sleep(0)
        assert mine.queue.qsize() == 1 and other.queue.qsize() == 0
        broker.unsubscribe(mine)
        broker.dispatch(Message(id=2, stream="user:1", kind="a.b"))
        await asyncio.sleep(0)
        assert mine.queue.qsize() == 1
        assert broker.subscriber_count() == 1

    run_async(scenario())


# --- the endpoints over WSGI (the test client): authorisation before anything else ----------------------
def test_object_stream_is_404_for_an_object_out_of_scope(client, users):
    from pckb.core import access
    from pckb.protection.models import Target

    user = users["vptt.cantho"]
    client.force_login(user)
    visible = access.restrict(Target.objects.all(), user).first()
    hidden = Target.objects.exclude(pk__in=access.restrict(Target.objects.all(), user).values("pk")).first()
    assert client.get(f"/truc-tiep/protection/target/{hidden.pk}/").status_code == 404
    assert client.get("/truc-tiep/protection/target/999999999/").status_code == 404
    # Served by WSGI the stream cannot be held open: one "end" event, and the client stops.
    response = client.get(f"/truc-tiep/protection/target/{visible.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert b"event: end" in response.content


def test_streams_are_404_for_unknown_or_infrastructure_models_and_signed_out_users(client, users):
    from pckb.notifications.models import Notification

    client.force_login(users["vptt.quocgia"])  # sees every domain object
    assert client.get("/truc-tiep/khong/co/1/").status_code == 404
    assert client.get("/truc-tiep/accounts/user/1/").status_code == 404
    n = Notification.objects.create(recipient=users["vptt.cantho"], event="x", title="t")
    assert client.get(f"/truc-tiep/notifications/notification/{n.pk}/").status_code == 404
    client.logout()
    assert client.get("/truc-tiep/toi/").status_code == 404


def test_a_signed_out_stream_request_leaves_the_login_forms_csrf_cookie_alone(client, db):
    """A tab's EventSource reconnecting after a sign-out must not set a new CSRF cookie: the login form open
    in another tab carries a token of the cookie it was given, and its login would fail (seen in Chromium)."""
    login_page = client.get("/tai-khoan/dang-nhap/")
    token = login_page.cookies["csrftoken"].value
    for url in ("/truc-tiep/toi/", "/truc-tiep/response/incident/1/"):
        client.cookies.pop("csrftoken", None)
        response = client.get(url)
        assert response.status_code == 404
        assert "csrftoken" not in response.cookies
    client.cookies["csrftoken"] = token


def test_header_badge_fragment_counts_unread(client, users):
    from pckb.notifications.services import notify

    user = users["vptt.cantho"]
    client.force_login(user)
    notify(recipients=[user], event="tests.live", title="Một", webhook=False)
    notify(recipients=[user], event="tests.live", title="Hai", webhook=False)
    html = client.get("/thong-bao/chua-doc/").content.decode()
    assert ">2<" in html
    page = client.get("/").content.decode()
    assert 'data-live-stream="/truc-tiep/toi/"' in page
    assert 'data-live-url="/thong-bao/chua-doc/"' in page


def test_publish_inside_an_outer_transaction_waits_for_the_outer_commit(db, sent):
    with transaction.atomic():
        services.publish("user:7", "x.y")
    # The test's own transaction has not committed: nothing was broadcast.
    assert sent == []
