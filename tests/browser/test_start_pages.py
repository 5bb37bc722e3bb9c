"""Each role's start page in real Chromium: what needs doing is there (the focal point is told what its
agency still owes), every link it shows opens (no 403 or 404), and axe finds no serious violation."""

import pytest

from tests.browser.conftest import sign_out
from tests.browser.test_accessibility import AxeAudit, axe  # noqa: F401 (fixture)
from tests.support.demo import ROLES

pytestmark = pytest.mark.browser


def start_page_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    # A fragment is a place on its page, not another page: the page is what must open.
    return sorted({h.split("#", 1)[0] for h in hrefs if h.startswith("/") and not h.startswith("/static/")})


def test_every_role_start_page_links_open_and_say_what_to_do(page, axe, browser_login):  # noqa: F811
    audit = AxeAudit(axe, page)
    refused = []
    roles = [r for r in ROLES if r != "quantri"]
    for username in roles:
        if page.get_by_role("button", name="Đăng xuất").count():
            sign_out(page)
        browser_login(username)
        audit.visit("/", f"start page of {username}")
        assert page.get_by_role("heading", name="Việc cần làm").is_visible()
        if username == "daumoi.cantho":
            todo = page.locator("section.todo").inner_text()
            assert "còn thiếu" in todo and "đại biểu" in todo, todo
        for href in start_page_links(page):
            response = page.goto(href)
            if response is None or response.status in (403, 404):
                refused.append((username, href, response and response.status))
        page.goto("/")
    assert not refused, f"links shown on start pages that are refused: {refused}"
    audit.assert_clean(expected_pages=len(roles))
