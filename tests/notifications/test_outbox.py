"""The notification outbox against real peers on 127.0.0.1 (an aiosmtpd SMTP server, an HTTP receiver).

These tests commit for real (``transactional_db``): what the worker sends after commit is what a user would
receive. The Huey worker runs in immediate mode under pytest, so the task enqueued on commit runs at once.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from pckb.accounts.models import User
from pckb.notifications import services
from pckb.notifications.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(Exception):
    pass


@pytest.fixture
def officer():
    return User.objects.create_user("dau.moi.thu", email="daumoi@example.invalid", password="x" * 12)


def send_one(user, **extra):
    return services.notify(
        recipients=[user],
        event="test.hello",
        title="Giấy mời dự hội nghị thử",
        body="Nội dung thử.",
        url="/tap-huan/",
        **extra,
    )


def test_rollback_sends_nothing(peers, officer):
    smtp, hook = peers
    with pytest.raises(Boom), transaction.atomic():
        send_one(officer)
        raise Boom
    assert Notification.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    services.outbox_drain(until_done=True)
    assert smtp.messages == [] and hook.requests == []


def test_commit_sends_each_channel_once_with_its_idempotency_key(peers, officer):
    smtp, hook = peers
    with transaction.atomic():
        (notification,) = send_one(officer)
        # nothing leaves before the commit
        assert smtp.messages == [] and hook.requests == []
    email_row = OutboxMessage.objects.get(channel="email")
    hook_row = OutboxMessage.objects.get(channel="webhook")
    assert email_row.status == hook_row.status == "sent"
    assert email_row.attempts == hook_row.attempts == 1

    (mail,) = smtp.messages
    assert mail["Message-ID"] == email_row.message_id
    assert mail["X-PCKB-Idempotency-Key"] == str(email_row.idempotency_key)
    assert mail["To"] == "daumoi@example.invalid"
    assert mail["Subject"] == "Giấy mời dự hội nghị thử"
    assert "/tap-huan/" in mail.get_content()

    (call,) = hook.requests
    assert call["key"] == str(hook_row.idempotency_key) and hook.bad_signatures == 0
    assert call["json"]["event"] == "test.hello"
    assert call["json"]["data"]["recipients"] == ["dau.moi.thu"]

    # the in-app notification is there, unread
    assert Notification.objects.get(recipient=officer) == notification and notification.read_at is None

    # another pass of the worker sends nothing more
    report = services.outbox_drain(until_done=True)
    assert report.claimed == 0 and len(smtp.messages) == 1 and len(hook.requests) == 1


def test_same_dedupe_key_notifies_once(peers, officer):
    smtp, hook = peers
    assert len(send_one(officer, dedupe_key="nhac:1")) == 1
    assert send_one(officer, dedupe_key="nhac:1") == []
    assert Notification.objects.count() == 1 and OutboxMessage.objects.count() == 2
    assert len(smtp.messages) == 1 and len(hook.requests) == 1


def test_a_failing_receiver_is_retried_with_backoff_then_delivered(peers, officer, settings):
    smtp, hook = peers
    hook.fail_next = 1  # the webhook answers 503 once
    settings.EMAIL_PORT = smtp.port + 1 if smtp.port < 65535 else smtp.port - 1  # nothing listens there
    before = timezone.now()
    send_one(officer)
    email_row = OutboxMessage.objects.get(channel="email")
    hook_row = OutboxMessage.objects.get(channel="webhook")
    for row in (email_row, hook_row):
        assert row.status == "pending" and row.attempts == 1 and row.last_error
        # first retry after the base backoff (30 s)
        assert dt.timedelta(seconds=29) <= row.next_attempt_at - before <= dt.timedelta(seconds=40)
    assert smtp.messages == [] and hook.requests == []

    # not due yet: the worker leaves them alone
    assert services.outbox_deliver().claimed == 0

    settings.EMAIL_PORT = smtp.port  # the mail server is back
    report = services.outbox_deliver(now=timezone.now() + dt.timedelta(seconds=31))
    assert report.sent == 2
    email_row.refresh_from_db()
    hook_row.refresh_from_db()
    assert email_row.status == hook_row.status == "sent" and email_row.attempts == 2
    assert len(smtp.messages) == 1 and len(hook.requests) == 1
    # the retry carried the same keys as the first try would have
    assert smtp.messages[0]["Message-ID"] == email_row.message_id
    assert hook.requests[0]["key"] == str(hook_row.idempotency_key)


def test_backoff_doubles_and_the_last_attempt_marks_failed(peers, officer, settings):
    smtp, hook = peers
    settings.PCKB_EMAIL_ENABLED = False
    hook.fail_next = 100
    settings.PCKB_OUTBOX_MAX_ATTEMPTS = 3
    send_one(officer)
    row = OutboxMessage.objects.get()
    waits = []
    for _ in range(5):
        row.refresh_from_db()
        if row.status != "pending":
            break
        last = timezone.now()
        services.outbox_deliver(now=row.next_attempt_at)
        row.refresh_from_db()
        waits.append(round((row.next_attempt_at - last).total_seconds()))
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 3 and "503" in row.last_error
    assert waits[:1] == [60]  # attempt 2 failed: 30 s × 2
    assert hook.requests == []

    hook.fail_next = 0
    services.outbox_requeue(message_id=row.pk)  # an operator's fix: delivered on commit
    row.refresh_from_db()
    assert row.status == "sent" and len(hook.requests) == 1


def test_a_bad_signature_is_refused_by_the_receiver_and_retried(peers, officer, settings):
    smtp, hook = peers
    settings.PCKB_EMAIL_ENABLED = False
    settings.PCKB_WEBHOOK_SECRET = "khoa-sai-" + "x" * 40
    send_one(officer)
    row = OutboxMessage.objects.get()
    assert row.status == "pending" and hook.bad_signatures == 1 and hook.requests == []
