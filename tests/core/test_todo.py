"""The start page says what needs doing ("Việc cần làm"), per role and scope, from each module's providers."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from pckb.directory.models import Membership
from pckb.training.models import Invitation
from tests.support.demo import CAN_THO_COMMITTEE, ROLES
from tests.training.test_services import upcoming


def todo_panel(client) -> str:
    body = client.get(reverse("core:home")).content.decode()
    match = re.search(r'<section class="panel todo".*?</section>', body, re.S)
    assert match, "the start page has no to-do panel"
    return match.group(0)


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_focal_point_sees_what_its_own_agency_still_owes_and_can_act_on_it(client, login):
    user = login("daumoi.cantho")
    conference = upcoming()
    invitation = conference.invitations.get(agency=user.person.agency)
    nominated = invitation.participants.count()
    Invitation.objects.filter(pk=invitation.pk).update(quota=nominated + 2)
    panel = todo_panel(client)
    assert f"{invitation.agency} còn thiếu 2 đại biểu" in panel
    nominate = reverse("training:nominate", args=[invitation.pk])
    assert nominate in links(panel)
    assert client.get(nominate).status_code == 200
    # Other agencies' shortfalls are not the focal point's to do.
    others = conference.invitations.exclude(agency=user.person.agency).select_related("agency")
    for other in others:
        assert f"{other.agency} còn thiếu" not in panel


def test_office_sees_unsent_invitations_until_they_are_recorded_as_sent(client, login):
    login("vptt.cantho")
    conference = upcoming()
    conference.invitations.update(sent_on=None)
    n = conference.invitations.count()
    assert f"{conference.title}: {n} giấy mời chưa gửi" in todo_panel(client)
    conference.invitations.update(sent_on=timezone.localdate())
    assert "giấy mời chưa gửi" not in todo_panel(client)


def test_open_test_is_listed_for_organisers_not_for_focal_points(client, login):
    conference = upcoming()
    test = conference.tests.first()
    now = timezone.now()
    type(test).objects.filter(pk=test.pk).update(
        opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(hours=2)
    )
    login("vptt.cantho")
    assert "đang mở, đóng lúc" in todo_panel(client)
    client.logout()
    login("daumoi.cantho")
    assert "đang mở, đóng lúc" not in todo_panel(client)


def test_todays_conference_shows_its_live_checkin_count(client, login):
    conference = upcoming()
    now = timezone.now()
    type(conference).objects.filter(pk=conference.pk).update(
        start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=3)
    )
    participant = conference.participants.order_by("pk").first()
    registered = conference.participants.count()
    login("vptt.cantho")
    client.post(reverse("training:checkin", args=[conference.pk]), {"code": participant.code})
    panel = todo_panel(client)
    assert f"Hôm nay: {conference.title} — 1/{registered} đại biểu đã điểm danh" in panel
    assert reverse("training:checkin", args=[conference.pk]) in links(panel)


def test_a_vacant_seat_is_a_to_do_for_the_committee_in_scope_only(client, login):
    membership = (
        Membership.objects.filter(position__committee__name=CAN_THO_COMMITTEE, valid_to__isnull=True)
        .select_related("position__committee")
        .first()
    )
    Membership.objects.filter(pk=membership.pk).update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    login("vptt.cantho")
    assert f"{CAN_THO_COMMITTEE}: 1 vị trí chưa có người đảm nhiệm" in todo_panel(client)
    client.logout()
    login("vptt.hcm")
    assert CAN_THO_COMMITTEE not in todo_panel(client)


def test_recent_changes_are_by_people_not_the_demo_loader(client, login):
    login("vptt.cantho")
    body = client.get(reverse("core:home")).content.decode()
    assert "he-thong" not in body


def test_every_to_do_link_opens_for_the_role_it_is_shown_to(client, users):
    conference = upcoming()
    conference.invitations.update(sent_on=None)
    for username in ROLES:
        if username == "quantri":
            continue
        client.force_login(users[username])
        for url in links(todo_panel(client)):
            assert client.get(url).status_code == 200, (username, url)
        client.logout()
