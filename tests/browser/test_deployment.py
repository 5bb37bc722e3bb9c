"""The planner as Cần Thơ's standing office uses it: menu → new plan over the demo targets and team types,
results on the page, and tomorrow's orders downloaded as a Word file with one sheet per team."""

import datetime as dt
import io
import os

import pytest
from docx import Document

pytestmark = pytest.mark.browser


def test_plan_can_tho_and_download_tomorrows_orders(page, browser_login, tmp_path):
    from django.utils import timezone

    from pckb.deployment.models import TeamType

    browser_login("vptt.cantho")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Phương án bố trí"
    ).click()
    page.get_by_role("heading", level=1).wait_for()
    page.goto("/bo-tri-luc-luong/phuong-an/them/")
    page.get_by_role("heading", level=1, name="Lập phương án bố trí lực lượng").wait_for()
    page.select_option("#id_committee", label="Ban Chỉ đạo Phòng, chống khủng bố thành phố Cần Thơ")
    page.fill("#id_title", "Phương án tuần tới của Cần Thơ")
    teams = list(TeamType.objects.filter(committee__unit__code="P92").order_by("pk"))
    for team in teams:
        page.get_by_label(team.name, exact=True).check()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.fill("#id_start_date", tomorrow.strftime("%d/%m/%Y"))
    page.fill("#id_days", "3")
    page.fill("#id_seed", "42")
    page.get_by_role("button", name="Tính và lưu phương án").click()
    page.get_by_role("heading", level=1, name="Phương án tuần tới của Cần Thơ").wait_for()
    body = page.locator("body").inner_text()
    assert "Xác suất bố trí từng mục tiêu" in body
    assert "Dàn đều các tổ" in body and "Cố định tổ ở các mục tiêu rủi ro cao nhất" in body
    page.screenshot(path=str(tmp_path / "run.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="Lệnh ngày mai (DOCX)").click()
    download = info.value
    assert download.suggested_filename.endswith(f"{tomorrow.isoformat()}.docx")
    doc = Document(io.BytesIO(open(download.path(), "rb").read()))
    assert len(doc.sections) == sum(t.count for t in teams)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"Ngày {tomorrow.strftime('%d/%m/%Y')}" in text


def test_plan_tomorrows_patrols_against_two_attacker_types_and_print_the_routes(
    page, browser_login, tmp_path
):
    """Issue 12's Done means: tomorrow's patrols of Cần Thơ's mobile teams over real routes, against two
    kinds of attacker, and each team's route printed for the day."""
    from django.utils import timezone

    from pckb.deployment.models import TeamType

    shots = os.environ.get("PCKB_SCREENSHOTS")
    browser_login("vptt.cantho")
    page.goto("/bo-tri-luc-luong/phuong-an/them/")
    page.get_by_role("link", name="Điền mẫu: nhóm có tổ chức và đối tượng đơn lẻ").click()
    page.get_by_role("heading", level=1, name="Lập phương án bố trí lực lượng").wait_for()
    assert page.input_value("#id_doi-tuong-0-name") == "Nhóm có tổ chức"
    assert page.input_value("#id_doi-tuong-1-name") == "Đối tượng đơn lẻ"
    page.select_option("#id_committee", label="Ban Chỉ đạo Phòng, chống khủng bố thành phố Cần Thơ")
    page.fill("#id_title", "Tuần tra cơ động ngày mai")
    patrol = TeamType.objects.get(committee__unit__code="P92", mobile=True)
    page.get_by_label(patrol.name, exact=True).check()
    page.get_by_label("Phản ứng lượng tử (λ): đối tượng hay sai").check()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.fill("#id_start_date", tomorrow.strftime("%d/%m/%Y"))
    page.fill("#id_days", "1")
    if shots:
        page.screenshot(path=f"{shots}/planner-desktop.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Tính và lưu phương án").click()
    page.get_by_role("heading", level=1, name="Tuần tra cơ động ngày mai").wait_for()
    body = page.locator("body").inner_text()
    assert "Theo loại đối tượng" in body and "Nhóm có tổ chức" in body and "Đối tượng đơn lẻ" in body
    assert f"Lệnh ngày {tomorrow.strftime('%d/%m/%Y')}" in body
    routes = page.locator("ol.route")
    assert routes.count() >= 1 and "07:30–08:30" in routes.first.inner_text()
    if shots:
        page.screenshot(path=f"{shots}/run-desktop.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{shots}/run-phone.png", full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="Lệnh ngày mai (DOCX)").click()
    doc = Document(io.BytesIO(open(info.value.path(), "rb").read()))
    assert len(doc.sections) == patrol.count
    tables = [t for t in doc.tables if t.rows[0].cells[1].text == "Đến – rời"]
    assert tables and tables[0].rows[1].cells[1].text.startswith("07:30 – 08:30")
    if shots:
        with open(f"{shots}/orders.docx", "wb") as out:
            out.write(open(info.value.path(), "rb").read())
