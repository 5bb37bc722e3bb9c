"""Training services as an organiser sees them: nominations within the quota, check-in, building tests
from the question bank, taking a test with a personal code, and issuing certificates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pckb.audit.models import AuditEntry
from pckb.directory.models import Person
from pckb.training import services
from pckb.training.choices import QuestionKind
from pckb.training.choices import TestKind as Kind
from pckb.training.models import (
    Answer,
    Attempt,
    Certificate,
    Choice,
    Conference,
    Invitation,
    KnowledgeTest,
    Participant,
    Question,
)
from pckb.training.models import (
    TestItem as Item,
)
from tests.support.demo import CAN_THO_COMMITTEE, HCM_COMMITTEE

HAU_GIANG_COMMITTEE = "Ban Chỉ đạo Phòng, chống khủng bố tỉnh Hậu Giang"


# --- Demo data helpers (shared with the other training test modules) -------------------------------------
def upcoming() -> Conference:
    """The upcoming Cần Thơ conference: invitations with quota 2, one delegate each, a pre-test open now."""
    return Conference.objects.get(committee__name=CAN_THO_COMMITTEE, classification=0)


def hau_giang() -> Conference:
    return Conference.objects.get(committee__name=HAU_GIANG_COMMITTEE)


def hcm() -> Conference:
    return Conference.objects.get(committee__name=HCM_COMMITTEE, start__year=2024)


def held_today(conference: Conference) -> Conference:
    """The conference moved to today, so its delegates can be checked in without an override."""
    now = timezone.now()
    Conference.objects.filter(pk=conference.pk).update(start=now, end=now + dt.timedelta(hours=3))
    conference.refresh_from_db()
    return conference


def invitation_of(conference: Conference, agency_name_part: str) -> Invitation:
    return conference.invitations.select_related("agency").get(agency__name__contains=agency_name_part)


def free_person(invitation: Invitation) -> Person:
    """An official of the invited agency who is not yet a delegate of the conference."""
    taken = Participant.objects.filter(conference=invitation.conference).values("person")
    person = (
        Person.objects.filter(agency=invitation.agency, classification=0)
        .exclude(pk__in=taken)
        .order_by("pk")
        .first()
    )
    if person is None:
        n = Person.objects.filter(agency=invitation.agency).count() + 1
        person = Person.objects.create(
            full_name=f"Cán bộ thử {n}", title="Chuyên viên", agency=invitation.agency
        )
    return person


def open_attempt(participant: Participant, test: KnowledgeTest) -> Attempt:
    return services.attempt_start(participant=participant, test=test)


def correct_answers(test: KnowledgeTest) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for item in test.items.all():
        out[item.question_id] = list(
            Choice.objects.filter(question_id=item.question_id, is_correct=True).values_list("pk", flat=True)
        )
    return out


def messages_of(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


# --- Nomination -----------------------------------------------------------------------------------------
def test_nomination_within_quota_is_saved_and_audited(users):
    actor = users["vptt.cantho"]
    invitation = invitation_of(upcoming(), "Công an")
    person = free_person(invitation)
    participant = services.participant_nominate(actor=actor, invitation=invitation, person=person)
    assert participant.pk and participant.invitation == invitation and participant.conference == upcoming()
    assert len(participant.code) == 10 and participant.checked_in_at is None
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "create" and entry.object_type == "training.participant"
    assert entry.object_id == str(participant.pk) and entry.username == "vptt.cantho"


def test_nomination_over_quota_is_refused(users):
    actor = users["vptt.cantho"]
    invitation = invitation_of(upcoming(), "Công an")  # quota 2, one delegate already
    services.participant_nominate(actor=actor, invitation=invitation, person=free_person(invitation))
    before = Participant.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.participant_nominate(actor=actor, invitation=invitation, person=free_person(invitation))
    assert "Đã đủ 2 đại biểu theo giấy mời." in messages_of(exc)
    assert Participant.objects.count() == before


def test_same_person_cannot_be_nominated_twice(users):
    invitation = invitation_of(upcoming(), "Công an")
    already = invitation.participants.get().person
    before = Participant.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.participant_nominate(actor=users["vptt.cantho"], invitation=invitation, person=already)
    assert "đã được đề cử" in messages_of(exc)
    assert Participant.objects.count() == before


def test_person_of_another_agency_is_refused(users):
    invitation = invitation_of(upcoming(), "Công an")
    stranger = free_person(invitation_of(upcoming(), "Sở Y tế"))
    with pytest.raises(ValidationError) as exc:
        services.participant_nominate(actor=users["vptt.cantho"], invitation=invitation, person=stranger)
    assert "Đại biểu phải là cán bộ của Công an thành phố Cần Thơ" in messages_of(exc)
    assert not Participant.objects.filter(person=stranger, conference=invitation.conference).exists()


def test_new_person_is_created_in_the_directory_and_nominated(users):
    invitation = invitation_of(upcoming(), "Sở Xây dựng")
    person = Person(full_name="Trần Thị Thu Hiền", title="Chuyên viên")
    participant = services.participant_nominate_new_person(
        actor=users["vptt.cantho"], invitation=invitation, person=person
    )
    saved = Person.objects.get(full_name="Trần Thị Thu Hiền")
    assert saved.agency == invitation.agency and participant.person == saved
    audited = set(
        AuditEntry.objects.filter(object_type__in=["directory.person", "training.participant"])
        .order_by("-seq")[:2]
        .values_list("object_type", flat=True)
    )
    assert audited == {"directory.person", "training.participant"}


def test_new_person_is_not_kept_when_the_nomination_fails(users):
    actor = users["vptt.cantho"]
    invitation = invitation_of(upcoming(), "Sở Xây dựng")
    services.participant_nominate(actor=actor, invitation=invitation, person=free_person(invitation))
    people, entries = Person.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.participant_nominate_new_person(
            actor=actor, invitation=invitation, person=Person(full_name="Lê Văn Thừa", title="Chuyên viên")
        )
    assert "Đã đủ 2 đại biểu" in messages_of(exc)
    assert Person.objects.count() == people and not Person.objects.filter(full_name="Lê Văn Thừa").exists()
    assert AuditEntry.objects.count() == entries


def test_focal_point_nominates_for_own_agency_only(users):
    focal = users["daumoi.cantho"]
    own = invitation_of(upcoming(), "Sở Y tế")
    assert own.agency_id == focal.person.agency_id
    participant = services.participant_nominate(actor=focal, invitation=own, person=free_person(own))
    assert participant.pk

    other = invitation_of(upcoming(), "Công an")
    person = free_person(other)
    before = Participant.objects.count()
    with pytest.raises(PermissionDenied):
        services.participant_nominate(actor=focal, invitation=other, person=person)
    with pytest.raises(PermissionDenied):
        services.participant_nominate_new_person(
            actor=focal, invitation=other, person=Person(full_name="Ngô Văn Lạ", title="Cán bộ")
        )
    assert Participant.objects.count() == before
    assert not Person.objects.filter(full_name="Ngô Văn Lạ").exists()


# --- Check-in -------------------------------------------------------------------------------------------
def test_checkin_by_code_tolerates_case_and_spaces_and_is_idempotent(users):
    actor = users["vptt.cantho"]
    conference = held_today(upcoming())
    participant = conference.participants.order_by("pk").first()
    typed = " " + " ".join([participant.code[:5].lower(), participant.code[5:]]) + " "
    found, already = services.checkin(actor=actor, conference=conference, code=typed)
    assert found == participant and already is False
    participant.refresh_from_db()
    first = participant.checked_in_at
    assert first is not None
    again, already = services.checkin(actor=actor, conference=conference, code=participant.code)
    assert again == participant and already is True
    participant.refresh_from_db()
    assert participant.checked_in_at == first


def test_checkin_unknown_code_is_an_error(users):
    with pytest.raises(ValidationError) as exc:
        services.checkin(actor=users["vptt.cantho"], conference=held_today(upcoming()), code="ZZZZ-ZZZZ")
    assert "không có trong danh sách đại biểu" in messages_of(exc)


def test_checkin_code_of_another_conference_is_an_error(users):
    delegate = hau_giang().participants.order_by("pk").first()
    with pytest.raises(ValidationError):
        services.checkin(actor=users["vptt.cantho"], conference=upcoming(), code=delegate.code)


def test_checkin_outside_scope_finds_nobody(users):
    conference = upcoming()
    participant = conference.participants.order_by("pk").first()
    with pytest.raises(ValidationError):
        services.checkin(actor=users["vptt.hcm"], conference=conference, code=participant.code)
    participant.refresh_from_db()
    assert participant.checked_in_at is None


def test_bulk_checkin_is_all_or_nothing_with_line_numbers(users):
    actor = users["vptt.cantho"]
    conference = held_today(upcoming())
    codes = list(conference.participants.order_by("pk").values_list("code", flat=True)[:3])
    text = f"{codes[0]}\n\nNOPE12345\n{codes[1]}\nALSOBAD"
    with pytest.raises(ValidationError) as exc:
        services.checkin_bulk(actor=actor, conference=conference, text=text)
    assert [m.split(":")[0] for m in exc.value.messages] == ["Dòng 3", "Dòng 5"]
    assert not conference.participants.filter(checked_in_at__isnull=False).exists()

    done = services.checkin_bulk(actor=actor, conference=conference, text="\n".join(codes))
    assert {p.code for p in done} == set(codes)
    assert conference.participants.filter(checked_in_at__isnull=False).count() == 3


def test_walk_in_is_registered_and_checked_in(users):
    conference = held_today(upcoming())
    person = free_person(invitation_of(conference, "Sở Ngoại vụ"))
    participant = services.participant_walk_in(
        actor=users["vptt.cantho"], conference=conference, person=person
    )
    assert participant.walk_in and participant.checked_in_at is not None and participant.invitation is None
    assert Participant.objects.filter(conference=conference, person=person).count() == 1


# --- Building tests -------------------------------------------------------------------------------------
def _build(users, conference, **overrides):
    now = timezone.now()
    params = {
        "kind": Kind.POST,
        "opens_at": now,
        "closes_at": now + dt.timedelta(hours=2),
        "duration_minutes": 15,
        "per_topic": 3,
        "seed": 7,
    }
    return services.test_build(actor=users["vptt.cantho"], conference=conference, **{**params, **overrides})


def _deactivate_one(topic_code: str) -> None:
    first = Question.objects.filter(topic__code=topic_code).order_by("pk").first()
    Question.objects.filter(pk=first.pk).update(active=False)


def test_build_takes_the_requested_number_of_questions_per_topic(users):
    test = _build(users, upcoming())
    per_topic: dict[str, int] = {}
    for item in test.items.select_related("question__topic"):
        per_topic[item.question.topic.code] = per_topic.get(item.question.topic.code, 0) + 1
    assert per_topic == {"CD1": 3, "CD2": 3, "CD3": 3, "CD4": 3, "CD5": 3}
    assert test.kind == Kind.POST and test.items.count() == 15


def test_build_skips_inactive_questions_and_says_which_topic_is_short(users):
    conference = upcoming()
    _deactivate_one("CD2")
    with pytest.raises(ValidationError) as exc:
        _build(users, conference, per_topic=4)
    assert "chỉ có 3 câu hỏi" in messages_of(exc)
    assert not conference.tests.filter(kind=Kind.POST).exists()


def test_build_error_names_the_topic_by_its_code(users):
    _deactivate_one("CD2")
    with pytest.raises(ValidationError) as exc:
        _build(users, upcoming(), per_topic=4)
    assert "CD2" in messages_of(exc) or "Nguy cơ khủng bố đối với Việt Nam" in messages_of(exc)


def test_second_pre_test_is_refused(users):
    conference = upcoming()
    with pytest.raises(ValidationError) as exc:
        _build(users, conference, kind=Kind.PRE, per_topic=1)
    assert "Hội nghị đã có Kiểm tra đầu vào." in messages_of(exc)
    assert conference.tests.count() == 1


# --- Taking a test --------------------------------------------------------------------------------------
def _pre_and_delegate():
    conference = upcoming()
    return conference.tests.get(kind=Kind.PRE), conference.participants.order_by("pk").first()


def test_attempt_before_opening_or_after_closing_is_refused(db):
    test, participant = _pre_and_delegate()
    now = timezone.now()
    KnowledgeTest.objects.filter(pk=test.pk).update(opens_at=now + dt.timedelta(hours=1))
    test.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        open_attempt(participant, test)
    assert "chưa mở" in messages_of(exc)
    KnowledgeTest.objects.filter(pk=test.pk).update(
        opens_at=now - dt.timedelta(hours=2), closes_at=now - dt.timedelta(hours=1)
    )
    test.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        open_attempt(participant, test)
    assert "đã đóng" in messages_of(exc)
    assert not Attempt.objects.filter(participant=participant).exists()


def test_one_attempt_only(db):
    test, participant = _pre_and_delegate()
    first = open_attempt(participant, test)
    assert open_attempt(participant, test) == first  # reopening the page continues the same attempt
    services.attempt_submit(participant=participant, test=test, answers=correct_answers(test))
    with pytest.raises(ValidationError) as exc:
        open_attempt(participant, test)
    assert "mỗi người chỉ được làm một lần" in messages_of(exc)
    with pytest.raises(ValidationError):
        services.attempt_submit(participant=participant, test=test, answers={})
    assert Attempt.objects.filter(participant=participant).count() == 1


def test_answers_after_the_deadline_are_refused_and_nothing_is_written(db):
    test, participant = _pre_and_delegate()
    attempt = open_attempt(participant, test)
    late = test.duration_minutes + 2  # past the limit and the one-minute grace
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - dt.timedelta(minutes=late))
    with pytest.raises(ValidationError) as exc:
        services.attempt_submit(participant=participant, test=test, answers=correct_answers(test))
    assert "Đã hết thời gian làm bài" in messages_of(exc)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score is None
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_answers_within_the_grace_minute_count(db):
    test, participant = _pre_and_delegate()
    attempt = open_attempt(participant, test)
    started = timezone.now() - dt.timedelta(minutes=test.duration_minutes, seconds=30)
    Attempt.objects.filter(pk=attempt.pk).update(started_at=started)
    done = services.attempt_submit(participant=participant, test=test, answers=correct_answers(test))
    assert done.score == done.max_score == test.items.count()


def test_test_closing_cuts_the_time_limit(db):
    test, participant = _pre_and_delegate()
    attempt = open_attempt(participant, test)
    KnowledgeTest.objects.filter(pk=test.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=2))
    test.refresh_from_db()
    with pytest.raises(ValidationError):
        services.attempt_submit(participant=participant, test=test, answers=correct_answers(test))
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_foreign_option_ids_are_refused(db):
    test, participant = _pre_and_delegate()
    attempt = open_attempt(participant, test)
    answers = correct_answers(test)
    first, second = list(answers)[:2]
    answers[first] = answers[second]  # the options of another question
    with pytest.raises(ValidationError) as exc:
        services.attempt_submit(participant=participant, test=test, answers=answers)
    assert "Phương án không thuộc câu hỏi." in messages_of(exc)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not attempt.answers.exists()


def test_scoring_of_single_and_multiple_answer_questions(db):
    test, participant = _pre_and_delegate()
    items = list(test.items.select_related("question"))
    multiple = [i.question for i in items if i.question.kind == QuestionKind.MULTIPLE]
    single = [i.question for i in items if i.question.kind == QuestionKind.SINGLE]
    if not multiple:  # make sure the test holds a multiple-answer question
        q = Question.objects.filter(kind=QuestionKind.MULTIPLE).exclude(pk__in=[i.question_id for i in items])
        Item.objects.create(test=test, question=q.first(), order=99)
        multiple = [q.first()]
    open_attempt(participant, test)
    answers = correct_answers(test)
    m = multiple[0]
    answers[m.pk] = answers[m.pk][:1]  # one of two correct options: no credit
    wrong = Choice.objects.filter(question=single[0], is_correct=False).first()
    answers[single[0].pk] = [wrong.pk]
    answers.pop(single[1].pk)  # left blank
    attempt = services.attempt_submit(participant=participant, test=test, answers=answers)
    n = test.items.count()
    assert attempt.max_score == n and attempt.score == n - 3
    scores = dict(attempt.answers.values_list("question_id", "score"))
    assert scores[m.pk] == 0 and scores[single[0].pk] == 0 and scores[single[1].pk] == 0
    assert attempt.percent == pytest.approx(100 * (n - 3) / n)


def test_full_multiple_answer_selection_scores(db):
    test, participant = _pre_and_delegate()
    q = Question.objects.filter(kind=QuestionKind.MULTIPLE, topic__code="CD4").first()
    Item.objects.get_or_create(test=test, question=q, defaults={"order": 99})
    open_attempt(participant, test)
    answers = correct_answers(test)
    assert len(answers[q.pk]) == 2
    attempt = services.attempt_submit(participant=participant, test=test, answers=answers)
    assert attempt.answers.get(question=q).score == 1.0
    assert attempt.score == attempt.max_score


def test_single_answer_question_refuses_two_options(db):
    test, participant = _pre_and_delegate()
    open_attempt(participant, test)
    answers = correct_answers(test)
    single = next(i.question for i in test.items.select_related("question") if i.question.kind == "single")
    answers[single.pk] = list(Choice.objects.filter(question=single).values_list("pk", flat=True)[:2])
    with pytest.raises(ValidationError):
        services.attempt_submit(participant=participant, test=test, answers=answers)
    assert not Answer.objects.filter(attempt__participant=participant).exists()


# --- Certificates ---------------------------------------------------------------------------------------
def _post_test_with_results(users, conference, results: dict[Participant, bool]):
    """A post-test on the upcoming conference, taken by ``results`` (participant → all correct or none)."""
    now = timezone.now()
    test = _build(users, conference, per_topic=1, opens_at=now - dt.timedelta(minutes=5))
    right = correct_answers(test)
    for participant, passed in results.items():
        open_attempt(participant, test)
        answers = right if passed else {q: [] for q in right}
        services.attempt_submit(participant=participant, test=test, answers=answers)
    return test


def test_certificates_only_for_checked_in_delegates_who_passed(users):
    actor = users["vptt.cantho"]
    conference = held_today(upcoming())  # requires_test, pass mark 60 %
    a, b, c, d = list(conference.participants.order_by("pk")[:4])
    for p in (a, b, c):
        services.checkin(actor=actor, conference=conference, code=p.code)
    _post_test_with_results(users, conference, {a: True, b: False, d: True})  # d passed but never came
    created = services.certificates_issue(actor=actor, conference=conference)
    assert [cert.participant for cert in created] == [a]
    assert created[0].number == f"{conference.pk}/0001-CN"
    assert services.certificates_issue(actor=actor, conference=conference) == []
    assert Certificate.objects.filter(participant__conference=conference).count() == 1


def test_no_post_test_means_no_certificates_when_a_test_is_required(users):
    actor = users["vptt.cantho"]
    conference = held_today(upcoming())
    participant = conference.participants.first()
    services.checkin(actor=actor, conference=conference, code=participant.code)
    assert services.certificates_issue(actor=actor, conference=conference) == []


def test_without_test_requirement_every_checked_in_delegate_gets_one(users):
    actor = users["vptt.cantho"]
    conference = held_today(upcoming())
    Conference.objects.filter(pk=conference.pk).update(requires_test=False)
    conference.refresh_from_db()
    codes = list(conference.participants.order_by("pk").values_list("code", flat=True)[:2])
    services.checkin_bulk(actor=actor, conference=conference, text="\n".join(codes))
    created = services.certificates_issue(actor=actor, conference=conference)
    assert sorted(c.participant.code for c in created) == sorted(codes)
    assert len({c.number for c in created}) == 2 and len({c.verify_code for c in created}) == 2


def test_reissuing_on_a_held_conference_adds_none(users):
    conference = hau_giang()
    before = Certificate.objects.filter(participant__conference=conference).count()
    assert before == conference.participants.filter(checked_in_at__isnull=False).count()
    assert services.certificates_issue(actor=users["vptt.cantho"], conference=conference) == []
    assert Certificate.objects.filter(participant__conference=conference).count() == before


def test_certificates_outside_scope_are_not_issued(users):
    from django.http import Http404

    with pytest.raises(Http404):
        services.certificates_issue(actor=users["vptt.hcm"], conference=upcoming())
