"""Tests at Moodle level for the delegate: a visible countdown while taking a test, and a review of one's own
answers (choice, correct option, explanation) once the test has closed — never before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pckb.training.models import Attempt
from tests.training.test_services import hau_giang, upcoming

pytestmark = pytest.mark.django_db


def submitted_attempt(conference):
    return (
        Attempt.objects.filter(participant__conference=conference, submitted_at__isnull=False)
        .select_related("participant", "test")
        .order_by("pk")
        .first()
    )


def test_review_after_the_test_closed_shows_choices_answers_and_explanations(client):
    attempt = submitted_attempt(hau_giang())
    code, kind = attempt.participant.code, attempt.test.kind
    home = client.get(reverse("training:public_home", args=[code])).content.decode()
    review_url = reverse("training:public_review", args=[code, kind])
    assert review_url in home
    body = client.get(review_url).content.decode()
    answers = {a.question_id: a for a in attempt.answers.select_related("question")}
    assert body.count("review-question") == attempt.test.items.count()
    assert "(đáp án đúng)" in body and "(bạn chọn)" in body
    some = next(a for a in answers.values() if a.question.explanation)
    assert some.question.explanation in body


def test_no_review_before_the_test_closes(client):
    attempt = submitted_attempt(hau_giang())
    type(attempt.test).objects.filter(pk=attempt.test_id).update(
        closes_at=timezone.now() + dt.timedelta(hours=1)
    )
    url = reverse("training:public_review", args=[attempt.participant.code, attempt.test.kind])
    response = client.get(url)
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "Bạn xem lại bài làm được sau khi bài kiểm tra đóng lúc" in follow
    assert "(đáp án đúng)" not in follow


def test_no_review_without_a_submitted_attempt(client):
    conference = upcoming()
    participant = conference.participants.order_by("pk").first()
    test = conference.tests.first()
    assert (
        client.get(reverse("training:public_review", args=[participant.code, test.kind])).status_code == 404
    )


def test_the_test_page_carries_its_countdown(client):
    conference = upcoming()
    participant = conference.participants.order_by("pk").first()
    test = conference.tests.first()
    now = timezone.now()
    type(test).objects.filter(pk=test.pk).update(
        opens_at=now - dt.timedelta(minutes=5), closes_at=now + dt.timedelta(hours=1)
    )
    body = client.get(reverse("training:public_test", args=[participant.code, test.kind])).content.decode()
    assert 'role="timer"' in body and "data-deadline=" in body and "Còn lại {time}" in body
