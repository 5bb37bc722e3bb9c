"""The committee page as a provincial standing office sees it: Vietnamese, only its own province, no request
leaving the machine, the membership on any date, and a reconstitution (kiện toàn) end to end."""

import datetime as dt

import pytest

from tests.support.demo import CAN_THO_COMMITTEE, HCM_COMMITTEE

pytestmark = pytest.mark.browser

RECONSTITUTED_ON = dt.date(2025, 10, 1)  # pckb/demo/services.py: two Cần Thơ seats change hands


def open_can_tho_committee(page):
    """From any signed-in page: menu → Ban Chỉ đạo → Cần Thơ's committee."""
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("link", name="Ban Chỉ đạo", exact=True).click()
    page.get_by_role("heading", level=1).wait_for()
    page.get_by_role("link", name=CAN_THO_COMMITTEE, exact=True).click()
    page.get_by_role("heading", level=1, name=CAN_THO_COMMITTEE).wait_for()


def official_list(page):
    return page.locator("section.official-list")


def holder_names(page) -> list[str]:
    """The 'Họ và tên' column of the official list, as displayed."""
    return [t.strip() for t in official_list(page).locator("tbody td:nth-child(2)").all_inner_texts()]


def can_tho():
    from pckb.directory.models import Committee

    return Committee.objects.get(name=CAN_THO_COMMITTEE)


def test_committee_page_is_vietnamese_local_and_self_contained(page, page_guard, browser_login):
    from pckb.directory.models import Committee, Person

    browser_login("vptt.cantho")
    open_can_tho_committee(page)

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text().strip() == CAN_THO_COMMITTEE
    composition = official_list(page)
    heading = composition.get_by_role("heading", level=2).inner_text()
    assert heading.startswith("Danh sách thành viên tại ngày "), heading
    roles = composition.locator("tbody td:nth-child(4)").all_inner_texts()
    assert "Trưởng ban" in roles
    assert "Phó Trưởng ban thường trực" in roles
    assert len(holder_names(page)) >= 10

    hcm = Committee.objects.get(name=HCM_COMMITTEE)
    hcm_people = set(Person.objects.filter(agency__unit=hcm.unit).values_list("full_name", flat=True))
    elsewhere = set(Person.objects.exclude(agency__unit=hcm.unit).values_list("full_name", flat=True))
    hcm_only = hcm_people - elsewhere  # a fictional name generator may repeat a name across provinces
    assert len(hcm_only) >= 10, "the demo should give TP.HCM its own officials"
    text = page.locator("body").inner_text()
    html = page.content()
    assert HCM_COMMITTEE not in html
    leaked = sorted(name for name in hcm_only if name in text)
    assert not leaked, f"TP.HCM officials shown to Cần Thơ: {leaked}"

    assert page_guard.requests, "the request recorder saw nothing"
    page_guard.assert_clean()


def test_membership_on_a_past_date_differs_from_today(page, browser_login):
    from pckb.directory.models import Membership

    committee = can_tho()
    newcomers = list(Membership.objects.filter(position__committee=committee, valid_from=RECONSTITUTED_ON)
                     .values_list("person__full_name", flat=True))
    predecessors = list(Membership.objects.filter(position__committee=committee,
                                                  valid_to=RECONSTITUTED_ON - dt.timedelta(days=1))
                        .values_list("person__full_name", flat=True))
    assert len(newcomers) == 2 and len(predecessors) == 2

    browser_login("vptt.cantho")
    open_can_tho_committee(page)
    today_names = holder_names(page)
    today_text = " | ".join(today_names)
    assert all(name in today_text for name in newcomers)
    assert not any(name in today_text for name in predecessors)

    page.get_by_label("Xem tại ngày").fill("20/09/2025")
    official_list(page).get_by_role("button", name="Xem").click()
    official_list(page).get_by_role("heading", name="Danh sách thành viên tại ngày 20/09/2025").wait_for()

    past_names = holder_names(page)
    past_text = " | ".join(past_names)
    assert past_names != today_names
    assert len(past_names) == len(today_names)
    assert all(name in past_text for name in predecessors), past_names
    assert not any(name in past_text for name in newcomers), past_names
    assert page.get_by_label("Xem tại ngày").input_value() == "20/09/2025"


def fill_decision(page, *, number: str, issued: dt.date, effective: dt.date):
    page.get_by_label("Số, ký hiệu quyết định").fill(number)
    page.get_by_label("Ngày ban hành").fill(issued.strftime("%d/%m/%Y"))
    page.get_by_label("Cơ quan ban hành").fill("Ủy ban nhân dân thành phố Cần Thơ")
    page.get_by_label("Có hiệu lực từ ngày").fill(effective.strftime("%d/%m/%Y"))


def test_reconstitution_end_to_end(page, browser_login):
    from pckb.core.choices import Classification
    from pckb.directory.choices import CommitteeRole
    from pckb.directory.models import Decision, Membership, Person, Position
    from pckb.directory.selectors import memberships_on, today

    committee = can_tho()
    on = today()
    # A seat's holder is chosen among the seat's agency's officials: the standing member and the permanent
    # deputy both sit for the city police, which has standing-office staff who hold no seat.
    seat = Position.objects.get(committee=committee, role=CommitteeRole.STANDING_MEMBER)
    other_seat = Position.objects.get(committee=committee, role=CommitteeRole.PERMANENT_DEPUTY)
    assert seat.agency_id == other_seat.agency_id
    current = {m.position_id: m.person for m in memberships_on(committee, on)}
    candidates = list(Person.objects.filter(agency=seat.agency, classification=Classification.NORMAL)
                      .exclude(pk__in=[p.pk for p in current.values()]).order_by("pk"))
    assert len(candidates) >= 2
    newcomer, rejected = candidates[0], candidates[1]
    outgoing = current[seat.pk]

    browser_login("vptt.cantho")
    open_can_tho_committee(page)
    assert outgoing.full_name in " | ".join(holder_names(page))
    assert newcomer.full_name not in page.locator("body").inner_text()

    page.get_by_role("link", name="Kiện toàn", exact=True).click()
    page.get_by_role("heading", level=1, name=f"Kiện toàn: {CAN_THO_COMMITTEE}").wait_for()
    fill_decision(page, number="99/QĐ-UBND-E2E", issued=on, effective=on)
    page.locator(f"#id_seat_{seat.pk}").select_option(str(newcomer.pk))
    page.get_by_role("button", name="Xem trước thay đổi").click()
    # The preview names who leaves and who joins; nothing is written until "Áp dụng".
    preview = page.locator("main").inner_text()
    assert outgoing.full_name in preview and newcomer.full_name in preview
    page.get_by_role("button", name="Áp dụng", exact=True).click()

    page.get_by_role("heading", level=1, name=CAN_THO_COMMITTEE).wait_for()
    assert "Đã kiện toàn theo Quyết định số 99/QĐ-UBND-E2E" in page.locator(".messages").inner_text()
    names = " | ".join(holder_names(page))
    assert newcomer.full_name in names
    assert outgoing.full_name not in names
    row = official_list(page).locator("tbody tr", has_text=seat.post)
    assert newcomer.full_name in row.inner_text()
    assert "99/QĐ-UBND-E2E" in row.inner_text()

    # A bad decision: effective before it was issued. The summary at the top links to the field; nothing
    # is written.
    decisions, memberships = Decision.objects.count(), Membership.objects.count()
    page.get_by_role("link", name="Kiện toàn", exact=True).click()
    fill_decision(page, number="100/QĐ-UBND-E2E", issued=on, effective=on - dt.timedelta(days=3))
    page.locator(f"#id_seat_{other_seat.pk}").select_option(str(rejected.pk))
    page.get_by_role("button", name="Xem trước thay đổi").click()

    summary = page.locator(".error-summary")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    assert "Có lỗi cần sửa" in summary.inner_text()
    form_top = page.locator("main form.form").bounding_box()["y"]
    assert summary.bounding_box()["y"] < form_top, "the error summary should come before the form"
    link = summary.get_by_role(
        "link", name="Có hiệu lực từ ngày: Ngày hiệu lực không được trước ngày ban hành.")
    assert link.get_attribute("href") == "#id_effective"
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_effective"
    assert page.locator("#id_effective").get_attribute("aria-invalid") == "true"
    # What the user typed is kept, so they only correct the date.
    assert page.get_by_label("Số, ký hiệu quyết định").input_value() == "100/QĐ-UBND-E2E"

    assert (Decision.objects.count(), Membership.objects.count()) == (decisions, memberships)
    page.get_by_role("link", name=CAN_THO_COMMITTEE).first.click()
    page.get_by_role("heading", level=1, name=CAN_THO_COMMITTEE).wait_for()
    names = " | ".join(holder_names(page))
    assert newcomer.full_name in names
    assert rejected.full_name not in names
    assert "100/QĐ-UBND-E2E" not in page.locator("body").inner_text()
