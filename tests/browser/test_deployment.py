"""The planner as Cần Thơ's standing office uses it: menu → new plan over the demo targets and team types,
results on the page, and tomorrow's orders downloaded as a Word file with one sheet per team."""

import datetime as dt
import io

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
