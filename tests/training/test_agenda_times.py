"""An agenda item takes a time on its conference's day(s): the form offers the conference's date, and a time
on another day (a slip in the year or the month) is refused in Vietnamese, with nothing saved."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pckb.training.models import Session
from tests.training.test_services import upcoming


def page(response) -> str:
    return response.content.decode()


def day_of(conference) -> str:
    return timezone.localtime(conference.start).strftime("%d/%m/%Y")


def session_data(conference, start: str, end: str) -> dict:
    return {
        "conference": conference.pk,
        "start": start,
        "end": end,
        "kind": "discussion",
        "title": "Giải đáp thắc mắc",
        "external_presenter": "",
    }


def test_a_session_on_another_day_is_refused_with_the_conference_day(client, login):
    login("vptt.cantho")
    conference = upcoming()
    day = day_of(conference)
    wrong_year = (timezone.localtime(conference.start) + dt.timedelta(days=366)).strftime("%d/%m/%Y")
    before = conference.sessions.count()
    response = client.post(
        reverse("training:session_add"),
        session_data(conference, f"{wrong_year} 09:00", f"{wrong_year} 09:30"),
    )
    assert response.status_code == 200
    assert f"Phiên phải diễn ra trong thời gian hội nghị (ngày {day})." in page(response)
    assert conference.sessions.count() == before


def test_a_session_ending_on_the_next_day_is_refused(client, login):
    login("vptt.cantho")
    conference = upcoming()
    day = day_of(conference)
    next_day = (timezone.localtime(conference.start) + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("training:session_add"), session_data(conference, f"{day} 11:00", f"{next_day} 09:00")
    )
    assert response.status_code == 200
    html = page(response)
    assert re.search(r'id="end-error">Phiên phải diễn ra trong thời gian hội nghị', html)


def test_a_session_on_the_day_is_saved_from_typed_or_picked_times(client, login):
    login("vptt.cantho")
    conference = upcoming()
    day = timezone.localtime(conference.start).date()
    before = conference.sessions.count()
    typed = session_data(conference, f"{day:%d/%m/%Y} 11:30", f"{day:%d/%m/%Y} 11:45")
    assert client.post(reverse("training:session_add"), typed).status_code == 302
    picked = session_data(conference, f"{day:%Y-%m-%d}T11:45", f"{day:%Y-%m-%d}T11:55")
    assert client.post(reverse("training:session_add"), picked).status_code == 302
    assert conference.sessions.count() == before + 2


def test_the_model_refuses_it_too(db):
    conference = upcoming()
    start = conference.start + dt.timedelta(days=30)
    session = Session(
        conference=conference, start=start, end=start + dt.timedelta(hours=1), kind="discussion"
    )
    session.title = "Ngoài ngày"
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    assert "Phiên phải diễn ra trong thời gian hội nghị" in str(refused.value.message_dict["start"])


def test_the_new_session_form_offers_the_conference_day(client, login):
    login("vptt.cantho")
    conference = upcoming()
    day = day_of(conference)
    html = page(client.get(reverse("training:session_add") + f"?conference={conference.pk}"))
    start = re.search(r'<input[^>]*name="start"[^>]*>', html).group(0)
    end = re.search(r'<input[^>]*name="end"[^>]*>', html).group(0)
    assert f'value="{day} ' in start and f'value="{day} ' in end
    assert 'data-picker="datetime"' in start
    assert f"Trong thời gian hội nghị ({day})" in html
    # It starts where the agenda stops: after the last item, not over the opening speech.
    last = conference.sessions.order_by("-end").first()
    if last and last.end < conference.end:
        assert f'value="{timezone.localtime(last.end):%d/%m/%Y %H:%M}"' in start
