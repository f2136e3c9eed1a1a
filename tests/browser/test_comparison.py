"""The comparison page in a real browser: reached from the indicator page, choose a period,
see the size class and the ranking; and axe-core finds no serious violations."""

import pytest

from openveiligheid.indicators.services import record_measurement
from openveiligheid.organisations.services import grant_membership
from tests.browser.conftest import login_with_second_factor, run_axe
from tests.indicators.factories import AreaFactory, IndicatorFactory
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.plans.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def compared_world():
    area = AreaFactory(code="GM0200", name="Apeldoorn", population=166_000)
    municipality = OrganisationFactory(name="Apeldoorn", slug="apeldoorn", cbs_code="GM0200")
    plan = PlanFactory(owner=municipality, slug="ivp-test", title="IVP Apeldoorn 2023-2026")
    indicator = IndicatorFactory(
        plan=plan, theme=None, area=area, name="Misdrijven per 1.000 inwoners", slug="per-1000"
    )
    values = [
        (area, 41, 2023),
        (AreaFactory(code="GM0153", name="Enschede", population=162_000), 52, 2023),
        (AreaFactory(code="GM0232", name="Epe", population=33_000), 30, 2023),
        (AreaFactory(code="NL01", name="Nederland", level="country", population=None), 45, 2023),
        (area, 43, 2022),
    ]
    for where, value, year in values:
        record_measurement(
            indicator=indicator,
            period=str(year),
            value=value,
            area=where,
            comparison_area=where != area,
        )
    user = UserFactory(username="manager")
    grant_membership(user=user, organisation=municipality, role_slug="programme_manager")
    return indicator


def test_comparison_page_from_the_indicator_page(page, compared_world):
    login_with_second_factor(page, "manager", PASSWORD)
    page.goto("/plannen/ivp-test/indicatoren/per-1000/")
    page.get_by_role("link", name="Vergelijken met andere gemeenten").click()

    page.get_by_label("Periode").select_option("2023")
    page.get_by_role("button", name="Tonen").click()

    assert page.locator("[data-own]").inner_text().startswith("41")
    assert "plaats 2 van 3" in page.locator("[data-own]").inner_text()
    assert page.locator("[data-national]").inner_text() == "45"
    size_table = page.locator("[data-table=grootteklasse]")
    assert size_table.locator("tbody tr").count() == 2  # Apeldoorn and Enschede, not Epe
    violations = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert violations == []
