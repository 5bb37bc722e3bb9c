"""The header's unread counter changes without a reload when a notification is created (Server-Sent Events
over the real ASGI server: uvicorn in a thread of this process, on the test database)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM_ARGS, TIMEOUT_MS, PageGuard  # noqa: F401 (one browser setup)
from tests.live.servers import ThreadServer
from tests.support.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def asgi_page(browser, demo, settings):
    from pckb.live.broker import reset_broker

    settings.PCKB_LIVE_CATCHUP_SECONDS = 60  # what arrives within seconds came through the broker
    reset_broker()
    with ThreadServer() as server:
        context = browser.new_context(
            base_url=server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        guard = PageGuard()
        page = context.new_page()
        page.on("request", guard.on_request)
        page.on("console", guard.on_console)
        page.on("pageerror", guard.on_pageerror)
        yield page
        guard.assert_clean()
        context.close()
    reset_broker()


def test_unread_counter_updates_live_without_reload(asgi_page):
    from pckb.accounts.models import User
    from pckb.notifications.models import Notification
    from pckb.notifications.services import notify

    page = asgi_page
    user = User.objects.get(username="vptt.cantho")
    Notification.objects.filter(recipient=user).update(read_at="2026-01-01T00:00:00Z")

    page.goto("/tai-khoan/dang-nhap/")
    page.fill("#id_username", "vptt.cantho")
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/tai-khoan/dang-nhap/" not in page.url

    link = page.locator("a.notifications-link")
    assert link.locator(".badge-count").count() == 0
    page.locator("[data-live-stream][data-live-state=open]").wait_for(state="attached")
    page.evaluate("window.pckbNotReloaded = true")

    notify(recipients=[user], event="tests.live", title="Có báo cáo mới cần xử lý", webhook=False)
    badge = link.locator(".badge-count")
    expect(badge).to_have_text(re.compile(r"^1"))

    notify(recipients=[user], event="tests.live", title="Thêm một báo cáo", webhook=False)
    expect(badge).to_have_text(re.compile(r"^2"))
    assert page.evaluate("window.pckbNotReloaded") is True, "the page was reloaded"
    # Live updates come from one open stream; nothing polls.
    page.wait_for_timeout(1500)
    fetched = page.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/thong-bao/chua-doc/')).length"
    )
    assert fetched == 2
