"""The periodic report in real Chromium: Cần Thơ's standing office drafts its annual report from the schedule,
writes the narrative and sends it; the national office sees it in the roll-up, opens it and accepts it."""

import os

import pytest

from tests.browser.conftest import sign_out
from tests.browser.test_accessibility import AxeAudit, axe  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("PCKB_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_report_drafted_sent_and_accepted(page, axe, browser_login):  # noqa: F811
    audit = AxeAudit(axe, page)
    browser_login("vptt.cantho")
    audit.visit("/bao-cao/bang-dieu-khien/", "dashboard")
    shot(page, "dashboard")
    page.get_by_role("link", name="Báo cáo tổng kết năm").first.click()
    page.get_by_role("link", name="Lập báo cáo").click()
    assert "Báo cáo tổng kết năm" in page.input_value("#id_title")
    page.fill("#id_results", "Hoàn thành kế hoạch tuyên truyền tại các phường trung tâm.")
    page.fill("#id_recommendations", "Đề nghị bổ sung kinh phí tập huấn cấp xã.")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("Số liệu tổng hợp từ dữ liệu").is_visible()
    audit.check("report draft")
    page.get_by_role("button", name="Gửi báo cáo lên cấp trên").click()
    page.wait_for_load_state()
    assert page.get_by_text("Số liệu đã chốt khi gửi").is_visible()
    assert page.get_by_role("button", name="Gửi báo cáo lên cấp trên").count() == 0
    shot(page, "report_sent")
    sign_out(page)
    browser_login("vptt.quocgia")
    audit.visit("/bao-cao/tong-hop/", "roll-up")
    assert page.get_by_text("địa phương đã gửi báo cáo").is_visible()
    shot(page, "rollup")
    annual = page.locator("#id_period option", has_text="tổng kết năm").first.get_attribute("value")
    page.select_option("#id_period", value=annual)
    page.get_by_role("button", name="Xem").click()
    page.wait_for_load_state()
    page.locator("table a", has_text="Cần Thơ").first.click()
    page.get_by_role("button", name="Tiếp nhận").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã tiếp nhận báo cáo").is_visible()
    audit.assert_clean(expected_pages=3)
