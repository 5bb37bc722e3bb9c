"""A guided conference (issue 8, item 10): check-in only within the conference's dates unless a standing
office overrides with a reason (audited), delegates' badges with their QR code in one PDF, personal codes sent
by e-mail through the outbox (to a real SMTP server on 127.0.0.1), and a history that shows the agenda's and
invitations' changes."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pckb.audit.models import AuditEntry
from pckb.core import services as core_services
from pckb.directory.models import Person
from pckb.notifications.models import OutboxMessage
from pckb.training import services
from pckb.training.models import Conference, Participant, Session
from tests.notifications.peers import SmtpReceiver
from tests.training.test_services import free_person, invitation_of, upcoming

HX = {"HX-Request": "true"}
REASON = "Đại biểu đến sớm một ngày để nhận tài liệu, Trưởng ban đồng ý"


def page(response) -> str:
    return response.content.decode()


def held_today(conference: Conference) -> Conference:
    now = timezone.now()
    Conference.objects.filter(pk=conference.pk).update(start=now, end=now + dt.timedelta(hours=3))
    conference.refresh_from_db()
    return conference


def delegate(conference: Conference) -> Participant:
    return conference.participants.select_related("person__agency").order_by("pk").first()


# --- Check-in only within the conference's dates --------------------------------------------------------
def test_checkin_outside_the_dates_is_refused_in_plain_vietnamese(users):
    conference = upcoming()  # starts in 23 days
    participant = delegate(conference)
    first = (timezone.localtime(conference.start).date() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    with pytest.raises(ValidationError) as caught:
        services.checkin(actor=users["vptt.cantho"], conference=conference, code=participant.code)
    assert f"chỉ điểm danh từ ngày {first}" in caught.value.messages[0]
    with pytest.raises(ValidationError, match="ít nhất 10 ký tự"):
        services.checkin(
            actor=users["vptt.cantho"], conference=conference, code=participant.code, override_reason="sớm"
        )
    participant.refresh_from_db()
    assert participant.checked_in_at is None


def test_checkin_the_day_before_and_during_needs_no_reason(users):
    conference = upcoming()
    day_before = timezone.localtime(conference.start) - dt.timedelta(days=1)
    assert services.checkin_open(conference, now=day_before)
    assert not services.checkin_open(conference, now=day_before - dt.timedelta(days=1))
    day_after = timezone.localtime(conference.end) + dt.timedelta(days=1)
    assert not services.checkin_open(conference, now=day_after)
    held_today(conference)
    participant, already = services.checkin(
        actor=users["vptt.cantho"], conference=conference, code=delegate(conference).code
    )
    assert not already and participant.checked_in_at and participant.checkin_override_reason == ""


def test_an_override_is_stored_and_audited_with_its_reason(users):
    conference = upcoming()
    participant = delegate(conference)
    services.checkin(
        actor=users["vptt.cantho"], conference=conference, code=participant.code, override_reason=REASON
    )
    participant.refresh_from_db()
    assert participant.checked_in_at and participant.checkin_override_reason == REASON
    entry = AuditEntry.objects.filter(
        object_type="training.participant", object_id=str(participant.pk)
    ).last()
    assert entry.after["checkin_override_reason"] == REASON and entry.before["checked_in_at"] is None


def test_only_a_standing_office_may_override(users):
    actor = users["vptt.cantho"]
    actor.role = "committee_leader"  # the same scope, not a standing office
    assert not services.checkin_can_override(actor)
    with pytest.raises(Exception, match="Chỉ Văn phòng Thường trực"):
        services.checkin(
            actor=actor, conference=upcoming(), code=delegate(upcoming()).code, override_reason=REASON
        )


def test_the_desk_shows_the_refusal_and_the_override_form_on_all_three_paths(client, login):
    login("vptt.cantho")
    conference = upcoming()
    url = reverse("training:checkin", args=[conference.pk])
    body = page(client.get(url))
    assert "Ngoài thời gian điểm danh." in body and body.count('name="override_reason"') == 3

    first, second, third = conference.participants.order_by("pk")[:3]
    response = client.post(url, {"code": first.code}, headers=HX)
    assert "Hôm nay không phải ngày điểm danh" in page(response)
    response = client.post(url, {"code": first.code, "override_reason": "ngắn"}, headers=HX)
    assert "Lý do phải có ít nhất 10 ký tự." in page(response)
    assert not conference.participants.filter(checked_in_at__isnull=False).exists()

    response = client.post(url, {"code": first.code, "override_reason": REASON}, headers=HX)
    assert "Đã điểm danh:" in page(response)
    response = client.post(url, {"codes": f"{second.code}\n{third.code}"})
    assert "Hôm nay không phải ngày điểm danh" in page(response)
    response = client.post(url, {"codes": f"{second.code}\n{third.code}", "override_reason": REASON})
    assert "Đã điểm danh 2 đại biểu." in page(response)

    person = free_person(invitation_of(conference, "Sở Xây dựng"))
    response = client.post(url, {"person": person.pk}, headers=HX)
    assert "Hôm nay không phải ngày điểm danh" in page(response)
    assert not Participant.objects.filter(conference=conference, person=person).exists()
    client.post(url, {"person": person.pk, "override_reason": REASON}, headers=HX)
    walk_in = Participant.objects.get(conference=conference, person=person)
    assert walk_in.walk_in and walk_in.checkin_override_reason == REASON
    assert set(conference.participants.exclude(checkin_override_reason="").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
        third.pk,
        walk_in.pk,
    }


def test_within_the_dates_the_desk_shows_no_refusal(client, login):
    login("vptt.cantho")
    conference = held_today(upcoming())
    body = page(client.get(reverse("training:checkin", args=[conference.pk])))
    assert "Ngoài thời gian điểm danh." not in body and 'name="override_reason"' not in body


# --- Badges ---------------------------------------------------------------------------------------------
def pdf_text(content: bytes, tmp_path) -> tuple[str, int]:
    path = tmp_path / "the.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return text.stdout, pages


def test_badges_pdf_for_the_conference_and_for_one_agency(client, login, tmp_path):
    login("vptt.cantho")
    conference = upcoming()
    participants = list(conference.participants.select_related("person__agency"))
    response = client.get(reverse("training:badges", args=[conference.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(response.content, tmp_path)
    assert pages == -(-len(participants) // 8)
    for p in participants:
        assert p.person.full_name in text
        assert f"{p.code[:5]} {p.code[5:]}" in text
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "export" and entry.object_id == str(conference.pk)

    one = participants[0]
    response = client.get(reverse("training:badges", args=[conference.pk]), {"co-quan": one.person.agency_id})
    text, _pages = pdf_text(response.content, tmp_path)
    mine = [p for p in participants if p.person.agency_id == one.person.agency_id]
    others = [p for p in participants if p.person.agency_id != one.person.agency_id]
    assert all(p.person.full_name in text for p in mine)
    assert not any(f"{p.code[:5]} {p.code[5:]}" in text for p in others)


def test_badges_are_not_for_a_focal_point_nor_offered_to_them(client, login):
    login("daumoi.cantho")
    conference = upcoming()
    assert client.get(reverse("training:badges", args=[conference.pk])).status_code == 404
    badges = reverse("training:badges", args=[conference.pk])
    assert badges not in page(client.get(conference.get_absolute_url()))
    login("vptt.cantho")
    assert badges in page(client.get(conference.get_absolute_url()))


# --- Personal codes by e-mail ---------------------------------------------------------------------------
@pytest.fixture
def smtp(settings):
    peer = SmtpReceiver().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = peer.port
    settings.EMAIL_TIMEOUT = 5
    settings.PCKB_EMAIL_ENABLED = True
    settings.PCKB_WEBHOOK_URL = ""
    yield peer
    peer.stop()


def test_codes_are_emailed_once_and_those_without_email_are_named(
    client, login, smtp, django_capture_on_commit_callbacks
):
    login("vptt.cantho")
    conference = upcoming()
    participants = list(conference.participants.select_related("person").order_by("pk"))
    Person.objects.filter(pk__in=[p.person_id for p in participants]).update(email="")
    with_email = participants[:3]
    for n, p in enumerate(with_email):
        Person.objects.filter(pk=p.person_id).update(email=f"daibieu{n}@example.invalid")
    url = reverse("training:codes_send", args=[conference.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    missing = len(participants) - 3
    assert (
        "Đã gửi mã cá nhân qua thư điện tử cho 3 đại biểu; 0 đại biểu đã được gửi trước đó; "
        f"{missing} đại biểu" in page(response)
    )
    assert participants[3].person.full_name in page(response)
    got = {str(m["To"]): m.get_content() for m in smtp.messages}
    for n, p in enumerate(with_email):
        assert p.code in got[f"daibieu{n}@example.invalid"]
    assert OutboxMessage.objects.filter(event="training.code_sent", status="sent").count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "cho 0 đại biểu; 3 đại biểu đã được gửi trước đó" in page(response)
    assert len(smtp.messages) == 3


def test_codes_are_not_sent_by_a_focal_point(client, login, smtp):
    login("daumoi.cantho")
    assert client.post(reverse("training:codes_send", args=[upcoming().pk])).status_code == 404
    assert not OutboxMessage.objects.exists()


# --- History of the agenda and invitations --------------------------------------------------------------
def test_conference_history_shows_its_sessions_and_invitations(client, login, users):
    user = login("vptt.cantho")
    conference = upcoming()
    session = Session.objects.filter(conference=conference).first()
    core_services.object_update(actor=user, instance=session, changes={"title": "Phiên thảo luận đã đổi tên"})
    invitation = invitation_of(conference, "Sở Y tế")
    core_services.object_update(actor=user, instance=invitation, changes={"quota": 5})
    body = page(client.get(conference.get_absolute_url()))
    assert "Phiên thảo luận đã đổi tên" in body and str(invitation) in body
    # another conference's session does not show
    other = Session.objects.exclude(conference=conference).first()
    core_services.object_update(
        actor=users["admin"] if "admin" in users else user,
        instance=other,
        changes={"title": "Phiên của hội nghị khác"},
    )
    assert "Phiên của hội nghị khác" not in page(client.get(conference.get_absolute_url()))


def test_conference_history_is_bounded_and_paginated(client, login):
    user = login("vptt.cantho")
    conference = upcoming()
    session = Session.objects.filter(conference=conference).first()
    for n in range(60):
        core_services.object_update(actor=user, instance=session, changes={"title": f"Tên phiên lần {n}"})
    response = client.get(conference.get_absolute_url())
    assert "Tên phiên lần 59" in page(response) and "Tên phiên lần 39" not in page(response)
    history_url = reverse("training:conference_history", args=[conference.pk])
    assert history_url in page(response)
    first = client.get(history_url)
    assert len(first.context["page"].object_list) == 50 and "Tên phiên lần 59" in page(first)
    second = client.get(history_url, {"page": 2})
    assert "Tên phiên lần 0" in page(second)
    login("daumoi.cantho")
    assert client.get(history_url).status_code == 404


def test_a_classified_conferences_title_does_not_leave_by_email(
    users, smtp, django_capture_on_commit_callbacks
):
    conference = Conference.objects.get(
        title="Hội nghị tập huấn chuyên sâu xử lý tình huống tại mục tiêu trọng điểm năm 2025"
    )
    participant = conference.participants.order_by("pk").first()
    Person.objects.filter(pk__in=conference.participants.values("person")).update(email="")
    Person.objects.filter(pk=participant.person_id).update(email="mat@example.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.participant_codes_send(actor=users["vptt.cantho"], conference=conference)
    assert report.sent == 1
    (mail,) = smtp.messages
    assert participant.code in mail.get_content()
    assert "chuyên sâu" not in mail["Subject"] and "chuyên sâu" not in mail.get_content()
