"""Real-browser tests: Chromium (the Debian package, never a downloaded one) driven by Playwright against
pytest-django's ``live_server``.

``live_server`` needs ``transactional_db``, and the test database is flushed after each transactional test,
so every test loads the demo organisation again (``demo``). Each test gets a fresh browser context and
page; ``page_guard`` records what a user would never want to happen quietly: requests leaving the machine,
CSP violations and JavaScript errors.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from tests.support.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    browser_items = [item for item in items if str(item.fspath).startswith(here)]
    if not browser_items or (shutil.which(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return
    if os.environ.get("CI"):
        return  # the ``browser`` fixture fails loudly in CI
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium); "
        "browser tests are skipped outside CI"
    )
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}; CI must install the Debian 'chromium' package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo(transactional_db, tmp_path):
    """The demo organisation, loaded into the (flushed) test database for this test."""
    from pckb.demo.services import demo_load

    demo_load(password=DEMO_PASSWORD, accounts_file=tmp_path / "demo-accounts.txt")


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    host = (parts.hostname or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class PageGuard:
    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    js_errors: list[str] = field(default_factory=list)

    def on_request(self, request):
        self.requests.append(request.url)
        if not is_loopback(request.url):
            self.external.append(request.url)

    def on_console(self, message):
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def on_pageerror(self, error):
        self.js_errors.append(str(error))

    def assert_clean(self):
        assert not self.external, f"requests left the machine: {self.external}"
        assert not self.csp, f"Content Security Policy violations: {self.csp}"
        assert not self.js_errors, f"JavaScript errors: {self.js_errors}"


@pytest.fixture
def context(browser, demo, live_server):
    ctx = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page_guard():
    return PageGuard()


@pytest.fixture
def page(context, page_guard):
    """A page whose external requests, CSP violations and JS errors are recorded (and checked at the end)."""
    pg = context.new_page()
    pg.on("request", page_guard.on_request)
    pg.on("console", page_guard.on_console)
    pg.on("pageerror", page_guard.on_pageerror)
    yield pg
    page_guard.assert_clean()


def fmt_d(day) -> str:
    """A date as the forms take it (dd/mm/yyyy)."""
    return day.strftime("%d/%m/%Y")


def save(page):
    """Submit the page's form and wait for the answer (a new document); the form's errors fail the test."""
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").first.click()
    page.wait_for_load_state()
    errors = page.locator(".error-summary")
    assert errors.count() == 0, errors.inner_text()


def signed_in(browser, live_server, page_guard, username: str, *, timeout_ms=TIMEOUT_MS, viewport=None):
    """A new browser context (no cookies shared with other users' pages) signed in as ``username`` through the
    login form, its page watched by ``page_guard``. Returns (context, page)."""
    ctx = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport=viewport or {"width": 1280, "height": 900}
    )
    ctx.set_default_timeout(timeout_ms)
    pg = ctx.new_page()
    pg.on("request", page_guard.on_request)
    pg.on("console", page_guard.on_console)
    pg.on("pageerror", page_guard.on_pageerror)
    pg.goto("/tai-khoan/dang-nhap/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", DEMO_PASSWORD)
    with pg.expect_navigation():
        pg.locator("form.form button[type=submit]").click()
    pg.wait_for_load_state()
    assert "/tai-khoan/dang-nhap/" not in pg.url, f"login as {username} failed"
    return ctx, pg


def sign_out(page):
    """Sign out through the page's own button: the server ends the session, so a late answer of the page's
    live stream (which clearing cookies raced with on the slower production path) cannot sign the browser back
    in. Ends on the sign-in page."""
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").first.click()
    page.wait_for_load_state()
    assert page.locator("#id_username").is_visible(), f"still signed in after signing out: {page.url}"


@pytest.fixture
def browser_login(page):
    """``browser_login("vptt.cantho")`` signs in through the real login form."""

    def _login(username: str, password: str = DEMO_PASSWORD):
        page.goto("/tai-khoan/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("form.form button[type=submit]").click()
        page.wait_for_load_state()
        assert "/tai-khoan/dang-nhap/" not in page.url, f"login as {username} failed: still on {page.url}"
        return page

    return _login
