"""The check-in desk on a full page load shows the attendance board once (it was drawn twice: a 3,174 px page
on a phone); after a check-in by htmx the board is refreshed out of band, once."""

from django.urls import reverse

from tests.training.test_views import HX, page, upcoming


def test_full_page_draws_the_attendance_board_once(client, login):
    login("vptt.cantho")
    conference = upcoming()
    body = page(client.get(reverse("training:checkin", args=[conference.pk])))
    assert body.count("Số đại biểu có mặt theo cơ quan") == 1
    assert body.count('<th scope="col">Có mặt</th>') == 1
    assert "hx-swap-oob" not in body


def test_checkin_by_htmx_refreshes_the_board_once(client, login):
    login("vptt.cantho")
    conference = upcoming()
    participant = conference.participants.order_by("pk").first()
    body = page(
        client.post(reverse("training:checkin", args=[conference.pk]), {"code": participant.code}, headers=HX)
    )
    assert body.count("hx-swap-oob") == 1
    assert body.count('<th scope="col">Có mặt</th>') == 1
