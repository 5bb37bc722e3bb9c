"""The meeting attendance endpoint (``GET``/``POST /api/v1/documents/meetings/{id}/attendance``) reads and
records a meeting's attendance in a fixed number of queries, whatever the number of seats: a committee of 40
members must not cost four times one of 10 (pins like ``tests/core/query_counts.json``)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pckb.directory.choices import CommitteeRole
from pckb.directory.models import Membership, Person, Position
from pckb.documents.models import MeetingAttendance
from tests.documents.builders import committee, make_meeting, police

OFFICE = "vptt.cantho"
#: Queries of one request (token, meeting, seats, …), at any number of seats.
PINNED = {"get": 3, "post_new": 19, "post_again": 19}


def attendance_url(meeting):
    return f"/api/v1/documents/meetings/{meeting.pk}/attendance"


def add_seats(n: int, tag: str) -> None:
    """``n`` more member seats of Cần Thơ's committee, each held since 2020 by a Thường official."""
    ct, agency = committee("P92"), police()
    decision = Membership.objects.filter(position__committee=ct, decision__classification=0).first().decision
    for i in range(n):
        position = Position.objects.create(
            committee=ct, role=CommitteeRole.MEMBER, agency=agency, order=500 + i, post=f"Ủy viên {tag}{i}"
        )
        person = Person.objects.create(
            full_name=f"Nguyễn Văn Dự {tag}{i}", title="Chuyên viên", agency=agency
        )
        Membership.objects.create(
            position=position, person=person, decision=decision, valid_from=dt.date(2020, 1, 1)
        )


def measure(office, meeting, users) -> tuple[dict, int]:
    from pckb.documents.selectors import meeting_seats

    seats = [{"position": r.position.pk, "status": "present"} for r in meeting_seats(users[OFFICE], meeting)]
    counts = {}
    for name, body in (("post_new", seats), ("post_again", [{**s, "status": "absent"} for s in seats])):
        with CaptureQueriesContext(connection) as ctx:
            response = office.post(attendance_url(meeting), {"seats": body}, content_type="application/json")
        assert response.status_code == 200, response.content
        assert len(response.json()) == len(seats)
        counts[name] = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        response = office.get(attendance_url(meeting))
    assert response.status_code == 200 and len(response.json()) == len(seats)
    assert {a["status"] for a in response.json()} == {"absent"}
    counts["get"] = len(ctx.captured_queries)
    assert MeetingAttendance.objects.filter(meeting=meeting).count() == len(seats)
    return counts, len(seats)


@pytest.mark.django_db
def test_attendance_queries_are_pinned_and_do_not_grow_with_the_seats(api_client, users):
    office = api_client(OFFICE)
    warm = make_meeting("Cuộc họp khởi động đếm truy vấn", days=-5)
    office.get(attendance_url(warm))  # first use: the token, content types
    add_seats(5, "a")
    small, n_small = measure(office, make_meeting("Cuộc họp đếm truy vấn nhỏ", days=-2), users)
    add_seats(30, "b")
    large, n_large = measure(office, make_meeting("Cuộc họp đếm truy vấn lớn", days=-1), users)
    assert n_large >= n_small + 30
    assert large == small, (n_small, small, n_large, large)
    assert small == PINNED, f"update PINNED only on purpose: {small}"
