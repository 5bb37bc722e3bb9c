"""A guided conference: the page knows which step the conference is at and links the next one only for who
may do it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pckb.training.models import Invitation, Participant
from pckb.training.progress import CURRENT, DONE, conference_steps
from tests.training.test_services import hau_giang, upcoming


def states(steps):
    return {s.key: s.state for s in steps}


def test_upcoming_conference_is_at_the_first_unfinished_step(users):
    conference = upcoming()
    conference.invitations.update(sent_on=None)
    steps = conference_steps(conference, users["vptt.cantho"])
    assert states(steps)["agenda"] == DONE and states(steps)["invite"] == DONE
    assert states(steps)["send"] == CURRENT
    assert sum(s.state == CURRENT for s in steps) == 1
    current = next(s for s in steps if s.state == CURRENT)
    assert current.url and "#invitations" in current.url


def test_when_invitations_are_sent_the_next_step_is_nominations(users):
    conference = upcoming()
    conference.invitations.update(sent_on=timezone.localdate())
    Invitation.objects.filter(conference=conference).update(quota=5)
    step = next(s for s in conference_steps(conference, users["vptt.cantho"]) if s.state == CURRENT)
    assert step.key == "nominate"
    assert f"{conference.invitations.count()} cơ quan chưa cử đủ" in str(step.detail)


def test_report_and_certificates_are_not_offered_before_the_conference_is_held(users):
    conference = upcoming()
    steps = {s.key: s for s in conference_steps(conference, users["vptt.cantho"])}
    assert steps["report"].url is None and steps["certificates"].url is None


def test_held_conference_with_attendance_offers_its_report(users):
    conference = hau_giang()
    steps = {s.key: s for s in conference_steps(conference, users["vptt.cantho"])}
    assert steps["checkin"].state == DONE
    assert steps["report"].url is not None


def test_a_reader_sees_the_steps_but_no_link_to_do_them(users):
    conference = upcoming()
    conference.invitations.update(sent_on=None)
    now = timezone.now()
    type(conference).objects.filter(pk=conference.pk).update(start=now - dt.timedelta(hours=1))
    Participant.objects.filter(conference=conference).update(checked_in_at=None)
    for step in conference_steps(conference, users["lanhdao.cantho"]):
        if step.key != "nominate":
            assert step.url is None, step.key
