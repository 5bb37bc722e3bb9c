"""Training fixes from the security review: the calendar feed cannot be injected into, test questions and
options are shuffled per attempt, a focal point does not see scores, and deleting a conference neither
loses delegates and results nor removes anything silently."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from pckb.audit.models import AuditEntry
from pckb.training.choices import TestKind as Kind
from pckb.training.models import Attempt, Choice, Conference, Invitation, Session
from pckb.training.models import TestItem as Item
from tests.training.test_services import correct_answers, hcm, upcoming


@pytest.fixture(autouse=True)
def clean_cache(db):
    cache.clear()
    yield
    cache.clear()


# --- iCalendar ----------------------------------------------------------------------------------------
def test_calendar_feed_cannot_be_injected_with_line_breaks(client, login):
    conference = upcoming()
    planted = "Hội nghị\rEND:VEVENT\r\nBEGIN:VEVENT\nSUMMARY:Giả mạo; họp khẩn, tại X\r"
    Conference.objects.filter(pk=conference.pk).update(title=planted, venue="Phòng 1\rLOCATION:Nơi khác")
    login("vptt.cantho")
    raw = client.get(reverse("training:calendar")).content
    for line in raw.split(b"\r\n"):
        assert b"\r" not in line and b"\n" not in line, line
    events = Calendar.from_ical(raw).walk("VEVENT")
    assert len(events) == 1, "a title cannot add an event"
    assert str(events[0]["SUMMARY"]).replace("\r\n", "\n").replace("\r", "\n") == planted.replace(
        "\r\n", "\n"
    ).replace("\r", "\n")
    assert "Nơi khác" in str(events[0]["LOCATION"])  # still inside the one LOCATION value


# --- Shuffled tests -----------------------------------------------------------------------------------
def _taken_order(client, participant) -> list[tuple[int, list[int]]]:
    response = client.get(reverse("training:public_test", args=[participant.code, Kind.PRE]))
    assert response.status_code == 200
    form = response.context["form"]
    return [
        (int(name[1:]), [int(value) for value, _label in field.choices])
        for name, field in form.fields.items()
    ]


def test_questions_and_options_are_shuffled_per_attempt_and_stable_on_reload(client):
    conference = upcoming()
    test = conference.tests.get(kind=Kind.PRE)
    correct = {qid: set(ids) for qid, ids in correct_answers(test).items()}
    participants = list(conference.participants.order_by("pk")[:6])
    orders = []
    correct_first = total = 0
    for participant in participants:
        order = _taken_order(client, participant)
        assert _taken_order(client, participant) == order, "a reload shows the same order"
        attempt = Attempt.objects.get(test=test, participant=participant)
        assert [q for q, _ in order] == attempt.order["questions"]
        assert sorted(q for q, _ in order) == sorted(test.items.values_list("question_id", flat=True))
        for qid, options in order:
            assert sorted(options) == sorted(
                Choice.objects.filter(question_id=qid).values_list("pk", flat=True)
            )
            correct_first += options[0] in correct[qid]
            total += 1
        orders.append(order)
    assert len({tuple(q for q, _ in order) for order in orders}) > 1, "attempts do not share one order"
    assert correct_first < total / 2, f"the correct option came first in {correct_first} of {total} questions"


def test_a_shuffled_attempt_is_scored_by_choice(client):
    conference = upcoming()
    test = conference.tests.get(kind=Kind.PRE)
    participant = conference.participants.order_by("pk").first()
    _taken_order(client, participant)
    answers = correct_answers(test)
    data = {f"q{qid}": [str(c) for c in ids] if len(ids) > 1 else str(ids[0]) for qid, ids in answers.items()}
    client.post(reverse("training:public_test", args=[participant.code, Kind.PRE]), data)
    attempt = Attempt.objects.get(test=test, participant=participant)
    assert attempt.score == attempt.max_score == test.items.count()


# --- Focal point and scores ---------------------------------------------------------------------------
def _scored_delegate_of(user):
    conference = upcoming()
    participant = conference.participants.filter(person__agency_id=user.person.agency_id).first()
    test = conference.tests.get(kind=Kind.PRE)
    Attempt.objects.create(
        test=test,
        participant=participant,
        started_at=timezone.now(),
        submitted_at=timezone.now(),
        score=7,
        max_score=9,
    )
    return participant


def test_focal_point_does_not_see_its_delegates_scores(client, login, users):
    participant = _scored_delegate_of(users["daumoi.cantho"])
    login("daumoi.cantho")
    response = client.get(reverse("training:participant", args=[participant.pk]))
    assert response.status_code == 200
    assert "7/9" not in response.content.decode()
    conference_page = client.get(participant.conference.get_absolute_url()).content.decode()
    assert reverse("training:results", args=[participant.conference_id]) not in conference_page


def test_standing_office_sees_the_scores(client, login, users):
    participant = _scored_delegate_of(users["daumoi.cantho"])
    login("vptt.cantho")
    page = client.get(reverse("training:participant", args=[participant.pk])).content.decode()
    assert "7/9" in page
    conference_page = client.get(participant.conference.get_absolute_url()).content.decode()
    assert reverse("training:results", args=[participant.conference_id]) in conference_page


# --- Deleting a conference ----------------------------------------------------------------------------
def test_conference_with_delegates_cannot_be_deleted_on_the_web(client, login):
    conference = upcoming()
    counts = (conference.participants.count(), Attempt.objects.filter(test__conference=conference).count())
    login("vptt.cantho")
    response = client.post(reverse("training:conference_delete", args=[conference.pk]), follow=True)
    assert "Không thể xóa" in response.content.decode()
    assert Conference.objects.filter(pk=conference.pk).exists()
    assert (
        conference.participants.count(),
        Attempt.objects.filter(test__conference=conference).count(),
    ) == counts


def test_conference_with_delegates_cannot_be_deleted_through_the_api(api_client):
    conference = upcoming()
    response = api_client("vptt.cantho").delete(f"/api/v1/training/conferences/{conference.pk}")
    assert response.status_code == 409
    assert "đại biểu" in response.json()["detail"]
    assert Conference.objects.filter(pk=conference.pk).exists()


def test_deleting_a_conference_without_delegates_audits_every_removed_object(client, login, users):
    conference = hcm()
    # A fresh conference with an agenda, an invitation and a test, but nobody nominated yet.
    start = timezone.now() + dt.timedelta(days=40)
    fresh = Conference.objects.create(
        committee=conference.committee,
        title="Hội nghị chưa có đại biểu",
        start=start,
        end=start + dt.timedelta(hours=8),
        venue="Hội trường",
        venue_unit=conference.venue_unit,
        classification=1,  # Mật: the children's audit entries must not be readable below that
    )
    session = Session.objects.create(
        conference=fresh, start=start, end=start + dt.timedelta(hours=1), kind="opening", title="Khai mạc"
    )
    invitation = Invitation.objects.create(conference=fresh, agency=conference.invitations.first().agency)
    test = fresh.tests.create(kind=Kind.PRE, opens_at=start, closes_at=start + dt.timedelta(hours=1))
    Item.objects.create(test=test, question=Item.objects.first().question, order=0)
    before = AuditEntry.objects.count()
    login("vptt.hcm")
    response = client.post(reverse("training:conference_delete", args=[fresh.pk]))
    assert response.status_code == 302
    assert not Conference.objects.filter(pk=fresh.pk).exists()
    entries = list(AuditEntry.objects.order_by("seq")[before:])
    removed = {(e.object_type, e.object_id) for e in entries if e.action == "delete"}
    assert ("training.conference", str(fresh.pk)) in removed
    assert ("training.session", str(session.pk)) in removed
    assert ("training.invitation", str(invitation.pk)) in removed
    assert ("training.knowledgetest", str(test.pk)) in removed
    assert any(t == "training.testitem" for t, _ in removed)
    assert all(e.unit_path for e in entries), "each entry is filed under the conference's unit"
    assert all(e.classification == 1 for e in entries if e.action == "delete")
