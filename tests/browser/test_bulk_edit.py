"""Bulk edit in a real browser: tick every row with the header box, choose the field and the value, see the
preview, apply; the page shows what changed."""

import pytest

pytestmark = pytest.mark.browser

SCREENSHOTS = "var/screenshots"


def test_select_all_then_bulk_edit_with_preview(page, browser_login, live_server):
    from pathlib import Path

    from pckb.directory.models import Agency, Person

    police = Agency.objects.get(name="Công an thành phố Cần Thơ")
    for i in range(3):
        Person.objects.create(full_name=f"Thử Trình Duyệt {i}", title="Cán bộ", agency=police)
    browser_login("vptt.cantho")
    page.goto(f"{live_server.url}/to-chuc/can-bo/?q=thu+trinh+duyet")
    select_all = page.get_by_label("Chọn tất cả các dòng trên trang này")
    assert select_all.is_visible(), "the header box is shown where the script runs"
    select_all.check()
    rows = page.locator('table input[name="pk"]')
    assert rows.count() == 3
    assert all(rows.nth(i).is_checked() for i in range(3))
    rows.nth(0).uncheck()
    assert page.evaluate("document.getElementById('select-all').indeterminate")
    select_all.check()

    page.get_by_role("button", name="Sửa hàng loạt").click()
    page.get_by_label("Trường cần sửa").select_option("title")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Chức vụ").fill("Chuyên viên chính")
    page.get_by_role("button", name="Xem trước").click()
    page.get_by_role("heading", name="Xem trước thay đổi").wait_for()
    assert page.locator("table tbody tr").count() == 3
    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=f"{SCREENSHOTS}/bulk-edit-preview.png", full_page=True)
    assert (
        Person.objects.filter(full_name__startswith="Thử Trình Duyệt", title="Chuyên viên chính").count() == 0
    )

    page.get_by_role("button", name="Áp dụng cho 3 mục").click()
    page.get_by_text("Đã sửa chức vụ của 3 cán bộ.").wait_for()
    assert (
        Person.objects.filter(full_name__startswith="Thử Trình Duyệt", title="Chuyên viên chính").count() == 3
    )
