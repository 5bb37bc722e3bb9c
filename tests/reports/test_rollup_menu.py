"""The national roll-up ("Tổng hợp toàn quốc") is a page of the nation: its rows are the provinces below the
national committee. A provincial office neither sees it in the menu nor opens it (404, not an empty roll-up);
the national office does both. The menu reads the item's own condition (``MenuItem.visible``)."""

from django.urls import reverse

from pckb.core.navigation import menu_for

ROLLUP = "reports:rollup"


def menu_urls(user) -> set[str]:
    return {item["url_name"] for group in menu_for(user) for item in group["items"]}


def test_provincial_office_has_no_rollup_in_its_menu_and_the_page_is_404(client, login):
    user = login("vptt.cantho")
    urls = menu_urls(user)
    assert ROLLUP not in urls
    assert "reports:periodicreport_list" in urls  # only the roll-up is held back, not the module
    home = client.get("/").content.decode()
    assert reverse(ROLLUP) not in home and "Tổng hợp toàn quốc" not in home
    assert client.get(reverse(ROLLUP)).status_code == 404
    assert client.get(reverse(ROLLUP), {"period": "half_year:2026-01-01:2026-06-30"}).status_code == 404


def test_national_office_sees_the_rollup_in_its_menu_and_opens_it(client, login):
    user = login("vptt.quocgia")
    assert ROLLUP in menu_urls(user)
    home = client.get("/").content.decode()
    assert f'href="{reverse(ROLLUP)}"' in home
    page = client.get(reverse(ROLLUP))
    assert page.status_code == 200
    assert "Thành phố Cần Thơ" in page.content.decode()


def test_roles_without_reports_see_no_rollup_whatever_their_scope(users):
    # A focal point reads no periodic report: the item's own condition does not widen the model check.
    assert ROLLUP not in menu_urls(users["daumoi.cantho"])
    assert ROLLUP not in menu_urls(users["quantri"])
