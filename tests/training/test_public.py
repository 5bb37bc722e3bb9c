"""Pages reached without an account: the delegate's own page and tests by personal code, rate limiting of
code look-ups, and the public certificate verification."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from pckb.training.choices import TestKind as Kind
from pckb.training.models import Answer, Attempt, Certificate, Choice, KnowledgeTest
from tests.training.test_services import correct_answers, hau_giang, upcoming


@pytest.fixture(autouse=True)
def clean_cache(db):
    """Rate-limit counters live in the cache; start and end every test with none."""
    cache.clear()
    yield
    cache.clear()


def page(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def delegate():
    conference = upcoming()
    return conference.participants.select_related("person").order_by("pk").first()


def attempt_url(participant, kind="pre") -> str:
    return reverse("training:public_test", args=[participant.code, kind])


def form_data(answers: dict[int, list[int]]) -> dict[str, list[str]]:
    return {f"q{q}": [str(c) for c in ids] for q, ids in answers.items()}


# --- The delegate's page --------------------------------------------------------------------------------
def test_home_page_by_code_shows_own_data_only(client):
    participant = delegate()
    response = client.get(reverse("training:public_home", args=[participant.code.lower()]))
    assert response.status_code == 200
    text = page(response)
    assert participant.person.full_name in text and participant.conference.title in text
    assert "Làm bài" in text  # the pre-test is open
    others = upcoming().participants.exclude(pk=participant.pk).select_related("person")
    assert not any(p.person.full_name in text for p in others)


def test_code_entry_redirects_to_the_home_page(client):
    participant = delegate()
    response = client.get(reverse("training:public_entry"), {"ma": f" {participant.code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("training:public_home", args=[participant.code])


def test_unknown_personal_code_is_404(client):
    assert client.get(reverse("training:public_home", args=["KHONGCOMA2"])).status_code == 404
    assert client.get(reverse("training:public_entry"), {"ma": "KHONGCOMA2"}).status_code == 404
    assert client.get(reverse("training:public_test", args=["KHONGCOMA2", "pre"])).status_code == 404


def test_test_that_does_not_exist_is_404(client):
    assert client.get(attempt_url(delegate(), "post")).status_code == 404


@override_settings(PCKB_CODE_LOOKUPS_PER_ADDRESS_PER_MINUTE=30)
def test_the_31st_code_lookup_from_an_address_in_a_minute_is_refused(client, one_window):
    statuses = [
        client.get(reverse("training:public_home", args=[f"KHONGCO{i:03d}"])).status_code for i in range(30)
    ]
    assert set(statuses) == {404}
    # Even a valid code is refused once the address is over the limit.
    response = client.get(reverse("training:public_home", args=[delegate().code]))
    assert response.status_code == 429


@override_settings(PCKB_CODE_LOOKUPS_PER_ADDRESS_PER_MINUTE=30)
def test_lookups_of_other_addresses_are_counted_separately(client, one_window):
    for i in range(31):
        client.get(reverse("training:public_home", args=[f"KHONGCO{i:03d}"]))
    url = reverse("training:public_home", args=["KHONGCOMA2"])
    assert client.get(url).status_code == 429
    assert client.get(url, REMOTE_ADDR="10.1.2.3").status_code == 404


# --- Taking a test --------------------------------------------------------------------------------------
def test_taking_the_pre_test_on_a_phone(client):
    participant = delegate()
    test = upcoming().tests.get(kind=Kind.PRE)
    response = client.get(attempt_url(participant))
    assert response.status_code == 200
    assert 0 < response.context["seconds_left"] <= test.duration_minutes * 60
    answers = correct_answers(test)
    first = next(iter(answers))
    wrong = Choice.objects.filter(question_id=first, is_correct=False).first()
    answers[first] = [wrong.pk]
    response = client.post(attempt_url(participant), form_data(answers))
    assert response.status_code == 302
    n = test.items.count()
    assert f"Đã nộp bài: {n - 1}/{n} câu đúng." in messages_of(response)
    attempt = Attempt.objects.get(test=test, participant=participant)
    assert attempt.score == n - 1 and attempt.submitted_at is not None
    home = client.get(reverse("training:public_home", args=[participant.code]))
    assert f"{n - 1}/{n} câu đúng" in page(home)


def test_a_second_attempt_is_refused(client):
    participant = delegate()
    test = upcoming().tests.get(kind=Kind.PRE)
    client.get(attempt_url(participant))
    client.post(attempt_url(participant), form_data(correct_answers(test)))
    response = client.get(attempt_url(participant))
    assert response.status_code == 302
    assert any("mỗi người chỉ được làm một lần" in m for m in messages_of(response))
    response = client.post(attempt_url(participant), form_data({}))
    assert any("mỗi người chỉ được làm một lần" in m for m in messages_of(response))
    assert Attempt.objects.filter(test=test, participant=participant).count() == 1


def test_test_not_yet_open_or_closed_is_refused(client):
    participant = delegate()
    test = upcoming().tests.get(kind=Kind.PRE)
    now = timezone.now()
    KnowledgeTest.objects.filter(pk=test.pk).update(opens_at=now + dt.timedelta(hours=1))
    response = client.get(attempt_url(participant))
    assert response.status_code == 302 and "Bài kiểm tra chưa mở." in messages_of(response)
    assert "chưa mở" in page(client.get(reverse("training:public_home", args=[participant.code])))
    KnowledgeTest.objects.filter(pk=test.pk).update(
        opens_at=now - dt.timedelta(hours=3), closes_at=now - dt.timedelta(hours=1)
    )
    response = client.get(attempt_url(participant))
    assert "Bài kiểm tra đã đóng." in messages_of(response)
    assert not Attempt.objects.filter(participant=participant).exists()


def test_answers_after_the_deadline_are_refused(client):
    participant = delegate()
    test = upcoming().tests.get(kind=Kind.PRE)
    client.get(attempt_url(participant))
    attempt = Attempt.objects.get(test=test, participant=participant)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - dt.timedelta(minutes=30))
    response = client.post(attempt_url(participant), form_data(correct_answers(test)))
    assert response.status_code == 302
    assert any(m.startswith("Đã hết thời gian làm bài") for m in messages_of(response))
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score is None
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_foreign_option_ids_are_refused_by_the_page(client):
    participant = delegate()
    test = upcoming().tests.get(kind=Kind.PRE)
    client.get(attempt_url(participant))
    answers = correct_answers(test)
    first, second = list(answers)[:2]
    answers[first] = answers[second]
    response = client.post(attempt_url(participant), form_data(answers))
    assert "Bài làm không hợp lệ." in messages_of(response)
    attempt = Attempt.objects.get(test=test, participant=participant)
    assert attempt.submitted_at is None and not attempt.answers.exists()


def test_posting_without_opening_the_test_is_refused(client):
    participant = delegate()
    test = upcoming().tests.get(kind=Kind.PRE)
    response = client.post(attempt_url(participant), form_data(correct_answers(test)))
    assert "Bạn chưa bắt đầu bài kiểm tra này." in messages_of(response)
    assert not Attempt.objects.filter(participant=participant).exists()


# --- Certificate verification ---------------------------------------------------------------------------
def _certificate() -> Certificate:
    return (
        Certificate.objects.filter(participant__conference=hau_giang())
        .select_related("participant__person__agency", "participant__conference")
        .order_by("pk")
        .first()
    )


def test_verification_page_shows_minimal_data(client):
    certificate = _certificate()
    participant = certificate.participant
    response = client.get(reverse("training:verify", args=[certificate.verify_code.lower()]))
    assert response.status_code == 200
    text = page(response)
    assert participant.person.full_name in text
    assert participant.conference.title in text
    assert "11/06/2024" in text and "Hợp lệ" in text
    assert participant.person.agency.name not in text
    assert participant.code not in text
    assert participant.person.title not in text


def test_revoked_certificate_says_so(client):
    certificate = _certificate()
    Certificate.objects.filter(pk=certificate.pk).update(revoked=True)
    response = client.get(reverse("training:verify", args=[certificate.verify_code]))
    text = page(response)
    assert "Đã thu hồi" in text and "Hợp lệ" not in text


def test_unknown_verification_code_is_404(client):
    response = client.get(reverse("training:verify", args=["KHONGCOMA2"]))
    assert response.status_code == 404
    assert "Không tìm thấy giấy chứng nhận với mã này." in page(response)


def test_verification_lookups_are_rate_limited(client, one_window):
    url = reverse("training:verify", args=["KHONGCOMA2"])
    assert {client.get(url).status_code for _ in range(30)} == {404}
    assert client.get(url).status_code == 429
