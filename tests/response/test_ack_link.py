"""The one-time acknowledgement link: the e-mail that activation (and escalation) sends through the outbox
to a real SMTP server on 127.0.0.1 carries a link per item the recipient may acknowledge; opening it shows
the minimum and changes nothing; its button acknowledges as the recipient (audited), once; a used, expired
or forged link changes nothing; a classified incident is never named to whoever holds the link."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pckb.audit.models import AuditEntry
from pckb.core.choices import Classification
from pckb.response import services
from pckb.response.models import AcknowledgementLink, ChecklistItem
from tests.notifications.peers import SmtpReceiver
from tests.response.test_incident import approved_plan, health, make_incident

LINK = re.compile(r"https?://\S+/ung-pho/xac-nhan/[A-Za-z0-9_-]+/")
FOCAL_MAIL = "daumoi.soyte.cantho@example.invalid"
OFFICE_MAIL = "vptt.cantho@example.invalid"


@pytest.fixture
def smtp(settings):
    peer = SmtpReceiver().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", peer.port, 5
    settings.PCKB_EMAIL_ENABLED = True
    settings.PCKB_WEBHOOK_URL = ""
    settings.PCKB_SITE_URL = "https://pckb.example.invalid"
    yield peer
    peer.stop()


@pytest.fixture
def focal(users):
    user = users["daumoi.cantho"]
    user.email = FOCAL_MAIL
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def office(users):
    user = users["vptt.cantho"]
    user.email = OFFICE_MAIL
    user.save(update_fields=["email"])
    return user


def mails_to(smtp, address):
    return [m for m in smtp.messages if m["To"] == address]


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def activate(users, capture, title="Sự cố thử liên kết xác nhận", classification=Classification.NORMAL):
    incident = make_incident(title, "P92", classification)
    with capture(execute=True):
        services.plan_activate(actor=users["vptt.cantho"], incident=incident, plan=approved_plan())
    return incident


def test_link_from_the_email_acknowledges_once_as_the_recipient(
    smtp, focal, users, django_capture_on_commit_callbacks
):
    incident = activate(users, django_capture_on_commit_callbacks)
    item = ChecklistItem.objects.get(incident=incident, agency=health("P92"))
    (mail,) = mails_to(smtp, FOCAL_MAIL)
    text = mail.get_content()
    # One link: the health department's one item that needs acknowledgement (not the police's items).
    (link,) = LINK.findall(text)
    assert "Chuẩn bị xe cứu thương thử" in text and "Xác minh tin báo thử" not in text
    assert link.startswith("https://pckb.example.invalid/ung-pho/xac-nhan/")
    # Only a hash of the token is stored.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not AcknowledgementLink.objects.filter(token_hash__contains=token).exists()

    anonymous = Client()
    page = anonymous.get(path_of(link))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Xác nhận đã nhận" in html and "Chuẩn bị xe cứu thương thử" in html and incident.title in html
    item.refresh_from_db()
    assert item.acknowledged_at is None  # opening the link changes nothing

    done = anonymous.post(path_of(link))
    assert done.status_code == 200 and "Đã xác nhận đã nhận" in done.content.decode()
    item.refresh_from_db()
    assert item.acknowledged_at is not None and item.acknowledged_by == focal
    (entry,) = AuditEntry.objects.filter(object_type="response.checklistitem", object_id=str(item.pk))
    assert entry.username == focal.username and "liên kết" in str(entry.after)

    # The second use is refused and changes nothing.
    again = anonymous.post(path_of(link))
    assert again.status_code == 410 and "đã được dùng" in again.content.decode()
    assert "Xác nhận đã nhận</button>" not in anonymous.get(path_of(link)).content.decode()
    assert (
        AuditEntry.objects.filter(object_type="response.checklistitem", object_id=str(item.pk)).count() == 1
    )

    # The incident's checklist (as the standing office sees it) shows it acknowledged.
    board = Client()
    board.force_login(users["vptt.cantho"])
    region = board.get(reverse("response:incident_region", args=[incident.pk, "viec"])).content.decode()
    row = region.split(f'id="viec-{item.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Đã nhận, đang làm" in row and "nhận lúc" in row


def test_expired_or_forged_links_change_nothing(smtp, focal, users, django_capture_on_commit_callbacks):
    incident = activate(users, django_capture_on_commit_callbacks, "Sự cố thử liên kết hết hạn")
    item = ChecklistItem.objects.get(incident=incident, agency=health("P92"))
    (link,) = LINK.findall(mails_to(smtp, FOCAL_MAIL)[0].get_content())
    stored = AcknowledgementLink.objects.get(item=item, recipient=focal)
    assert stored.expires_at - stored.created >= dt.timedelta(hours=23)
    AcknowledgementLink.objects.filter(pk=stored.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )

    anonymous = Client()
    assert "đã hết hạn" in anonymous.get(path_of(link)).content.decode()
    refused = anonymous.post(path_of(link))
    assert refused.status_code == 410 and "đã hết hạn" in refused.content.decode()
    item.refresh_from_db()
    assert item.acknowledged_at is None
    assert not AuditEntry.objects.filter(
        object_type="response.checklistitem", object_id=str(item.pk)
    ).exists()

    forged = path_of(link)[:-6] + "AAAAA/"
    assert anonymous.get(forged).status_code == 404
    assert anonymous.post(forged).status_code == 404
    assert anonymous.post(reverse("response:ack_link", args=["khong-co-that"])).status_code == 404
    item.refresh_from_db()
    assert item.acknowledged_at is None


def test_item_already_acknowledged_on_the_page_is_not_acknowledged_again(
    smtp, focal, users, django_capture_on_commit_callbacks
):
    incident = activate(users, django_capture_on_commit_callbacks, "Sự cố thử đã xác nhận trên trang")
    item = ChecklistItem.objects.get(incident=incident, agency=health("P92"))
    (link,) = LINK.findall(mails_to(smtp, FOCAL_MAIL)[0].get_content())
    services.checklist_acknowledge(actor=users["vptt.cantho"], item=item)
    anonymous = Client()
    assert "đã được xác nhận đã nhận" in anonymous.get(path_of(link)).content.decode()
    answer = anonymous.post(path_of(link))
    assert answer.status_code == 409
    item.refresh_from_db()
    assert item.acknowledged_by == users["vptt.cantho"]


def test_link_of_a_closed_incident_acknowledges_nothing(
    smtp, focal, users, django_capture_on_commit_callbacks
):
    incident = activate(users, django_capture_on_commit_callbacks, "Sự cố thử đã kết thúc trước khi bấm")
    item = ChecklistItem.objects.get(incident=incident, agency=health("P92"))
    (link,) = LINK.findall(mails_to(smtp, FOCAL_MAIL)[0].get_content())
    services.incident_close(actor=users["vptt.cantho"], incident=incident, summary="Đã xử lý xong")
    anonymous = Client()
    page = anonymous.get(path_of(link)).content.decode()
    assert "Sự cố đã kết thúc" in page and "Xác nhận đã nhận</button>" not in page
    assert anonymous.post(path_of(link)).status_code == 409
    item.refresh_from_db()
    assert item.acknowledged_at is None


def test_escalation_email_of_a_classified_incident_names_nothing(
    smtp, office, users, django_capture_on_commit_callbacks
):
    incident = activate(
        users, django_capture_on_commit_callbacks, "Sự cố mật thử liên kết", Classification.CONFIDENTIAL
    )
    police_item = ChecklistItem.objects.get(incident=incident, action="Xác minh tin báo thử")
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.checklist_escalate(now=police_item.escalate_at + dt.timedelta(minutes=1)) == 1
    # Nobody in the demo holds the head's seat with an account: the standing office hears of it.
    (mail,) = mails_to(smtp, OFFICE_MAIL)
    text = mail.get_content()
    assert incident.title not in text + mail["Subject"] and "Xác minh tin báo thử" not in text
    (link,) = LINK.findall(text)
    assert "Việc số 1" in text

    for who in (None, "daumoi.cantho"):  # no sign-in, or a user without the clearance
        client = Client()
        if who:
            client.force_login(users[who])
        html = client.get(path_of(link)).content.decode()
        assert incident.title not in html and "Xác minh tin báo thử" not in html
        assert "Việc số 1" in html
    signed_in = Client()
    signed_in.force_login(users["vptt.cantho"])
    assert incident.title in signed_in.get(path_of(link)).content.decode()

    assert Client().post(path_of(link)).status_code == 200
    police_item.refresh_from_db()
    assert police_item.acknowledged_by == users["vptt.cantho"]


def test_no_link_for_a_recipient_who_may_not_acknowledge(users, smtp, django_capture_on_commit_callbacks):
    """A committee leader is told of an escalation but may not acknowledge: their e-mail has no link."""
    from pckb.notifications.services import notify, outbox_drain

    leader = users["lanhdao.cantho"]
    leader.email = "lanhdao@example.invalid"
    leader.save(update_fields=["email"])
    incident = activate(users, django_capture_on_commit_callbacks, "Sự cố thử lãnh đạo")
    item = ChecklistItem.objects.get(incident=incident, action="Xác minh tin báo thử")
    notify(
        recipients=[leader],
        event="test.escalated",
        title="Báo cấp trên thử",
        email_extra=lambda user: services._ack_links_text(user, [item], incident, timezone.now()),
    )
    outbox_drain(until_done=True)  # (the test's transaction never commits: deliver now, to the real peer)
    (mail,) = mails_to(smtp, "lanhdao@example.invalid")
    assert not LINK.findall(mail.get_content())
    assert not AcknowledgementLink.objects.filter(recipient=leader).exists()


def test_link_lookups_are_rate_limited(settings, smtp, focal, users, django_capture_on_commit_callbacks):
    settings.PCKB_CODE_LOOKUPS_PER_CODE_PER_MINUTE = 2
    activate(users, django_capture_on_commit_callbacks, "Sự cố thử giới hạn lượt")
    (link,) = LINK.findall(mails_to(smtp, FOCAL_MAIL)[0].get_content())
    anonymous = Client()
    assert [anonymous.get(path_of(link)).status_code for _ in range(3)] == [200, 200, 429]


# --- The link's secret leaves the outbox once delivered ---------------------------------------------------
def _outbox_rows(address):
    from pckb.notifications.models import OutboxMessage

    return list(OutboxMessage.objects.filter(channel="email", address=address))


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def test_the_outbox_keeps_the_link_for_retries_and_erases_it_once_delivered(
    smtp, focal, users, settings, django_capture_on_commit_callbacks
):
    """The SMTP server is down at activation: the row waits with the link (a retry needs it) but never in its
    body. Delivered on the retry, the e-mail carries a working link, and the row no longer holds the token."""
    from pckb.notifications.services import outbox_deliver
    from tests.notifications.peers import free_port

    settings.EMAIL_PORT = free_port()  # nothing listens there: the first delivery fails
    incident = activate(users, django_capture_on_commit_callbacks, "Sự cố thử liên kết gửi lại")
    item = ChecklistItem.objects.get(incident=incident, agency=health("P92"))
    (row,) = _outbox_rows(FOCAL_MAIL)
    assert row.status == "pending" and row.attempts >= 1 and not mails_to(smtp, FOCAL_MAIL)
    (waiting,) = LINK.findall(row.private_text)
    assert "/ung-pho/xac-nhan/" not in row.body  # the stored body never holds the secret

    settings.EMAIL_PORT = smtp.port
    report = outbox_deliver(now=timezone.now() + dt.timedelta(hours=1))
    assert report.sent == 1, report
    (mail,) = mails_to(smtp, FOCAL_MAIL)
    (link,) = LINK.findall(mail.get_content())
    assert link == waiting  # the message sent is the one that waited
    row.refresh_from_db()
    assert row.status == "sent" and row.private_text == ""
    stored = f"{row.subject}\n{row.body}\n{row.payload}\n{row.last_error}"
    assert _token(link) not in stored and "/ung-pho/xac-nhan/" not in stored

    anonymous = Client()
    assert anonymous.post(path_of(link)).status_code == 200
    item.refresh_from_db()
    assert item.acknowledged_by == focal
    assert anonymous.post(path_of(link)).status_code == 410  # still once only


def test_a_message_sent_again_after_a_lost_lease_carries_the_same_link_and_key(
    smtp, focal, users, settings, django_capture_on_commit_callbacks
):
    """A worker that delivered but died before marking the row sent erased nothing: the next worker sends the
    same e-mail again (same Message-ID, same link — the receiver sees one message twice, not two links),
    and only that successful mark erases the link."""
    from pckb.notifications.services import deliver_one, outbox_claim, outbox_deliver
    from tests.notifications.peers import free_port

    settings.EMAIL_PORT = free_port()
    activate(users, django_capture_on_commit_callbacks, "Sự cố thử liên kết mất lượt giữ")
    settings.EMAIL_PORT = smtp.port
    later = timezone.now() + dt.timedelta(hours=1)
    _lease, (claimed,) = outbox_claim(now=later)
    deliver_one(claimed)  # … and the worker dies here, before recording it
    (row,) = _outbox_rows(FOCAL_MAIL)
    assert row.status == "sending" and row.private_text
    report = outbox_deliver(now=later + dt.timedelta(hours=1))  # the lease has expired
    assert report.sent == 1, report
    first, second = mails_to(smtp, FOCAL_MAIL)
    assert first["Message-ID"] == second["Message-ID"]
    assert LINK.findall(first.get_content()) == LINK.findall(second.get_content())
    row.refresh_from_db()
    assert row.status == "sent" and row.private_text == ""
    (link,) = LINK.findall(first.get_content())
    assert Client().post(path_of(link)).status_code == 200


def test_the_migration_redacts_links_left_in_messages_sent_before(db):
    """Rows delivered before ``private_text`` existed hold their links in the body: the data migration keeps
    the text and drops each token (from sent rows only: a row still to deliver needs its link)."""
    from importlib import import_module

    from django.apps import apps

    from pckb.notifications.models import OutboxMessage

    body = "Kích hoạt.\n\n- Việc số 1:\n  https://pckb.example.invalid/ung-pho/xac-nhan/AbC_d-9xYz/\n"
    common = {"channel": "email", "event": "response.activated", "next_attempt_at": timezone.now()}
    sent = OutboxMessage.objects.create(address="a@example.invalid", body=body, status="sent", **common)
    pending = OutboxMessage.objects.create(address="b@example.invalid", body=body, status="pending", **common)
    import_module("pckb.response.migrations.0006_redact_sent_ack_links").redact(apps, None)
    sent.refresh_from_db()
    pending.refresh_from_db()
    assert "AbC_d-9xYz" not in sent.body and sent.body.startswith("Kích hoạt.\n\n- Việc số 1:")
    assert sent.body.endswith("/ung-pho/xac-nhan/…/\n")
    assert pending.body == body
