"""The conference page shows each role only what it may open: the agency focal point sees its own agency's
invitation and nominates for it, never results or downloads; documents appear only when they make sense."""

from __future__ import annotations

from django.urls import reverse

from tests.training.test_services import hau_giang, upcoming


def page(client, conference) -> str:
    return client.get(conference.get_absolute_url()).content.decode()


def test_focal_point_sees_only_its_own_agency_invitation_and_no_results(client, login):
    user = login("daumoi.cantho")
    conference = upcoming()
    body = page(client, conference)
    own = conference.invitations.get(agency=user.person.agency)
    assert reverse("training:nominate", args=[own.pk]) in body
    for other in conference.invitations.exclude(agency=user.person.agency):
        assert reverse("training:nominate", args=[other.pk]) not in body
        assert client.get(reverse("training:nominate", args=[other.pk])).status_code == 404
    assert reverse("training:results", args=[conference.pk]) not in body
    assert "/tai/" not in body  # no download it cannot use
    assert "Chưa có bài kiểm tra" not in body  # it cannot read tests, so it is not told there are none


def test_office_sees_the_steps_and_the_next_one(client, login):
    login("vptt.cantho")
    conference = upcoming()
    conference.invitations.update(sent_on=None)
    body = page(client, conference)
    assert "Tiến độ tổ chức" in body and 'aria-current="step"' in body
    assert "Làm bước này" in body


def test_report_and_certificates_not_offered_before_anyone_attended(client, login):
    login("vptt.cantho")
    conference = upcoming()
    conference.participants.update(checked_in_at=None)
    body = page(client, conference)
    assert "bao-cao.docx" not in body and "chung-nhan.pdf" not in body
    assert "Cấp giấy chứng nhận cho đại biểu đủ điều kiện" not in body


def test_held_conference_offers_its_report(client, login):
    login("vptt.cantho")
    body = page(client, hau_giang())
    assert "bao-cao.docx" in body and "bao-cao.pdf" in body


# --- Training coverage: a period to choose, and an empty period explained ---------------------------------
def test_coverage_default_period_explains_an_empty_result(client, login):
    login("vptt.cantho")
    body = client.get(reverse("training:coverage")).content.decode()
    assert "12 tháng gần nhất" in body
    assert "Trong kỳ này chưa có cán bộ nào được điểm danh" in body


def test_coverage_of_the_year_of_the_conferences_counts_them(client, login):
    login("vptt.cantho")
    conference = hau_giang()
    year = conference.start.year
    attended = conference.participants.filter(checked_in_at__isnull=False).count()
    response = client.get(reverse("training:coverage"), {"ky": "nam", "nam": year})
    body = response.content.decode()
    assert f"đến hết ngày 31/12/{year}" in body
    assert "Trong kỳ này chưa có cán bộ nào được điểm danh" not in body
    assert sum(r.trained_people for r in response.context["rows"]) >= attended > 0
    # The second half of that year (the Hậu Giang conference was in June) is empty again.
    body = client.get(reverse("training:coverage"), {"ky": "6cuoi", "nam": year}).content.decode()
    assert "đến hết ngày 31/12" in body


def test_coverage_refuses_a_year_out_of_range_with_a_message(client, login):
    login("vptt.cantho")
    response = client.get(reverse("training:coverage"), {"ky": "nam", "nam": "1"})
    assert response.status_code == 200
    assert "2000" in response.content.decode()  # the form says the smallest year it takes


def test_no_delete_button_for_a_conference_with_delegates(client, login):
    login("vptt.cantho")
    conference = upcoming()
    assert conference.participants.exists()
    body = page(client, conference)
    assert reverse("training:conference_delete", args=[conference.pk]) not in body
