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
    from pckb.directory.models import Agency, Committee, Person

    committee = Committee.objects.get(name=CAN_THO_COMMITTEE)
    person = Person.objects.filter(memberships__position__committee=committee).order_by("pk").first()
    agency = committee.standing_agency
    audit = AxeAudit(axe, page)

    page.goto("/tai-khoan/dang-nhap/")
    audit.check("login page")
    browser_login("vptt.cantho")
    page.goto("/")
    audit.check("start page")
    page.goto("/to-chuc/ban-chi-dao/")
    audit.check("committee list")
    page.goto(committee.get_absolute_url())
    page.get_by_role("heading", level=1, name=CAN_THO_COMMITTEE).wait_for()
    audit.check("committee detail")
    surname = person.full_name.split()[0]
    page.goto(f"/to-chuc/can-bo/?q={surname}")
    assert page.locator("#object-table tbody tr").count() >= 1
    audit.check("person list with a search")
    page.goto(person.get_absolute_url())
    page.get_by_role("heading", level=1, name=person.full_name).wait_for()
    audit.check("person detail")
    page.goto(Agency.objects.get(pk=agency.pk).get_absolute_url())
    audit.check("agency detail")
    page.goto(f"/to-chuc/can-bo/{person.pk}/sua/")
    page.locator("#id_full_name").fill("")
    page.locator("#id_email").fill("not-an-email")
    page.locator("main form.form button[type=submit]").first.click()
    page.locator(".error-summary").wait_for()
    audit.check("edit form with validation errors")
    page.goto("/to-chuc/can-bo/nhap/")
    audit.check("import page")
    page.goto("/nhat-ky/")
    audit.check("audit log list")
    audit.assert_clean(expected_pages=10)


def test_user_administration_has_no_serious_accessibility_violation(page, axe, browser_login):
    audit = AxeAudit(axe, page)
    browser_login("quantri")
    page.goto("/tai-khoan/nguoi-dung/")
    assert page.get_by_role("link", name="vptt.cantho").count() + page.get_by_text("vptt.cantho").count() >= 1
    audit.check("user administration list")
    audit.assert_clean(expected_pages=1)
