"""The incident map in a real browser, with no tile server: the Cần Thơ office opens the demo incident's map
from its page, picks a row of the bomb-threat stand-off table and sees its two safety circles with their
distances, the nearby targets and the table's source; no request leaves the machine, no CSP violation, no
JavaScript error. Screenshot in ``PCKB_SCREENSHOT_DIR`` (default: the test's temporary folder)."""

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_the_incident_map_draws_the_safety_circles_of_the_chosen_row(
    page, browser_login, page_guard, tmp_path
):
    from pckb.response.models import Incident

    incident = Incident.objects.filter(committee__unit__code="P92").order_by("pk").first()
    Incident.objects.filter(pk=incident.pk).update(latitude=10.0341, longitude=105.7852)
    browser_login("vptt.cantho")
    page.goto(incident.get_absolute_url())
    page.get_by_role("link", name="Xem bản đồ sự cố").click()
    page.wait_for_selector("#incident-map[data-rendered]")
    page.wait_for_selector(".map-incident")
    assert page.locator(".map-incident").count() == 1
    assert page.locator(".leaflet-tile").count() == 0  # plain background: no tiles requested
    assert page.locator("path.safety-ring").count() == 0

    page.select_option("#id_bang", "bom:o-to-con")
    page.wait_for_selector("path.safety-ring-preferred")
    assert page.locator("path.safety-ring").count() == 2
    assert page.locator("path.safety-ring-mandatory").count() == 1
    assert page.locator("path.safety-ring-preferred").count() == 1
    rings = page.locator("#incident-map-ring-list").inner_text()
    assert "98 m" in rings and "580 m" in rings
    assert page.locator("#incident-map-rings").is_visible()
    assert "NCTC" in page.locator(".incident-map-source.chosen").inner_text()
    assert page.locator(".map-point").count() >= 1  # the demo's key targets around Ninh Kiều
    folder = Path(os.environ.get("PCKB_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "incident-map.png"), full_page=True)

    page.select_option("#id_bang", "hoa-chat:111-ro-ri")
    page.wait_for_selector("path.safety-ring-isolation")
    assert page.locator("path.safety-ring").count() == 1
    assert "100 m" in page.locator("#incident-map-ring-list").inner_text()
    assert not any("tile" in url for url in page_guard.requests)
