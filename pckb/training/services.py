"""Writes of the training module. Each validates, re-checks scope through the generic services and audits."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pckb.accounts.choices import Role
from pckb.audit.choices import AuditAction
from pckb.audit.services import audit_record, snapshot
from pckb.core import access, errors, services
from pckb.training.choices import STATUS_ORDER, ConferenceStatus, QuestionKind, TestKind
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
    TestItem,
    Topic,
)

#: Answers sent this long after the time limit still count (network delay on a phone).
GRACE = dt.timedelta(seconds=60)


# --- Conference life cycle ------------------------------------------------------------------------------
def conference_advance(*, actor, conference: Conference, status: str) -> Conference:
    """Move a conference forward: planned → invitations sent → held → reported (never backwards)."""
    if STATUS_ORDER.index(status) < STATUS_ORDER.index(conference.status):
        raise ValidationError(_("Không thể chuyển hội nghị về trạng thái trước."))
    return services.object_update(actor=actor, instance=conference, changes={"status": status})


def invitation_send(*, actor, invitation: Invitation, letter_number: str, sent_on: dt.date) -> Invitation:
    """Record that the invitation letter was issued; the conference becomes 'invitations sent'. The invited
    agency's focal points are notified (in-app and e-mail) once the change commits, once per invitation."""
    with services.service_transaction():
        services.object_update(
            actor=actor, instance=invitation, changes={"letter_number": letter_number, "sent_on": sent_on}
        )
        conference = invitation.conference
        if conference.status == ConferenceStatus.PLANNED:
            conference_advance(actor=actor, conference=conference, status=ConferenceStatus.INVITED)
        _notify_invited_agency(invitation)
    return invitation


def focal_points(agency_id: int):
    """The active accounts that act as focal point (đầu mối) of an agency."""
    from pckb.accounts.choices import Role
    from pckb.accounts.models import User

    return list(
        User.objects.filter(role=Role.AGENCY_FOCAL, person__agency_id=agency_id, is_active=True).order_by(
            "pk"
        )
    )


def _notify_focal_points(
    *,
    agency_id: int,
    conference: Conference,
    event: str,
    dedupe_key: str,
    title: str,
    body: str,
    neutral_title: str,
) -> int:
    """Notify an agency's focal points about ``conference``: the full text to those who may see the
    conference; to those who may not (classification), only ``neutral_title`` and no link. E-mails and
    webhooks about a classified conference carry the neutral text (classified content stays inside).
    Returns the number of notifications created (0 when ``dedupe_key`` was already used)."""
    from pckb.notifications.services import notify

    recipients = focal_points(agency_id)
    allowed = [u for u in recipients if access.can(u, access.VIEW, conference)]
    others = [u for u in recipients if u not in allowed]
    neutral = {"external_title": neutral_title, "external_body": ""} if conference.classification else {}
    common = {"event": event, "obj": conference, "dedupe_key": dedupe_key}
    created = 0
    if allowed:
        created += len(
            notify(
                recipients=allowed,
                title=title,
                body=body,
                url=conference.get_absolute_url(),
                **neutral,
                **common,
            )
        )
    if others:
        created += len(notify(recipients=others, title=neutral_title, **common))
    return created


def _notify_invited_agency(invitation: Invitation) -> None:
    conference = invitation.conference
    _notify_focal_points(
        agency_id=invitation.agency_id,
        conference=conference,
        event="training.invitation_sent",
        dedupe_key=f"training.invitation_sent:{invitation.pk}",
        title=_("Giấy mời dự hội nghị: {title}").format(title=conference.title),
        body=_(
            "Cơ quan {agency} được mời cử {quota} đại biểu dự hội nghị “{title}”, bắt đầu lúc {start} tại "
            "{venue}. Giấy mời số {number}. Đề nghị đầu mối đề cử đại biểu trên PCKB Hub."
        ).format(
            agency=invitation.agency,
            quota=invitation.quota,
            title=conference.title,
            start=timezone.localtime(conference.start).strftime("%H:%M %d/%m/%Y"),
            venue=conference.venue,
            number=invitation.letter_number or "—",
        ),
        neutral_title=_("Cơ quan của bạn có giấy mời dự một hội nghị tập huấn; xem trên PCKB Hub."),
    )


# --- Delegates ------------------------------------------------------------------------------------------
def nomination_refusal(actor, agency_id) -> str:
    """For an agency focal point, the refusal in plain words to nominate for another agency (else "")."""
    own = access.limited_to_agency(actor, Participant, access.ADD)
    if own is not None and own.pk != agency_id:
        return _("Bạn chỉ cử được đại biểu của {agency}.").format(agency=own.name)
    return ""


def participant_nominate(*, actor, invitation: Invitation, person) -> Participant:
    """An agency nominates a delegate within its quota. A person is nominated once per conference."""
    refusal = nomination_refusal(actor, invitation.agency_id)
    if refusal:
        raise errors.PermissionDenied(refusal)
    if person.agency_id != invitation.agency_id:
        raise ValidationError(
            {"person": _("Đại biểu phải là cán bộ của {agency}.").format(agency=invitation.agency)}
        )
    with transaction.atomic():
        used = Participant.objects.select_for_update().filter(invitation=invitation).count()
        if used >= invitation.quota:
            raise ValidationError(_("Đã đủ {quota} đại biểu theo giấy mời.").format(quota=invitation.quota))
        if Participant.objects.filter(conference_id=invitation.conference_id, person=person).exists():
            raise ValidationError({"person": _("{name} đã được đề cử dự hội nghị này.").format(name=person)})
        participant = Participant(
            conference_id=invitation.conference_id, person=person, invitation=invitation
        )
        return services.object_create(actor=actor, instance=participant)


def participant_nominate_new_person(*, actor, invitation: Invitation, person) -> Participant:
    """Create the official through the directory's service, then nominate them (one transaction)."""
    with transaction.atomic():
        person.agency = invitation.agency
        services.object_create(actor=actor, instance=person)
        return participant_nominate(actor=actor, invitation=invitation, person=person)


def participant_walk_in(*, actor, conference: Conference, person, override_reason: str = "") -> Participant:
    """A delegate who came without a nomination: registered and checked in at once (within the conference's
    dates, or outside them with a standing office's reason)."""
    with transaction.atomic():
        reason = _checkin_reason(actor=actor, conference=conference, override_reason=override_reason)
        existing = Participant.objects.filter(conference=conference, person=person).first()
        if existing is not None:
            return _checkin_one(actor=actor, conference=conference, code=existing.code, reason=reason)[0]
        participant = Participant(
            conference=conference,
            person=person,
            walk_in=True,
            checked_in_at=timezone.now(),
            checkin_override_reason=reason,
        )
        return services.object_create(actor=actor, instance=participant)


# --- Check-in -------------------------------------------------------------------------------------------
#: Who may check delegates in outside the conference's dates, with a written reason (audited).
CHECKIN_OVERRIDE_ROLES = frozenset({Role.ADMIN, Role.NATIONAL_OFFICE, Role.PROVINCIAL_OFFICE})
OVERRIDE_REASON_MIN_LENGTH = 10


def checkin_window(conference: Conference) -> tuple[dt.date, dt.date]:
    """The local days on which delegates may be checked in: the day before the start to the last day."""
    first = timezone.localdate(conference.start) - dt.timedelta(days=1)
    return first, timezone.localdate(conference.end)


def checkin_open(conference: Conference, now: dt.datetime | None = None) -> bool:
    first, last = checkin_window(conference)
    return first <= timezone.localdate(now) <= last


def checkin_can_override(user) -> bool:
    """A standing office (or an administrator) may check in outside the conference's dates."""
    return bool(user is not None and user.is_active and getattr(user, "role", "") in CHECKIN_OVERRIDE_ROLES)


def checkin_closed_message(conference: Conference) -> str:
    first, last = checkin_window(conference)
    return _(
        "Hôm nay không phải ngày điểm danh: hội nghị này chỉ điểm danh từ ngày {first} đến ngày {last}. "
        "Văn phòng Thường trực có thể cho điểm danh ngoài thời gian này nếu ghi rõ lý do."
    ).format(first=first.strftime("%d/%m/%Y"), last=last.strftime("%d/%m/%Y"))


def _checkin_reason(*, actor, conference: Conference, override_reason: str) -> str:
    """Empty within the conference's dates; outside them, the standing office's reason (required, checked),
    which is stored on the delegate and so lands in the audit entry of the check-in."""
    if checkin_open(conference):
        return ""
    reason = " ".join((override_reason or "").split())
    if not reason:
        raise ValidationError(checkin_closed_message(conference), code="checkin_closed")
    if not checkin_can_override(actor):
        raise errors.PermissionDenied(
            _("Chỉ Văn phòng Thường trực mới được cho điểm danh ngoài thời gian hội nghị.")
        )
    if len(reason) < OVERRIDE_REASON_MIN_LENGTH:
        raise ValidationError(
            {"override_reason": _("Lý do phải có ít nhất {n} ký tự.").format(n=OVERRIDE_REASON_MIN_LENGTH)}
        )
    return reason


def checkin(
    *, actor, conference: Conference, code: str, override_reason: str = ""
) -> tuple[Participant, bool]:
    """Check a delegate in by personal code. Idempotent: returns (participant, was_already_checked_in).
    Refused outside the conference's dates unless a standing office gives a reason."""
    with transaction.atomic():
        reason = _checkin_reason(actor=actor, conference=conference, override_reason=override_reason)
        return _checkin_one(actor=actor, conference=conference, code=code, reason=reason)


def _checkin_one(*, actor, conference: Conference, code: str, reason: str) -> tuple[Participant, bool]:
    code = (code or "").strip().upper().replace(" ", "").replace("-", "")
    with transaction.atomic():
        participant = (
            access.restrict(Participant.objects.select_for_update(of=("self",)), actor, access.CHANGE)
            .filter(conference=conference, code=code)
            .select_related("person", "person__agency", "conference__committee__unit")
            .first()
        )
        if participant is None:
            raise ValidationError(
                _("Mã “{code}” không có trong danh sách đại biểu của hội nghị này.").format(code=code)
            )
        if participant.checked_in_at is not None:
            return participant, True
        before = snapshot(participant)
        participant.checked_in_at = timezone.now()
        participant.checkin_override_reason = reason
        participant.save(update_fields=["checked_in_at", "checkin_override_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=participant,
            before=before,
            after=snapshot(participant),
        )
    return participant, False


def checkin_bulk(*, actor, conference: Conference, text: str, override_reason: str = "") -> list[Participant]:
    """Check in every code of a pasted list (one per line), all or nothing; faults name their line."""
    codes = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not codes:
        raise ValidationError(_("Danh sách mã trống."))
    errors_, done = [], []
    with transaction.atomic():
        reason = _checkin_reason(actor=actor, conference=conference, override_reason=override_reason)
        for line, code in codes:
            try:
                done.append(_checkin_one(actor=actor, conference=conference, code=code, reason=reason)[0])
            except ValidationError as exc:
                errors_.extend(_("Dòng {line}: {message}").format(line=line, message=m) for m in exc.messages)
        if errors_:
            transaction.set_rollback(True)
            raise ValidationError(errors_)
    return done


# --- Personal codes by e-mail ---------------------------------------------------------------------------
@dataclass
class CodesSent:
    sent: int = 0
    already: int = 0
    without_email: list[Participant] = field(default_factory=list)


def participant_codes_send(*, actor, conference: Conference) -> CodesSent:
    """E-mail each delegate the actor may manage their personal code, through the notification outbox (sent
    after commit). Once per delegate: sending again queues only delegates not sent yet. Delegates whose
    directory record has no e-mail are returned so the page can name them."""
    from pckb.notifications.services import email_enabled, email_queue

    if not email_enabled():
        raise ValidationError(_("Hệ thống chưa được cấu hình để gửi thư điện tử."))
    report = CodesSent()
    entry = settings.PCKB_SITE_URL.rstrip("/") + reverse("training:public_entry")
    classified = bool(conference.classification)
    with transaction.atomic():
        participants = (
            access.restrict(Participant.objects.all(), actor, access.CHANGE)
            .filter(conference=conference)
            .select_related("person")
            .order_by("person__sort_key", "pk")
        )
        for participant in participants:
            person = participant.person
            if not person.email:
                report.without_email.append(participant)
                continue
            # A classified conference is not named in a message that leaves the system.
            title = (
                _("Mã cá nhân dự hội nghị tập huấn")
                if classified
                else _("Mã cá nhân dự hội nghị: {title}").format(title=conference.title)
            )
            body = _(
                "Kính gửi đồng chí {name},\n\nMã cá nhân của đồng chí là: {code}\n\n"
                "Đồng chí dùng mã này để điểm danh khi đến hội nghị và để làm bài kiểm tra, xem kết quả, "
                "nhận giấy chứng nhận tại {url} (không cần tài khoản)."
            ).format(name=person.full_name, code=participant.code, url=entry)
            if not classified:
                body += "\n\n" + _("Hội nghị: {title}, bắt đầu lúc {start} tại {venue}.").format(
                    title=conference.title,
                    start=timezone.localtime(conference.start).strftime("%H:%M %d/%m/%Y"),
                    venue=conference.venue,
                )
            queued = email_queue(
                event="training.code_sent",
                address=person.email,
                subject=title,
                body=body,
                dedupe_key=f"training.code:{participant.pk}",
            )
            if queued is None:
                report.already += 1
            else:
                report.sent += 1
    return report


# --- Question bank and tests ----------------------------------------------------------------------------
def question_create(*, actor, question: Question, choices: list[tuple[str, bool]]) -> Question:
    """A question with its options: at least two options; exactly one correct for a single-answer question."""
    options = [(text.strip(), correct) for text, correct in choices if text and text.strip()]
    correct = sum(1 for _t, c in options if c)
    if len(options) < 2:
        raise ValidationError(_("Câu hỏi cần ít nhất hai phương án."))
    if correct == 0:
        raise ValidationError(_("Cần đánh dấu ít nhất một phương án đúng."))
    if question.kind == QuestionKind.SINGLE and correct != 1:
        raise ValidationError(_("Câu hỏi một đáp án chỉ được có đúng một phương án đúng."))
    with transaction.atomic():
        services.object_create(actor=actor, instance=question)
        Choice.objects.bulk_create(
            [
                Choice(question=question, text=text, is_correct=c, order=i)
                for i, (text, c) in enumerate(options)
            ]
        )
    return question


def test_build(
    *,
    actor,
    conference: Conference,
    kind: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    duration_minutes: int,
    per_topic: int,
    seed: int | None = None,
) -> KnowledgeTest:
    """Build a pre/post test from the bank: ``per_topic`` active questions of each topic on the agenda."""
    topics = list(Topic.objects.filter(sessions__conference=conference).distinct().order_by("order", "code"))
    if not topics:
        raise ValidationError(_("Chương trình hội nghị chưa có báo cáo chuyên đề nào để ra đề."))
    if per_topic < 1:
        raise ValidationError({"per_topic": _("Mỗi chuyên đề cần ít nhất 1 câu hỏi.")})
    rng = random.Random(seed)  # noqa: S311 - choosing exam questions, not a secret
    chosen: list[int] = []
    for topic in topics:
        bank = list(Question.objects.filter(topic=topic, active=True).values_list("pk", flat=True))
        if len(bank) < per_topic:
            raise ValidationError(
                {
                    "per_topic": _("Chuyên đề {code} ({title}) chỉ có {n} câu hỏi trong ngân hàng.").format(
                        code=topic.code, title=topic.title, n=len(bank)
                    )
                }
            )
        chosen += sorted(rng.sample(bank, per_topic))
    with transaction.atomic():
        test = KnowledgeTest(
            conference=conference,
            kind=kind,
            opens_at=opens_at,
            closes_at=closes_at,
            duration_minutes=duration_minutes,
        )
        try:
            services.object_create(actor=actor, instance=test)
        except ValidationError as exc:
            if "__all__" in getattr(exc, "message_dict", {}):
                raise ValidationError(
                    {"kind": _("Hội nghị đã có {kind}.").format(kind=TestKind(kind).label)}
                ) from exc
            raise
        TestItem.objects.bulk_create(
            [TestItem(test=test, question_id=q, order=i) for i, q in enumerate(chosen)]
        )
    return test


def _deadline(attempt: Attempt) -> dt.datetime:
    limit = attempt.started_at + dt.timedelta(minutes=attempt.test.duration_minutes)
    return min(limit, attempt.test.closes_at)


def attempt_start(*, participant: Participant, test: KnowledgeTest) -> Attempt:
    """Open the participant's single attempt (or return the one already running)."""
    now = timezone.now()
    if test.conference_id != participant.conference_id:
        raise ValidationError(_("Bài kiểm tra không thuộc hội nghị của bạn."))
    existing = Attempt.objects.filter(test=test, participant=participant).first()
    if existing is not None:
        if existing.submitted_at is not None:
            raise ValidationError(_("Bạn đã nộp bài này; mỗi người chỉ được làm một lần."))
        return existing
    if now < test.opens_at:
        raise ValidationError(_("Bài kiểm tra chưa mở."))
    if now >= test.closes_at:
        raise ValidationError(_("Bài kiểm tra đã đóng."))
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                test=test,
                participant=participant,
                started_at=now,
                max_score=test.items.count(),
                order=_draw_order(test),
            )
    except IntegrityError:  # two taps at once: the other request created it
        attempt = Attempt.objects.get(test=test, participant=participant)
    return attempt


def _draw_order(test: KnowledgeTest) -> dict:
    """Shuffle the questions and each question's options for one attempt (a fresh seed per attempt), so
    neighbours do not see the same order and the correct option is not always first."""
    seed = secrets.randbits(32)
    rng = random.Random(seed)  # noqa: S311 - an exam order, not a secret; the seed is kept with the attempt
    question_ids = list(test.items.order_by("order").values_list("question_id", flat=True))
    rng.shuffle(question_ids)
    choices: dict[str, list[int]] = {}
    for qid, cid in (
        Choice.objects.filter(question_id__in=question_ids)
        .order_by("order", "id")
        .values_list("question_id", "id")
    ):
        choices.setdefault(str(qid), []).append(cid)
    for ids in choices.values():
        rng.shuffle(ids)
    return {"seed": seed, "questions": question_ids, "choices": choices}


def attempt_items(attempt: Attempt, items: list[TestItem]) -> list[TestItem]:
    """``items`` (with ``question__choices`` prefetched) in the attempt's order; each item gets
    ``choices_in_order``. An attempt without a stored order keeps the test's order."""
    questions = attempt.order.get("questions") or []
    position = {qid: i for i, qid in enumerate(questions)}
    ordered = sorted(items, key=lambda item: (position.get(item.question_id, len(position)), item.order))
    choice_order = attempt.order.get("choices") or {}
    for item in ordered:
        wanted = {cid: i for i, cid in enumerate(choice_order.get(str(item.question_id), []))}
        options = list(item.question.choices.all())
        item.choices_in_order = sorted(options, key=lambda c: wanted.get(c.pk, len(wanted)))
    return ordered


def attempt_submit(
    *, participant: Participant, test: KnowledgeTest, answers: dict[int, list[int]]
) -> Attempt:
    """Score and close the attempt. Refused after the deadline, for a second submission, or with foreign
    options; nothing is written then."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().filter(test=test, participant=participant).first()
        if attempt is None:
            raise ValidationError(_("Bạn chưa bắt đầu bài kiểm tra này."))
        if attempt.submitted_at is not None:
            raise ValidationError(_("Bạn đã nộp bài này; mỗi người chỉ được làm một lần."))
        now = timezone.now()
        if now > _deadline(attempt) + GRACE:
            raise ValidationError(_("Đã hết thời gian làm bài; bài nộp sau hạn không được chấp nhận."))
        items = list(TestItem.objects.filter(test=test).select_related("question"))
        correct = {q: set(ids) for q, ids in _correct_choices([i.question_id for i in items]).items()}
        valid = _valid_choices([i.question_id for i in items])
        rows, total = [], 0.0
        for item in items:
            selected = sorted(set(answers.get(item.question_id, [])))
            if not set(selected) <= valid[item.question_id]:
                raise ValidationError(_("Phương án không thuộc câu hỏi."))
            if item.question.kind == QuestionKind.SINGLE and len(selected) > 1:
                raise ValidationError(_("Câu hỏi một đáp án chỉ được chọn một phương án."))
            score = 1.0 if selected and set(selected) == correct[item.question_id] else 0.0
            total += score
            rows.append(Answer(attempt=attempt, question_id=item.question_id, selected=selected, score=score))
        Answer.objects.bulk_create(rows)
        attempt.submitted_at = now
        attempt.score = total
        attempt.max_score = len(items)
        attempt.save(update_fields=["submitted_at", "score", "max_score"])
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            obj=participant,
            username=f"đại biểu {participant.code[:4]}…",
            object_repr=_("Nộp {test}: {score}/{max}").format(
                test=test.get_kind_display(), score=total, max=len(items)
            ),
            after={"test": test.pk, "score": total, "max": len(items)},
        )
    return attempt


def _correct_choices(question_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {q: [] for q in question_ids}
    for qid, cid in Choice.objects.filter(question_id__in=question_ids, is_correct=True).values_list(
        "question_id", "id"
    ):
        out[qid].append(cid)
    return out


def _valid_choices(question_ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {q: set() for q in question_ids}
    for qid, cid in Choice.objects.filter(question_id__in=question_ids).values_list("question_id", "id"):
        out[qid].add(cid)
    return out


# --- Certificates ---------------------------------------------------------------------------------------
def eligible_participants(conference: Conference):
    qs = conference.participants.filter(checked_in_at__isnull=False)
    if conference.requires_test:
        post = conference.tests.filter(kind=TestKind.POST).first()
        if post is None:
            return qs.none()
        passed = [
            a.participant_id
            for a in post.attempts.exclude(score=None)
            if a.percent is not None and a.percent >= conference.pass_mark
        ]
        qs = qs.filter(pk__in=passed)
    return qs


def certificate_revoke(*, actor, certificate: Certificate) -> Certificate:
    """Revoke a certificate; its public verification page then says so."""
    if certificate.revoked:
        raise ValidationError(_("Giấy chứng nhận này đã bị thu hồi."))
    return services.object_update(actor=actor, instance=certificate, changes={"revoked": True})


def certificates_issue(
    *, actor, conference: Conference, issued_on: dt.date | None = None
) -> list[Certificate]:
    """Issue certificates to every eligible participant who has none yet."""
    conference = access.get_or_404(Conference, actor, access.CHANGE, pk=conference.pk)
    issued_on = issued_on or timezone.localdate()
    created = []
    with transaction.atomic():
        # Numbers are "<conference>/<sequence>-CN"; continue after the highest one ever issued here.
        numbers = Certificate.objects.filter(participant__conference=conference).values_list(
            "number", flat=True
        )
        last = max((int(n.split("/")[1].split("-")[0]) for n in numbers), default=0)
        for n, participant in enumerate(
            eligible_participants(conference).filter(certificate__isnull=True).select_related("person"),
            start=last + 1,
        ):
            certificate = Certificate(
                participant=participant, issued_on=issued_on, number=f"{conference.pk}/{n:04d}-CN"
            )
            created.append(services.object_create(actor=actor, instance=certificate))
    return created


# --- Reminders ------------------------------------------------------------------------------------------
def test_closing_remind(*, hours: int, now: dt.datetime | None = None) -> int:
    """Remind the focal points of every agency that still has delegates who have not submitted a test
    closing within ``hours``. Idempotent: once per test and agency, however often it runs. Returns the
    number of notifications created now."""
    now = now or timezone.now()
    tests = KnowledgeTest.objects.filter(
        closes_at__gt=now, closes_at__lte=now + dt.timedelta(hours=hours)
    ).select_related("conference")
    created = 0
    for test in tests:
        submitted = Attempt.objects.filter(test=test, submitted_at__isnull=False).values("participant_id")
        pending: dict[int, int] = {}
        for agency_id in (
            Participant.objects.filter(conference_id=test.conference_id, person__agency_id__isnull=False)
            .exclude(pk__in=submitted)
            .values_list("person__agency_id", flat=True)
        ):
            pending[agency_id] = pending.get(agency_id, 0) + 1
        for agency_id, count in sorted(pending.items()):
            created += _notify_focal_points(
                agency_id=agency_id,
                conference=test.conference,
                event="training.test_closing",
                dedupe_key=f"training.test_closing:{test.pk}:{agency_id}",
                title=_("Sắp đóng {test}: {title}").format(
                    test=test.get_kind_display(), title=test.conference.title
                ),
                body=_(
                    "{test} của hội nghị “{title}” đóng lúc {closes}. Cơ quan còn {n} đại biểu chưa nộp bài."
                ).format(
                    test=test.get_kind_display(),
                    title=test.conference.title,
                    closes=timezone.localtime(test.closes_at).strftime("%H:%M %d/%m/%Y"),
                    n=count,
                ),
                neutral_title=_("Một bài kiểm tra tập huấn sắp đóng; xem trên PCKB Hub."),
            )
    return created
