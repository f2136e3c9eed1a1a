"""A resident reads the municipality's public page on a phone: published reports, the figures
with a suppressed small count and example data marked, and subscribes; axe-core finds no serious
or critical WCAG 2.1 AA issue on the page, the report and the subscription pages."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from tests.browser.conftest import run_axe
from tests.indicators.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.organisations.factories import OrganisationFactory
from tests.plans.factories import GoalFactory, PlanFactory, ThemeFactory
from tests.public.helpers import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    municipality = OrganisationFactory(name="Gemeente Open", slug="gemeente-open")
    plan = PlanFactory(owner=municipality, slug="ivp-open", title="IVP Open")
    theme = ThemeFactory(plan=plan, name="Woninginbraak")
    GoalFactory(theme=theme, text="Minder woninginbraken")
    indicator = IndicatorFactory(plan=plan, theme=theme, name="Aantal woninginbraken")
    TargetFactory(indicator=indicator, value=90)
    for year, value in ((2022, 120), (2023, 100), (2024, 95)):
        MeasurementFactory(indicator=indicator, period_start=f"{year}-01-01", value=value)
    small = IndicatorFactory(plan=plan, theme=theme, name="Aantal plofkraken")
    MeasurementFactory(indicator=small, period_start="2024-01-01", value=2)
    example = IndicatorFactory(plan=plan, theme=theme, name="Slachtofferschap", unit="percentage")
    MeasurementFactory(indicator=example, period_start="2024-01-01", value=12, is_example=True)
    report = publish(plan)
    return municipality, report


def _no_horizontal_scroll(page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_public_page_on_a_phone_passes_axe(page, tmp_path):
    _municipality, report = _world()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/openbaar/gemeente-open/")

    assert page.get_by_role("heading", name="Veiligheid in Gemeente Open", level=1).is_visible()
    assert page.get_by_role("link", name=str(report), exact=True).is_visible()
    tile = page.locator(".ov-tile", has_text="Aantal plofkraken")
    assert "< 5" in tile.inner_text()
    assert (
        page.locator(".ov-tile", has_text="Slachtofferschap")
        .get_by_text("voorbeelddata")
        .first.is_visible()
    )
    assert run_axe(page) == []
    _no_horizontal_scroll(page)
    screenshots = Path(os.environ.get("OV_SCREENSHOT_DIR", tmp_path))
    page.screenshot(path=str(screenshots / "public-page-phone.png"), full_page=True)

    page.get_by_role("link", name=str(report), exact=True).click()
    page.wait_for_url(re.compile(r"/openbaar/gemeente-open/rapportages/\d+/$"))
    assert page.get_by_role("heading", name=str(report), level=1).is_visible()
    assert run_axe(page) == []
    page.screenshot(path=str(screenshots / "public-report-phone.png"), full_page=True)


def test_subscribing_in_the_browser(page):
    _world()
    page.goto("/openbaar/gemeente-open/")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    # Empty address: the error is shown and passes axe.
    assert page.get_by_text("Vul uw e-mailadres in.").first.is_visible()
    assert run_axe(page) == []
    page.get_by_label("Uw e-mailadres").fill("lezer@example.nl")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(re.compile(r"/abonneren/verstuurd/$"))
    assert page.get_by_role("heading", name="Bevestig uw aanmelding").is_visible()
    assert run_axe(page) == []
    link = re.search(r"https?://\S+/openbaar/\S+", mail.outbox[-1].body)[0]
    page.goto(
        link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    )
    assert run_axe(page) == []
    page.get_by_role("button", name="Aanmelding bevestigen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Aanmelding bevestigd").is_visible()
