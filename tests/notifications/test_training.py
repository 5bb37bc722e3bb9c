"""The first users of the outbox: an agency's focal point is told when its agency is invited (in-app and
by e-mail, once), and reminded before a test its delegates have not finished closes (once per test and
agency, however often the periodic job runs). Also the notification centre and the header's unread count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pckb.notifications.models import Notification, OutboxMessage
from pckb.training import services
from pckb.training import tasks as training_tasks
from pckb.training.models import Attempt, KnowledgeTest, Participant
from tests.training.test_services import invitation_of, upcoming


@pytest.fixture
def focal(users):
    user = users["daumoi.cantho"]
    user.email = "daumoi.soyte@example.invalid"
    user.save(update_fields=["email"])
    return user


def send(users, invitation):
    return services.invitation_send(
        actor=users["vptt.cantho"],
        invitation=invitation,
        letter_number="15/GM-BCĐ",
        sent_on=dt.date(2026, 3, 2),
    )


def test_invited_agency_focal_point_is_notified_in_app_and_by_email_once(
    users, focal, peers, django_capture_on_commit_callbacks
):
    smtp, hook = peers
    invitation = invitation_of(upcoming(), "Sở Y tế")
    with django_capture_on_commit_callbacks(execute=True):
        send(users, invitation)
    (note,) = Notification.objects.filter(recipient=focal)
    assert note.title.startswith("Giấy mời dự hội nghị: ") and upcoming().title in note.title
    assert "15/GM-BCĐ" in note.body and note.url == upcoming().get_absolute_url()
    (mail,) = smtp.messages
    assert mail["To"] == "daumoi.soyte@example.invalid" and upcoming().title in mail["Subject"]
    assert OutboxMessage.objects.get(channel="email").status == "sent"
    assert len(hook.requests) == 1 and hook.requests[0]["json"]["event"] == "training.invitation_sent"

    # correcting the letter number later does not notify again
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(
            actor=users["vptt.cantho"],
            invitation=invitation,
            letter_number="16/GM-BCĐ",
            sent_on=dt.date(2026, 3, 2),
        )
    assert Notification.objects.filter(recipient=focal).count() == 1 and len(smtp.messages) == 1


def test_other_agencies_focal_points_are_not_notified(users, focal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(users, invitation_of(upcoming(), "Công an"))
    assert not Notification.objects.filter(recipient=focal).exists()


def test_a_failed_invitation_notifies_nobody(users, focal, django_capture_on_commit_callbacks):
    invitation = invitation_of(upcoming(), "Sở Y tế")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Exception):  # noqa: B017
        services.invitation_send(
            actor=users["xa.ninhkieu"], invitation=invitation, letter_number="1", sent_on=dt.date(2026, 3, 2)
        )
    assert callbacks == [] and not Notification.objects.exists() and not OutboxMessage.objects.exists()


def test_a_classified_conference_is_not_named_to_a_focal_point_without_clearance_nor_by_email(
    users, focal, peers, django_capture_on_commit_callbacks
):
    smtp, _hook = peers
    conference = upcoming()
    conference.classification = 1  # Mật; the focal point has clearance Thường
    conference.save(update_fields=["classification"])
    with django_capture_on_commit_callbacks(execute=True):
        send(users, invitation_of(conference, "Sở Y tế"))
    (note,) = Notification.objects.filter(recipient=focal)
    assert conference.title not in note.title + note.body and note.url == ""
    assert all(conference.title not in m["Subject"] + m.get_content() for m in smtp.messages)


def closing_soon() -> KnowledgeTest:
    test = upcoming().tests.order_by("pk").first()
    test.closes_at = timezone.now() + dt.timedelta(hours=2)
    test.save(update_fields=["closes_at"])
    return test


def test_focal_points_are_reminded_once_before_a_test_closes(
    users, focal, django_capture_on_commit_callbacks
):
    test = closing_soon()
    agency_id = focal.person.agency_id
    assert Participant.objects.filter(conference=test.conference, person__agency_id=agency_id).exists()
    with django_capture_on_commit_callbacks(execute=True):
        training_tasks.tests_closing_reminders()  # the periodic Huey task (immediate mode under pytest)
        training_tasks.tests_closing_reminders()
        assert services.test_closing_remind(hours=24) == 0
    (note,) = Notification.objects.filter(recipient=focal, event="training.test_closing")
    assert "chưa nộp bài" in note.body and note.dedupe_key == f"training.test_closing:{test.pk}:{agency_id}"


def test_no_reminder_when_the_test_is_far_off_or_every_delegate_has_submitted(users, focal):
    test = closing_soon()
    assert services.test_closing_remind(hours=1) == 0  # closes in 2 h: outside a 1 h window
    for participant in Participant.objects.filter(
        conference=test.conference, person__agency_id=focal.person.agency_id
    ):
        Attempt.objects.update_or_create(
            test=test,
            participant=participant,
            defaults={
                "started_at": timezone.now(),
                "submitted_at": timezone.now(),
                "score": 1,
                "max_score": 1,
            },
        )
    services.test_closing_remind(hours=24)
    assert not Notification.objects.filter(recipient=focal).exists()


# --- The notification centre ----------------------------------------------------------------------------
def test_header_shows_unread_count_and_the_centre_marks_read(
    client, users, focal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(users, invitation_of(upcoming(), "Sở Y tế"))
    client.force_login(focal)
    page = client.get("/").content.decode()
    assert 'class="badge badge-count">1<span class="visually-hidden"> chưa đọc' in page

    centre = client.get("/thong-bao/").content.decode()
    note = Notification.objects.get(recipient=focal)
    assert note.title in centre and "Mới:" in centre
    response = client.post(f"/thong-bao/{note.pk}/da-doc/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == note.url
    assert "badge-count" not in client.get("/").content.decode()
    assert "Mới:" not in client.get("/thong-bao/").content.decode()


def test_someone_elses_notification_is_not_found(client, users, focal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(users, invitation_of(upcoming(), "Sở Y tế"))
    note = Notification.objects.get(recipient=focal)
    client.force_login(users["vptt.cantho"])
    assert client.post(f"/thong-bao/{note.pk}/da-doc/").status_code == 404
    assert client.post("/thong-bao/99999999999999999999999/da-doc/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_api_lists_own_notifications_and_marks_read(
    api_client, users, focal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(users, invitation_of(upcoming(), "Sở Y tế"))
    api = api_client("daumoi.cantho")
    assert api.get("/api/v1/notifications/unread-count").json() == {"unread": 1}
    (item,) = api.get("/api/v1/notifications/?unread=true").json()
    assert api.post(f"/api/v1/notifications/{item['id']}/read").status_code == 200
    assert api.get("/api/v1/notifications/unread-count").json() == {"unread": 0}
    other = api_client("vptt.cantho")
    assert other.post(f"/api/v1/notifications/{item['id']}/read").status_code == 404
    assert other.get("/api/v1/notifications/").json() == []
    assert other.post("/api/v1/notifications/99999999999999999999999/read").status_code in (404, 422)
    assert other.post("/api/v1/notifications/-1/read").status_code == 404


def test_the_notification_centre_costs_the_same_queries_for_1_or_40_notifications(client, users, focal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pckb.notifications.services import notify

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/thong-bao/").status_code == 200
        return len(ctx.captured_queries)

    client.force_login(focal)
    notify(recipients=[focal], event="test", title="Thông báo đầu tiên", email=False, webhook=False)
    client.get("/thong-bao/")
    one = count()
    for i in range(39):
        notify(recipients=[focal], event="test", title=f"Thông báo {i}", email=False, webhook=False)
    assert count() == one


def test_a_long_title_is_clipped_not_refused(focal):
    from pckb.notifications.services import notify

    (note,) = notify(recipients=[focal], event="test", title="Hội nghị " * 40, email=False, webhook=False)
    note.refresh_from_db()
    assert len(note.title) == 200 and note.title.endswith("…")
