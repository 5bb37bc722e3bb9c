"""The incident in a real browser: the intake officer opens an incident from the demo report and activates
the bomb-threat plan in one action; the health department's focal point, in its own window, sees only its
agency's task and acknowledges it. Screenshots go to var/screenshots/ (looked at, not compared)."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_open_activate_and_acknowledge(browser_login, page, context):
    from pckb.response.models import ChecklistItem, Incident, Report, ScenarioPlan

    SHOTS.mkdir(parents=True, exist_ok=True)
    report = Report.objects.filter(status="received").order_by("pk").first()
    plan = ScenarioPlan.objects.get(scenario_type="bomb_threat", status="approved")
    browser_login("tiepnhan.cantho")
    page.goto(report.get_absolute_url())
    page.get_by_role("button", name="Mở sự cố").click()
    page.wait_for_load_state()
    incident = Incident.objects.get(reports=report)
    assert page.url.endswith(incident.get_absolute_url())
    page.select_option("#id_plan", str(plan.pk))
    page.get_by_role("button", name="Kích hoạt phương án").click()
    page.wait_for_load_state()
    assert "Đã kích hoạt phương án" in page.content()
    assert (
        page.locator("#incident-checklist tbody tr").count()
        == ChecklistItem.objects.filter(incident=incident).count()
    )
    page.screenshot(path=str(SHOTS / "incident-office.png"), full_page=True)

    # The health department's focal point has no task in this plan: the incident is not theirs.
    other = context.browser.new_context(base_url=context.pages[0].url.split("/ung-pho")[0], locale="vi-VN")
    focal = other.new_page()
    focal.goto("/tai-khoan/dang-nhap/")
    focal.fill("#id_username", "daumoi.cantho")
    from tests.support.demo import DEMO_PASSWORD

    focal.fill("#id_password", DEMO_PASSWORD)
    focal.locator("form.form button[type=submit]").click()
    focal.wait_for_load_state()
    response = focal.goto(incident.get_absolute_url())
    assert response.status == 404
    # The closed demo incident holds a task of the health department: it sees only that one.
    closed = Incident.objects.get(status="closed")
    focal.goto(closed.get_absolute_url())
    rows = focal.locator("#incident-checklist tbody tr")
    assert rows.count() == 1 and "xe cấp cứu" in rows.first.inner_text()
    focal.screenshot(path=str(SHOTS / "incident-focal.png"), full_page=True)
    other.close()
