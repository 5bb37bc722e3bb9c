"""What a phone user and an English-speaking user notice: the page fits the screen, the menu opens, and the
language selector switches the whole page."""

import pytest

from tests.support.demo import CAN_THO_COMMITTEE

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_committee_page_fits_a_phone_and_the_menu_opens(page, browser_login):
    from pckb.directory.models import Committee

    page.set_viewport_size(PHONE)
    browser_login("vptt.cantho")
    page.goto(Committee.objects.get(name=CAN_THO_COMMITTEE).get_absolute_url())
    page.get_by_role("heading", level=1, name=CAN_THO_COMMITTEE).wait_for()
    assert page.locator("section.official-list tbody tr").count() >= 10

    viewport_width = page.evaluate("window.innerWidth")
    assert viewport_width == PHONE["width"]
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= viewport_width + 1, f"page scrolls sideways: {scroll_width}px > {viewport_width}px"

    toggle = page.get_by_role("button", name="Danh mục")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    committees_link = nav.get_by_role("link", name="Ban Chỉ đạo", exact=True)
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not committees_link.is_visible(), "on a phone the menu starts closed"

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert committees_link.is_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport_width + 1
    committees_link.click()
    page.wait_for_url("**/to-chuc/ban-chi-dao/")

    toggle.click()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not committees_link.is_visible()


def test_language_selector_switches_to_english_and_back(page, browser_login):
    from pckb.directory.models import Committee

    browser_login("vptt.cantho")
    url = Committee.objects.get(name=CAN_THO_COMMITTEE).get_absolute_url()
    page.goto(url)
    html = page.locator("html")
    selector = page.locator("#lang-select")  # labelled "Ngôn ngữ" (visually hidden)
    assert html.get_attribute("lang") == "vi"
    assert selector.input_value() == "vi"
    assert selector.locator("option[value=en]").inner_text() == "Tiếng Anh"

    with page.expect_navigation():
        page.get_by_label("Ngôn ngữ").select_option("en")
    assert html.get_attribute("lang") == "en"
    assert page.url.endswith(url), "the selector should keep the user on the same page"
    page.get_by_role("heading", level=1, name=CAN_THO_COMMITTEE).wait_for()
    assert selector.input_value() == "en"
    assert selector.locator("option[value=en]").inner_text() == "English"

    page.goto("/to-chuc/ban-chi-dao/")  # the choice sticks across pages
    assert html.get_attribute("lang") == "en"

    with page.expect_navigation():
        selector.select_option("vi")
    assert html.get_attribute("lang") == "vi"
    assert page.url.endswith("/to-chuc/ban-chi-dao/")
    assert selector.locator("option[value=en]").inner_text() == "Tiếng Anh"
