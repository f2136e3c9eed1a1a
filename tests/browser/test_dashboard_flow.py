"""A safety adviser's day in a real browser: log in, open the dashboard, add a measurement with
duiding, see the status and the chart change; and axe-core finds no serious violations."""

import re

import pytest

from openveiligheid.indicators.models import Target
from openveiligheid.organisations.services import grant_membership
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.browser.conftest import login_with_second_factor, run_axe
from tests.indicators.factories import (
    AreaFactory,
    IndicatorFactory,
    MeasurementFactory,
    TargetFactory,
)
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.plans.factories import GoalFactory, PlanFactory, ThemeFactory
from tests.programme.factories import AssignmentFactory, PillarFactory, ProgrammeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def plan_world():
    area = AreaFactory(code="GM0200", name="Apeldoorn")
    municipality = OrganisationFactory(name="Apeldoorn", slug="apeldoorn", cbs_code="GM0200")
    plan = PlanFactory(owner=municipality, slug="ivp-test", title="IVP Apeldoorn 2023-2026")
    theme = ThemeFactory(plan=plan, name="Veilige buurten", slug="veilige-buurten")
    GoalFactory(theme=theme, text="Inwoners voelen zich veilig in hun buurt.")
    indicator = IndicatorFactory(
        plan=plan,
        theme=theme,
        area=area,
        name="Rapportcijfer veiligheid in de buurt",
        slug="rapportcijfer",
        unit="grade",
        direction="up",
    )
    TargetFactory(indicator=indicator, comparison=Target.Comparison.AT_LEAST, value="7.6")
    MeasurementFactory(indicator=indicator, area=area, period_start="2022-01-01", value="7.5")
    action_plan = ActionPlanFactory(plan=plan)
    action = ActionFactory(action_plan=action_plan, theme=theme, subject="Buurtpreventie")
    programme = ProgrammeFactory(plan=plan)
    AssignmentFactory(pillar=PillarFactory(programme=programme), title="Opgave informatie")
    user = UserFactory(username="adviseur", first_name="Anna", last_name="Adviseur")
    grant_membership(user=user, organisation=municipality, role_slug="programme_manager")
    return {"plan": plan, "theme": theme, "indicator": indicator, "action": action, "user": user}


def tile_for(page, name):
    return page.locator(".ov-tile", has_text=name).first


def test_add_measurement_changes_status_and_chart(page, plan_world):
    login_with_second_factor(page, "adviseur", PASSWORD)
    page.goto("/plannen/ivp-test/")
    tile = tile_for(page, "Rapportcijfer veiligheid in de buurt")
    assert "Geen recente gegevens" in tile.inner_text()

    tile.get_by_role("link", name="Rapportcijfer veiligheid in de buurt").click()
    page.wait_for_url(re.compile(r"/indicatoren/rapportcijfer/"))
    chart = page.locator("svg.ov-line-chart").first
    points_before = chart.locator("circle, rect[class*=point], path[class*=point]").count()

    # A wrong value first: a Dutch message, the typed text kept, nothing saved.
    page.get_by_role("textbox", name="Periode").fill("2025")
    value_field = page.get_by_role("textbox", name="Waarde", exact=True)
    value_field.fill("elf")
    page.get_by_role("textbox", name="Duiding").fill("Stijging na inzet van buurtteams.")
    page.get_by_role("button", name="Meting opslaan").click()
    # The answer to the form's submission, not the page before it (a busy server is slow).
    page.get_by_text("geen getal", exact=False).first.wait_for()
    assert page.get_by_text("geen getal", exact=False).first.is_visible()
    kept = page.get_by_role("textbox", name="Duiding").input_value()
    assert kept == "Stijging na inzet van buurtteams."

    value_field.fill("7,8")
    page.get_by_role("button", name="Meting opslaan").click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "Doel gehaald" in body
    assert "7,8" in body
    assert "Stijging na inzet van buurtteams." in body
    chart = page.locator("svg.ov-line-chart").first
    assert "7,8" in chart.inner_html()
    assert chart.locator("circle, rect[class*=point], path[class*=point]").count() > points_before

    page.goto("/plannen/ivp-test/")
    assert "Doel gehaald" in tile_for(page, "Rapportcijfer veiligheid in de buurt").inner_text()


def test_main_pages_have_no_serious_accessibility_violations(page, plan_world):
    action = plan_world["action"]
    # Anything the Content-Security-Policy refuses shows up as a console error.
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    page.goto("/accounts/login/")
    found = {"/accounts/login/": run_axe(page)}
    login_with_second_factor(page, "adviseur", PASSWORD)
    for url in (
        "/plannen/",
        "/plannen/ivp-test/",
        "/plannen/ivp-test/themas/veilige-buurten/",
        "/plannen/ivp-test/indicatoren/rapportcijfer/",
        "/acties/",
        f"/acties/{action.pk}/",
        "/plannen/ivp-test/programma/",
    ):
        response = page.goto(url)
        assert response.status == 200, url
        found[url] = run_axe(page)
    violations = {url: items for url, items in found.items() if items}
    assert not violations, violations
    assert refused == []


def test_api_docs_work_under_the_content_security_policy(page, plan_world):
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    login_with_second_factor(page, "adviseur", PASSWORD)
    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Open Veiligheid" in page.locator(".swagger-ui .info .title").inner_text()
    assert refused == []
