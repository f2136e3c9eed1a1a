"""The year calendar page in a real browser: a year of meetings with long action titles fits a
1366px window without scrolling sideways, and on a phone (390px) only the table scrolls, inside
its own keyboard-reachable region, never the page."""

import pytest
from django.urls import reverse

from tests.browser.conftest import login_with_second_factor, run_axe
from tests.meetings.fixtures import build_wide_calendar
from tests.permissions import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_WIDTH = "document.documentElement.scrollWidth"
REGION_WIDTHS = """() => {
    const region = document.querySelector('.ov-calendar').closest('[role=region]');
    return [region.scrollWidth, region.clientWidth];
}"""


@pytest.fixture
def calendar_page(page):
    known = build_wide_calendar(meeting_count=8)
    login_with_second_factor(page, known.users["programme_manager"].username, PASSWORD)

    def open_at(width: int, height: int):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(reverse("meetings:calendar", args=[known.series.pk]))
        page.get_by_role("heading", name="Jaarkalender Driehoek Mstad 2023").wait_for()
        return page

    return open_at


def test_calendar_fits_a_laptop_window(calendar_page):
    page = calendar_page(1366, 768)
    assert page.evaluate(PAGE_WIDTH) <= 1366
    scroll_width, visible_width = page.evaluate(REGION_WIDTHS)
    assert scroll_width <= visible_width, "de jaarkalender past niet in het venster"
    assert page.get_by_role("columnheader", name="Totaal").is_visible()
    assert run_axe(page) == []


def test_calendar_on_a_phone_scrolls_only_its_table(calendar_page):
    page = calendar_page(390, 844)
    assert page.evaluate(PAGE_WIDTH) <= 390
    scroll_width, visible_width = page.evaluate(REGION_WIDTHS)
    assert scroll_width > visible_width  # the table scrolls inside its region
    region = page.get_by_role("region", name="Jaarkalender Driehoek Mstad 2023", exact=False)
    region.first.focus()
    page.keyboard.press("End")
    page.get_by_role("columnheader", name="Totaal").scroll_into_view_if_needed()
    assert page.evaluate(PAGE_WIDTH) <= 390
    assert page.get_by_role("columnheader", name="Totaal").is_visible()
