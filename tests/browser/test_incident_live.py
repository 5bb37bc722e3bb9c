"""Issue 10's two windows: the Cần Thơ intake officer activates a plan on an incident; the health
department's focal point, in another browser, sees its own checklist and acknowledges; the officer's page
shows the acknowledgement without a reload (Server-Sent Events over the real ASGI server). TP.HCM gets a
404."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, PageGuard
from tests.live.servers import ThreadServer
from tests.support.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _window(browser, url, username):
    context = browser.new_context(base_url=url, locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    guard = PageGuard()
    page = context.new_page()
    page.on("request", guard.on_request)
    page.on("console", guard.on_console)
    page.on("pageerror", guard.on_pageerror)
    page.goto("/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/tai-khoan/dang-nhap/" not in page.url
    return context, page, guard


def test_two_windows_follow_one_incident_live(browser, demo, settings):
    from pckb.live.broker import reset_broker
    from tests.response.test_incident import approved_plan, make_incident

    settings.PCKB_LIVE_CATCHUP_SECONDS = 60  # what arrives within seconds came through the broker
    reset_broker()
    incident = make_incident("Sự cố thử hai cửa sổ", "P92")
    plan = approved_plan("Phương án thử hai cửa sổ")
    with ThreadServer() as server:
        ctx_a, officer, guard_a = _window(browser, server.url, "tiepnhan.cantho")
        officer.goto(incident.get_absolute_url())
        officer.get_by_label("Phương án đã phê duyệt").select_option(label=str(plan))
        officer.get_by_role("button", name="Kích hoạt phương án").click()
        officer.wait_for_load_state()
        checklist = officer.locator("#incident-checklist")
        expect(checklist).to_contain_text("Chuẩn bị xe cứu thương thử")
        officer.locator("[data-live-stream*='/truc-tiep/response/incident/'][data-live-state=open]").wait_for(
            state="attached"
        )
        officer.evaluate("window.pckbNotReloaded = true")

        ctx_b, focal, guard_b = _window(browser, server.url, "daumoi.cantho")
        focal.goto(incident.get_absolute_url())
        mine = focal.locator("#incident-checklist")
        expect(mine).to_contain_text("Chuẩn bị xe cứu thương thử")
        expect(mine).not_to_contain_text("Xác minh tin báo thử")  # the police's item is not the health's
        focal.get_by_role("button", name="Xác nhận đã nhận").click()
        focal.wait_for_load_state()

        row = officer.locator("#incident-checklist tr", has_text="Chuẩn bị xe cứu thương thử")
        expect(row).to_contain_text("Đã nhận, đang làm")
        assert officer.evaluate("window.pckbNotReloaded") is True

        ctx_c, outsider, guard_c = _window(browser, server.url, "vptt.hcm")
        response = outsider.goto(incident.get_absolute_url())
        assert response.status == 404
        for guard in (guard_a, guard_b):
            guard.assert_clean()
        for context in (ctx_a, ctx_b, ctx_c):
            context.close()
    reset_broker()
