"""The map in a real browser with no tile server: the Cần Thơ office sees its demo targets (clusters and
points over a plain background with unit names), a popup links to the record, the colour toggle switches the
legend, no request leaves the machine and no CSP violation occurs; it fits a phone. Screenshots are written
to ``PCKB_SCREENSHOT_DIR`` (default: the test's temporary folder)."""

import os
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("PCKB_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_map(page):
    start = time.perf_counter()
    page.goto("/bao-ve/ban-do/")
    page.wait_for_selector("#map[data-rendered]")
    page.wait_for_function("document.querySelectorAll('.map-point, .map-cluster').length > 0")
    return time.perf_counter() - start


def test_the_map_shows_the_demo_targets_without_a_tile_server(page, browser_login, page_guard, tmp_path):
    browser_login("vptt.cantho")
    open_map(page)
    page.wait_for_timeout(600)  # the second, bounded load after fitting the view
    assert page.locator(".leaflet-tile").count() == 0  # plain background: no tiles requested
    assert page.locator(".map-cluster, .map-point").count() >= 1
    assert page.locator(".map-label-text").count() >= 1  # unit names written on the background
    assert "Hồ Chí Minh" not in page.locator("#map-status").inner_text()
    page.screenshot(path=str(shots(tmp_path) / "map-desktop.png"), full_page=True)

    # Zoom into Ninh Kiều: the targets appear one by one; a popup links to the record.
    page.goto("/bao-ve/ban-do/?q=Ninh+Kiều")
    page.wait_for_selector("#map[data-rendered]")
    page.wait_for_function("document.querySelectorAll('.map-point').length > 0")
    page.locator(".leaflet-marker-icon:has(.map-point)").first.click()
    link = page.locator(".map-popup a").first
    link.wait_for()
    href = link.get_attribute("href")
    assert href.startswith("/bao-ve/muc-tieu/")

    # Colour by risk level: the legend follows, without reloading.
    page.select_option("#id_mau", "risk")
    assert page.locator(".legend-risk").is_visible()
    assert not page.locator(".legend-category").is_visible()
    assert page.locator(".map-point[class*='risk-']").count() >= 1

    link.click()
    page.wait_for_url(f"**{href}")
    assert not any("tile" in url for url in page_guard.requests)


def test_the_map_fits_a_phone(page, browser_login, tmp_path):
    page.set_viewport_size(PHONE)
    browser_login("xa.ninhkieu")
    open_map(page)
    page.wait_for_timeout(400)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"page scrolls sideways: {width}px"
    box = page.locator("#map").bounding_box()
    assert box["width"] >= PHONE["width"] - 40 and box["height"] >= 300
    assert box["y"] < PHONE["height"] / 2, "on a phone the map comes before the filters"
    page.screenshot(path=str(shots(tmp_path) / "map-phone.png"), full_page=False)


def test_the_map_page_has_no_serious_accessibility_violation(page, browser_login):
    from axe_playwright_python.sync_playwright import Axe

    browser_login("vptt.cantho")
    open_map(page)
    page.wait_for_timeout(600)
    results = Axe().run(page)
    blocking = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert not blocking, blocking
