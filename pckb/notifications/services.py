"""Writes of the notification module: queue notifications inside the caller's transaction, deliver the
outbox after commit, mark notifications read.

Contract (what other modules can rely on):

* ``notify()`` writes the in-app ``Notification`` rows and one ``OutboxMessage`` per e-mail/webhook **in the
  caller's transaction**. A rollback leaves nothing; a commit triggers delivery (the event
  ``notifications.queued`` enqueues the worker task on commit).
* Delivery is **at least once**. A worker claims due rows for a lease (``locked_until``) in a short
  transaction, delivers outside any transaction, then marks them sent with a second short transaction that
  only succeeds while it still holds the lease. A worker killed between "delivered" and "marked sent" leaves
  the row in ``sending``; once its lease expires another run delivers it again **with the same idempotency
  key** (e-mail ``Message-ID`` and ``X-PCKB-Idempotency-Key``; webhook ``Idempotency-Key``). Receivers that
  keep the keys they have seen therefore process each message exactly once; nothing is ever lost.
* Failures are retried with exponential backoff (``PCKB_OUTBOX_BACKOFF_SECONDS`` × 2ⁿ, capped) up to
  ``max_attempts``; then the row is ``failed`` and stays for an operator to see and requeue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pckb.core import errors, events
from pckb.core.services import service_transaction
from pckb.live.services import publish, user_stream
from pckb.notifications.choices import Channel, DeliveryStatus
from pckb.notifications.models import Notification, OutboxMessage

logger = logging.getLogger("pckb.notifications")

QUEUED = "notifications.queued"
WEBHOOK_SIGNATURE_HEADER = "X-PCKB-Signature"
WEBHOOK_TIMESTAMP_HEADER = "X-PCKB-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
EMAIL_IDEMPOTENCY_HEADER = "X-PCKB-Idempotency-Key"


# --- Queueing (inside the caller's transaction) ---------------------------------------------------------
def notify(
    *,
    recipients: Iterable,
    event: str,
    title: str,
    body: str = "",
    url: str = "",
    obj: models.Model | None = None,
    dedupe_key: str = "",
    email: bool = True,
    webhook: bool = True,
    payload: dict | None = None,
    external_title: str | None = None,
    external_body: str | None = None,
    email_extra: Callable[[object], str] | None = None,
) -> list[Notification]:
    """Notify each recipient (a user) in-app, by e-mail if they have an address and e-mail is configured,
    and once through the webhook if one is configured. Written in the caller's transaction.

    ``dedupe_key`` makes the call idempotent: a recipient who already has a notification with that key is
    skipped (and the webhook call with that key is not queued twice), so a periodic job can run again safely.
    ``external_title``/``external_body`` replace the text that leaves the system (e-mail, webhook): pass a
    neutral text when the notification is about a classified object. ``email_extra(user)``, called (in this
    transaction) only for a recipient whose e-mail is queued now, returns text appended to that recipient's
    e-mail alone (e.g. their own one-time links); it is kept apart from the stored body
    (``OutboxMessage.private_text``) and erased once the e-mail is delivered. Returns the notifications
    created now.
    """
    title = _clip(title, Notification._meta.get_field("title").max_length)
    ext_title = title if external_title is None else external_title
    ext_body = body if external_body is None else external_body
    recipients = [u for u in dict.fromkeys(recipients) if u is not None and u.is_active]
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    object_id = str(obj.pk) if obj is not None else ""
    now = timezone.now()
    created: list[Notification] = []
    with service_transaction():
        if dedupe_key:
            done = set(
                Notification.objects.filter(dedupe_key=dedupe_key, recipient__in=recipients).values_list(
                    "recipient_id", flat=True
                )
            )
            recipients = [u for u in recipients if u.pk not in done]
        for user in recipients:
            try:
                with transaction.atomic():  # a savepoint: a concurrent run may have just notified this user
                    notification = Notification.objects.create(
                        recipient=user,
                        event=event,
                        title=title,
                        body=body,
                        url=url,
                        content_type=content_type,
                        object_id=object_id,
                        dedupe_key=dedupe_key,
                    )
            except IntegrityError:
                if not dedupe_key:
                    raise
                continue
            created.append(notification)
            # The header's unread counter of every open page of this user updates after commit.
            publish(user_stream(user), "notification.created", {"id": notification.pk})
            if email and settings.PCKB_EMAIL_ENABLED and user.email:
                _queue(
                    channel=Channel.EMAIL,
                    notification=notification,
                    event=event,
                    address=user.email,
                    subject=ext_title,
                    body=_email_body(ext_body, url),
                    private_text=email_extra(user) if email_extra else "",
                    dedupe_key="",  # deduplicated by the notification (two users may share an address)
                    now=now,
                )
        if webhook:
            webhook_queue(
                event=event,
                payload={
                    "event": event,
                    "title": ext_title,
                    "body": ext_body,
                    "url": _absolute(url),
                    "object": {"type": content_type.model if content_type else "", "id": object_id},
                    "recipients": [u.username for u in recipients],
                    **(payload or {}),
                },
                dedupe_key=dedupe_key,
            )
        if created:
            events.emit(QUEUED, coalesce=True)
    return created


def webhook_queue(*, event: str, payload: dict, dedupe_key: str = "") -> OutboxMessage | None:
    """Queue one POST of ``payload`` to the configured webhook (a gateway for SMS or radio), or ``None``
    when no webhook is configured or one with this ``dedupe_key`` was already queued."""
    if not settings.PCKB_WEBHOOK_URL:
        return None
    with service_transaction():
        if (
            dedupe_key
            and OutboxMessage.objects.filter(
                channel=Channel.WEBHOOK, address=settings.PCKB_WEBHOOK_URL, dedupe_key=dedupe_key
            ).exists()
        ):
            return None
        message = _queue(
            channel=Channel.WEBHOOK,
            notification=None,
            event=event,
            address=settings.PCKB_WEBHOOK_URL,
            subject="",
            body="",
            payload=payload,
            dedupe_key=dedupe_key,
            now=timezone.now(),
        )
        events.emit(QUEUED, coalesce=True)
    return message


def email_enabled() -> bool:
    return bool(settings.PCKB_EMAIL_ENABLED)


def email_queue(
    *, event: str, address: str, subject: str, body: str, dedupe_key: str
) -> OutboxMessage | None:
    """Queue one e-mail to an address that is not a user's (a delegate in the directory), or ``None`` when
    e-mail is off or one with this ``dedupe_key`` was already queued (to any address: once per key)."""
    if not email_enabled() or not address:
        return None
    with service_transaction():
        if OutboxMessage.objects.filter(channel=Channel.EMAIL, dedupe_key=dedupe_key).exists():
            return None
        message = _queue(
            channel=Channel.EMAIL,
            notification=None,
            event=event,
            address=address,
            subject=subject,
            body=body,
            dedupe_key=dedupe_key,
            now=timezone.now(),
        )
        events.emit(QUEUED, coalesce=True)
    return message


def _queue(
    *, channel, notification, event, address, subject, body, dedupe_key, now, payload=None, private_text=""
):
    return OutboxMessage.objects.create(
        channel=channel,
        notification=notification,
        event=event,
        address=address,
        subject=_clip(subject, 200),
        body=body,
        private_text=private_text,
        payload=payload or {},
        dedupe_key=dedupe_key,
        max_attempts=settings.PCKB_OUTBOX_MAX_ATTEMPTS,
        next_attempt_at=now,
    )


def _clip(text: str, length: int) -> str:
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _absolute(url: str) -> str:
    return settings.PCKB_SITE_URL.rstrip("/") + url if url.startswith("/") else url


def _email_body(body: str, url: str) -> str:
    if not url:
        return body
    return "{body}\n\n{label}: {link}".format(body=body, label=_("Xem chi tiết"), link=_absolute(url))


# --- The reader's side ----------------------------------------------------------------------------------
def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (idempotent). Someone else's is ``NotFound``."""
    if not 0 < notification_id < 2**63:
        raise errors.NotFound(_("Không tìm thấy thông báo."))
    with service_transaction():
        notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
        if notification is None:
            raise errors.NotFound(_("Không tìm thấy thông báo."))
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            publish(user_stream(user), "notification.read", {"id": notification.pk})
    return notification


def notifications_mark_all_read(*, user) -> int:
    with service_transaction():
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
        count = unread.update(read_at=timezone.now())
        if count:
            publish(user_stream(user), "notification.read", {"count": count})
    return count


# --- Delivery (the worker) ------------------------------------------------------------------------------
@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    lost_lease: int = 0
    errors: list[str] = field(default_factory=list)


def _due_q(now: dt.datetime) -> Q:
    """Rows to (re)deliver now: pending and due, or left 'sending' by a worker whose lease has expired."""
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, locked_until__lt=now
    )


def outbox_claim(*, batch: int = 20, now: dt.datetime | None = None) -> tuple[uuid.UUID, list[OutboxMessage]]:
    """Take up to ``batch`` due rows for this worker for ``PCKB_OUTBOX_LEASE_SECONDS``, in one short
    transaction (``SKIP LOCKED`` on PostgreSQL so parallel workers take different rows; SQLite serialises
    writers). Each claim counts as an attempt, so a message that kills its worker every time still ends."""
    now = now or timezone.now()
    token = uuid.uuid4()
    with service_transaction():
        qs = OutboxMessage.objects.filter(_due_q(now)).order_by("next_attempt_at", "id")
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("id", flat=True)[:batch])
        if ids:
            OutboxMessage.objects.filter(pk__in=ids).filter(_due_q(now)).update(
                status=DeliveryStatus.SENDING,
                locked_until=now + dt.timedelta(seconds=settings.PCKB_OUTBOX_LEASE_SECONDS),
                lease_token=token,
                attempts=F("attempts") + 1,
            )
        claimed = list(OutboxMessage.objects.filter(pk__in=ids, lease_token=token).order_by("id"))
    return token, claimed


def outbox_deliver(*, batch: int = 20, now: dt.datetime | None = None) -> DeliveryReport:
    """Claim one batch of due messages, deliver each, and record the outcome. Returns what happened."""
    report = DeliveryReport()
    token, messages = outbox_claim(batch=batch, now=now)
    report.claimed = len(messages)
    channels = _Channels()
    try:
        for message in messages:
            _deliver_and_record(message, token, channels, report)
    finally:
        channels.close()
    return report


class _Channels:
    """Connections reused within one batch (one SMTP session for all its e-mails)."""

    def __init__(self):
        self.smtp = None

    def mail(self):
        if self.smtp is None:
            self.smtp = get_connection(fail_silently=False)
            self.smtp.open()
        return self.smtp

    def reset_mail(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            except Exception:  # noqa: S110 - a broken session is dropped either way
                pass
            self.smtp = None

    def close(self) -> None:
        self.reset_mail()


def _deliver_and_record(
    message: OutboxMessage, token: uuid.UUID, channels: _Channels, report: DeliveryReport
) -> None:
    try:
        deliver_one(message, channels)
    except Exception as exc:  # any failure of the peer or the network: retry later
        if message.channel == Channel.EMAIL:
            channels.reset_mail()
        outcome = _record_failure(message, token, exc)
        report.errors.append(f"{message.pk}: {exc}")
        if outcome == DeliveryStatus.FAILED:
            report.failed += 1
        elif outcome is None:
            report.lost_lease += 1
        else:
            report.retried += 1
        return
    if _record_sent(message, token):
        report.sent += 1
    else:
        report.lost_lease += 1


def outbox_drain(
    *, batch: int = 20, until_done: bool = False, interval: float = 0.5, stop=None
) -> DeliveryReport:
    """Deliver batches until nothing is due (``until_done``: until nothing is pending or in flight, waiting
    for other workers' leases to expire). ``stop()`` returning true ends the loop (used by the worker)."""
    total = DeliveryReport()
    while not (stop and stop()):
        report = outbox_deliver(batch=batch)
        for name in ("claimed", "sent", "retried", "failed", "lost_lease"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.errors += report.errors
        if report.claimed:
            continue
        if not until_done:
            break
        open_rows = OutboxMessage.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
        ).exists()
        if not open_rows:
            break
        time.sleep(interval)
    return total


def _record_sent(message: OutboxMessage, token: uuid.UUID) -> bool:
    """Mark the message sent while this worker holds its lease, and erase its private text (a one-time
    link): delivered, it is needed no more. A worker that lost the lease changes nothing, so the one that
    delivers the message again (same idempotency key, same text) still has it."""
    with service_transaction():
        done = OutboxMessage.objects.filter(pk=message.pk, lease_token=token).update(
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            locked_until=None,
            lease_token=None,
            last_error="",
            private_text="",
        )
    if not done:
        logger.warning("outbox lease lost before marking sent", extra={"outbox_id": message.pk})
    return bool(done)


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next attempt: base × 2^(attempts−1), capped."""
    seconds = settings.PCKB_OUTBOX_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.PCKB_OUTBOX_BACKOFF_MAX_SECONDS))


def _record_failure(message: OutboxMessage, token: uuid.UUID, exc: Exception) -> str | None:
    final = message.attempts >= message.max_attempts
    status = DeliveryStatus.FAILED if final else DeliveryStatus.PENDING
    with service_transaction():
        done = OutboxMessage.objects.filter(pk=message.pk, lease_token=token).update(
            status=status,
            next_attempt_at=timezone.now() + backoff(message.attempts),
            locked_until=None,
            lease_token=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
    logger.warning(
        "outbox delivery failed",
        extra={"outbox_id": message.pk, "attempt": message.attempts, "final": final, "error": str(exc)[:200]},
    )
    return status if done else None


def outbox_requeue(*, message_id: int) -> OutboxMessage:
    """Give a failed message a fresh set of attempts (an operator's action after fixing the cause)."""
    with service_transaction():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            raise errors.NotFound(_("Không tìm thấy thư chờ gửi."))
        if message.status != DeliveryStatus.FAILED:
            raise errors.Conflict(_("Chỉ gửi lại được thư đã gửi thất bại."))
        message.status = DeliveryStatus.PENDING
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        events.emit(QUEUED, coalesce=True)
    return message


# --- Channels -------------------------------------------------------------------------------------------
def deliver_one(message: OutboxMessage, channels: _Channels | None = None) -> None:
    """Send one message over its channel; raise on any failure. Safe to repeat (same idempotency key)."""
    if message.channel == Channel.EMAIL:
        if channels is None:
            with get_connection(fail_silently=False) as connection:
                _send_email(message, connection)
        else:
            _send_email(message, channels.mail())
    elif message.channel == Channel.WEBHOOK:
        _post_webhook(message)
    else:
        raise ValueError(f"unknown channel {message.channel!r}")


def _send_email(message: OutboxMessage, connection) -> None:
    email = EmailMessage(
        subject=message.subject,
        body=message.body + message.private_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address],
        headers={"Message-ID": message.message_id, EMAIL_IDEMPOTENCY_HEADER: str(message.idempotency_key)},
    )
    sent = connection.send_messages([email])
    if sent != 1:
        raise RuntimeError("the mail server did not accept the message")


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, "<timestamp>." + body); receivers recompute and compare."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _post_webhook(message: OutboxMessage) -> None:
    body = json.dumps(
        {"id": str(message.idempotency_key), "event": message.event, "data": message.payload},
        ensure_ascii=False,
        sort_keys=True,
    ).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's configured webhook
        message.address,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            IDEMPOTENCY_HEADER: str(message.idempotency_key),
            WEBHOOK_TIMESTAMP_HEADER: timestamp,
            WEBHOOK_SIGNATURE_HEADER: webhook_signature(settings.PCKB_WEBHOOK_SECRET, timestamp, body),
            "User-Agent": "PCKB-Hub-Outbox/1",
        },
    )
    if not message.address.startswith(("http://", "https://")):
        raise ValueError("webhook URL must be http(s)")
    with urllib.request.urlopen(request, timeout=settings.PCKB_WEBHOOK_TIMEOUT) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise RuntimeError(f"webhook answered {response.status}")
