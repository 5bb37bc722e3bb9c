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
