"""axe-core on the pages people use every day: no serious or critical violation."""

import pytest

from tests.support.demo import CAN_THO_COMMITTEE

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


class AxeAudit:
    """Runs axe on each page visited and keeps every blocking violation, so one run reports all pages."""

    def __init__(self, axe, page):
        self.axe, self.page = axe, page
        self.checked: list[str] = []
        self.problems: list[str] = []

    def visit(self, url: str, label: str):
        response = self.page.goto(url)
        assert response is not None and response.ok, f"{label}: {url} answered {response and response.status}"
        self.check(label)

    def check(self, label: str):
        self.page.wait_for_load_state("load")
        results = self.axe.run(self.page)
        self.checked.append(label)
        for violation in results.response["violations"]:
            if violation.get("impact") not in BLOCKING:
                continue
            nodes = "\n".join(
                f"      {' '.join(node['target']) if isinstance(node['target'], list) else node['target']}: "
                f"{node.get('failureSummary', '').replace(chr(10), ' ')}\n        {node['html'][:200]}"
                for node in violation["nodes"][:10]
            )
            self.problems.append(
                f"{label} ({self.page.url}): [{violation['impact']}] {violation['id']} — "
                f"{violation['help']}\n    {violation['helpUrl']}\n{nodes}"
            )

    def assert_clean(self, expected_pages: int):
        assert len(self.checked) == expected_pages, self.checked
        assert not self.problems, "axe found serious/critical violations:\n" + "\n".join(self.problems)


def test_everyday_pages_have_no_serious_accessibility_violation(page, axe, browser_login):
    from pckb.directory.models import Committee, Person

    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    person = Person.objects.filter(memberships__position__committee=committee).order_by("pk").first()
    audit = AxeAudit(axe, page)

    audit.visit("/tai-khoan/dang-nhap/", "login page")
    browser_login("vptt.cantho")
    audit.visit("/", "start page")
    audit.visit("/to-chuc/ban-chi-dao/", "committee list")
    audit.visit(committee.get_absolute_url(), "committee detail")
    assert page.get_by_role("heading", level=1).inner_text().strip() == CAN_THO_COMMITTEE
    surname = person.full_name.split()[0]
    audit.visit(f"/to-chuc/can-bo/?q={surname}", "person list with a search")
    assert surname in page.locator("#object-table tbody").inner_text()
    audit.visit(person.get_absolute_url(), "person detail")
    assert person.full_name in page.get_by_role("heading", level=1).inner_text()
    audit.visit(committee.standing_agency.get_absolute_url(), "agency detail")
    response = page.goto(f"/to-chuc/can-bo/{person.pk}/sua/")
    assert response is not None and response.ok, f"person edit form answered {response and response.status}"
    page.locator("#id_full_name").fill("")
    page.locator("#id_email").fill("not-an-email")
    page.locator("main form.form button[type=submit]").first.click()
    page.locator(".error-summary").wait_for()
    audit.check("edit form with validation errors")
    audit.visit("/to-chuc/can-bo/nhap/", "import page")
    audit.visit("/nhat-ky/", "audit log list")
    audit.assert_clean(expected_pages=10)


def test_user_administration_has_no_serious_accessibility_violation(page, axe, browser_login):
    audit = AxeAudit(axe, page)
    browser_login("quantri")
    audit.visit("/tai-khoan/nguoi-dung/", "user administration list")
    assert page.get_by_text("vptt.cantho").count() >= 1
    audit.assert_clean(expected_pages=1)
