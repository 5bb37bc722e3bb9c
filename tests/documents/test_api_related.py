"""Through the API: a document's recipient agencies, a conclusion's supporting agencies, and a meeting's
attendance (listed, and recorded for the members seated on the meeting's date through the page's service)."""

import pytest

from pckb.directory.models import Position
from pckb.documents.models import Document, MeetingAttendance
from tests.documents.builders import (
    TODAY,
    build_documents,
    committee,
    hcm_police,
    health,
    make_meeting,
    police,
)
from tests.support.api import patch, post
from tests.support.mixins import last_audit

OFFICE = "vptt.cantho"
DOCUMENTS = "/api/v1/documents/documents/"


def new_document(**extra):
    return {
        "committee": committee("P92").pk,
        "kind": "letter",
        "number": "931/BCĐ-THU",
        "date": TODAY.isoformat(),
        "issuer_name": "Ban Chỉ đạo thử nghiệm",
        "subject": "Công văn gửi thử nghiệm",
        **extra,
    }


# --- Recipients -----------------------------------------------------------------------------------------
def test_document_recipients_are_read_created_and_audited(api_client, db):
    office = api_client(OFFICE)
    response = post(office, DOCUMENTS, new_document(recipient_agencies=[health().pk, police().pk]))
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["recipient_agencies"] == sorted([health().pk, police().pk])
    assert last_audit().action == "create"
    assert last_audit().after["recipient_agencies"] == sorted([health().pk, police().pk])
    assert office.get(f"{DOCUMENTS}{pk}").json()["recipient_agencies"] == sorted([health().pk, police().pk])
    response = patch(office, f"{DOCUMENTS}{pk}", {"recipient_agencies": [police().pk]})
    assert response.status_code == 200 and response.json()["recipient_agencies"] == [police().pk]
    assert list(Document.objects.get(pk=pk).recipient_agencies.all()) == [police()]
    entry = last_audit()
    assert entry.action == "update"
    assert entry.before["recipient_agencies"] == sorted([health().pk, police().pk])
    assert entry.after["recipient_agencies"] == [police().pk]


def test_out_of_scope_recipient_is_refused(api_client, db):
    office = api_client(OFFICE)
    before = Document.objects.count()
    response = post(office, DOCUMENTS, new_document(recipient_agencies=[hcm_police().pk]))
    assert response.status_code == 422, response.content
    [message] = response.json()["detail"]["recipient_agencies"]
    assert message.startswith("Cơ quan nhận:") and "Hồ Chí Minh" not in response.content.decode()
    assert Document.objects.count() == before


def test_unseen_recipient_is_withheld_and_kept(api_client, db):
    document = build_documents()["in"]
    document.recipient_agencies.set([health(), hcm_police()])
    office = api_client(OFFICE)
    assert office.get(f"{DOCUMENTS}{document.pk}").json()["recipient_agencies"] == [health().pk]
    listed = office.get(DOCUMENTS, {"q": "Công văn thử nghiệm Cần Thơ"}).json()["items"]
    assert [d["recipient_agencies"] for d in listed] == [[health().pk]]
    response = patch(office, f"{DOCUMENTS}{document.pk}", {"recipient_agencies": []})
    assert response.status_code == 200 and response.json()["recipient_agencies"] == []
    assert list(document.recipient_agencies.all()) == [hcm_police()]


def test_conclusion_supporting_agencies(api_client, db):
    meeting = make_meeting("Cuộc họp kết luận thử nghiệm")
    office = api_client(OFFICE)
    body = {
        "meeting": meeting.pk,
        "number": 1,
        "text": "Kết luận phối hợp thử nghiệm",
        "lead_agency": health().pk,
        "supporting_agencies": [police().pk, health().pk],
        "deadline": TODAY.isoformat(),
    }
    response = post(office, "/api/v1/documents/conclusions/", body)
    assert response.status_code == 201, response.content
    assert response.json()["supporting_agencies"] == [police().pk]  # the lead is never also supporting
    children = office.get(f"/api/v1/documents/meetings/{meeting.pk}/conclusions").json()
    assert children[0]["supporting_agencies"] == [police().pk]
    response = patch(
        office,
        f"/api/v1/documents/conclusions/{children[0]['id']}",
        {"supporting_agencies": [hcm_police().pk]},
    )
    assert response.status_code == 422
    assert response.json()["detail"]["supporting_agencies"][0].startswith("Cơ quan phối hợp:")


# --- Attendance -----------------------------------------------------------------------------------------
def attendance_url(meeting):
    return f"/api/v1/documents/meetings/{meeting.pk}/attendance"


@pytest.fixture
def meeting(db):
    return make_meeting("Cuộc họp điểm danh API thử nghiệm", days=-2)


def seated(users, meeting):
    from pckb.documents.selectors import meeting_seats

    return meeting_seats(users[OFFICE], meeting)


def test_record_and_list_attendance(api_client, users, meeting):
    rows = seated(users, meeting)
    assert len(rows) >= 2, "the Cần Thơ committee has members on that date"
    seats = [{"position": r.position.pk, "status": "present"} for r in rows]
    seats[0]["status"] = "excused"
    office = api_client(OFFICE)
    response = post(office, attendance_url(meeting), {"seats": seats})
    assert response.status_code == 200, response.content
    recorded = {a["position_id"]: a for a in response.json()}
    assert len(recorded) == len(rows)
    first = recorded[rows[0].position.pk]
    assert first["status"] == "excused" and first["membership_id"] == rows[0].membership.pk
    entry = last_audit()
    assert entry.action == "update" and entry.object_id == str(meeting.pk)
    assert entry.after["attendance"][str(rows[0].position.pk)] == "excused"
    listed = office.get(attendance_url(meeting)).json()
    assert {a["position_id"]: a["status"] for a in listed} == {p: a["status"] for p, a in recorded.items()}
    # A second call changes one seat and keeps the others.
    response = post(
        office, attendance_url(meeting), {"seats": [{"position": rows[1].position.pk, "status": "absent"}]}
    )
    assert response.status_code == 200
    statuses = dict(MeetingAttendance.objects.filter(meeting=meeting).values_list("position_id", "status"))
    assert statuses[rows[0].position.pk] == "excused" and statuses[rows[1].position.pk] == "absent"


def test_seat_of_another_committee_is_refused(api_client, meeting):
    other = Position.objects.filter(committee=committee("P79")).first()
    response = post(
        api_client(OFFICE), attendance_url(meeting), {"seats": [{"position": other.pk, "status": "present"}]}
    )
    assert response.status_code == 422, response.content
    assert str(other.pk) in response.json()["detail"]["position"][0]
    assert not MeetingAttendance.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize(
    "body",
    [{"seats": []}, {"seats": [{"position": 1, "status": "asleep"}]}, {"seats": None}, {}],
)
def test_bad_attendance_is_422(api_client, meeting, body):
    response = post(api_client(OFFICE), attendance_url(meeting), body)
    assert response.status_code == 422, response.content
    assert not MeetingAttendance.objects.filter(meeting=meeting).exists()


def test_same_seat_twice_is_refused(api_client, users, meeting):
    position = seated(users, meeting)[0].position.pk
    seats = [{"position": position, "status": "present"}, {"position": position, "status": "absent"}]
    response = post(api_client(OFFICE), attendance_url(meeting), {"seats": seats})
    assert response.status_code == 422
    assert not MeetingAttendance.objects.filter(meeting=meeting).exists()


def test_attendance_outside_scope_or_without_right(api_client, users):
    hcm = make_meeting("Cuộc họp TP.HCM điểm danh thử nghiệm", "P79")
    secret_free = make_meeting("Cuộc họp điểm danh đầu mối thử nghiệm")
    position = seated(users, secret_free)[0].position.pk
    body = {"seats": [{"position": position, "status": "present"}]}
    office = api_client(OFFICE)
    assert office.get(attendance_url(hcm)).status_code == 404
    assert post(office, attendance_url(hcm), body).status_code == 404
    # A focal point reads the meeting but may not record its attendance: the meeting is not theirs to change.
    focal = api_client("daumoi.cantho")
    assert focal.get(attendance_url(secret_free)).status_code == 200
    assert post(focal, attendance_url(secret_free), body).status_code in {403, 404}
    assert not MeetingAttendance.objects.filter(meeting__in=[hcm, secret_free]).exists()
