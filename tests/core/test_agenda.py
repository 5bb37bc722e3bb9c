"""The calendar: a month of events from every module, within the user's scope, and upcoming events on the
start page (not only an .ics file)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.training.test_services import hcm, upcoming


def test_month_view_shows_conferences_in_scope_only(client, login):
    conference = upcoming()
    month = timezone.localtime(conference.start).strftime("%Y-%m")
    login("vptt.cantho")
    body = client.get(reverse("core:agenda"), {"thang": month}).content.decode()
    assert conference.title in body and conference.get_absolute_url() in body
    client.logout()
    login("vptt.hcm")
    body = client.get(reverse("core:agenda"), {"thang": month}).content.decode()
    assert conference.get_absolute_url() not in body


def test_a_month_without_events_says_so(client, login):
    login("vptt.cantho")
    body = client.get(reverse("core:agenda"), {"thang": "2031-02"}).content.decode()
    assert "Tháng này không có sự kiện nào trong phạm vi của bạn." in body
    assert "?thang=2031-01" in body and "?thang=2031-03" in body


def test_bad_or_far_months_are_not_found(client, login):
    login("vptt.cantho")
    for bad in ("2026-13", "abc", "0001-01", "99999-01", "2026"):
        assert client.get(reverse("core:agenda"), {"thang": bad}).status_code == 404, bad


def test_start_page_lists_the_next_30_days(client, login):
    conference = upcoming()
    now = timezone.now()
    type(conference).objects.filter(pk=conference.pk).update(
        start=now + dt.timedelta(days=3), end=now + dt.timedelta(days=3, hours=4)
    )
    past = hcm()
    login("vptt.quocgia")
    body = client.get(reverse("core:home")).content.decode()
    assert conference.title in body and reverse("core:agenda") in body
    assert past.get_absolute_url() not in body.split("upcoming-title", 1)[1].split("</section>", 1)[0]
