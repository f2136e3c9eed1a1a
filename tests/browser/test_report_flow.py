"""A programme manager makes a veiligheidsbrief by clicking: from the plan dashboard to a
published report; the pages pass axe-core and the report reads on a phone."""

import re

import pytest

from openveiligheid.organisations.services import grant_membership
from tests.browser.conftest import login_with_second_factor, run_axe
from tests.indicators.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.plans.factories import GoalFactory, PlanFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"


def test_make_and_publish_a_safety_letter(page, tmp_path):
    municipality = OrganisationFactory(name="Gemeente Test", slug="gemeente-test")
    plan = PlanFactory(owner=municipality, slug="ivp-test", title="IVP Test")
    theme = ThemeFactory(plan=plan, name="Woninginbraak")
    GoalFactory(theme=theme, text="Minder woninginbraken")
    indicator = IndicatorFactory(plan=plan, theme=theme, name="Aantal woninginbraken")
    TargetFactory(indicator=indicator, value=90)
    for year, value in ((2022, 120), (2023, 100)):
        MeasurementFactory(
            indicator=indicator, area=indicator.area, period_start=f"{year}-01-01", value=value
        )
    user = UserFactory(username="programmamanager")
    grant_membership(user=user, organisation=municipality, role_slug="programme_manager")

    login_with_second_factor(page, "programmamanager", PASSWORD)
    page.goto("/plannen/ivp-test/")
    page.get_by_role("link", name="Rapportages aan de raad").first.click()
    page.wait_for_url(re.compile(r"/plannen/ivp-test/rapportages/$"))
    assert run_axe(page) == []
    page.get_by_label("Soort rapportage").select_option("veiligheidsbrief")
    page.get_by_role("textbox", name="Periode").fill("2024-H1")
    page.get_by_role("button", name="Rapportage aanmaken").click()
    page.wait_for_url(re.compile(r"/rapportages/\d+/$"))
    page.get_by_label("Duiding van Woninginbraak").fill("Minder inbraken door buurtpreventie.")
    page.get_by_role("button", name="Duiding opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("Minder inbraken door buurtpreventie.").first.is_visible()
    assert run_axe(page) == []
    for step in ("Ter beoordeling", "Goedgekeurd", "Gepubliceerd"):
        page.get_by_role("button", name=f"Naar ‘{step}’").click()
        page.wait_for_load_state()
    assert page.get_by_text("deze versie is vastgelegd").is_visible()
    assert run_axe(page) == []

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.screenshot(path=str(tmp_path / "report-phone.png"), full_page=True)
