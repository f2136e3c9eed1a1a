"""The veiligheidsanalyse page and the cooperation examples of a strategic theme, by clicking:
axe-core finds nothing serious and the analysis reads on a phone."""

import re

import pytest

from openveiligheid.organisations.services import grant_membership
from openveiligheid.plans.models import Theme
from tests.browser.conftest import login, run_axe
from tests.organisations.factories import UserFactory
from tests.plans.factories import ThemeFactory
from tests.reports.test_report_types import analysed_plan  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"


def test_analysis_and_cooperation_examples(page, tmp_path, analysed_plan):  # noqa: F811
    plan = analysed_plan
    strategic = ThemeFactory(plan=plan, name="Samen veilig", kind=Theme.Kind.STRATEGIC, order=3)
    manager = UserFactory(username="programmamanager")
    grant_membership(user=manager, organisation=plan.owner, role_slug="programme_manager")
    adviser = UserFactory(username="adviseur")
    grant_membership(user=adviser, organisation=plan.owner, role_slug="safety_adviser")
    strategic.advisers.add(adviser)

    login(page, "programmamanager", PASSWORD)
    page.goto(f"/plannen/{plan.slug}/rapportages/")
    page.get_by_label("Soort rapportage").select_option("veiligheidsanalyse")
    page.get_by_role("textbox", name="Periode").fill("2024")
    page.get_by_role("button", name="Rapportage aanmaken").click()
    page.wait_for_url(re.compile(r"/rapportages/\d+/$"))
    report_url = page.url
    assert page.get_by_role("heading", name="Punten die de raad kan prioriteren").is_visible()
    assert page.get_by_text("75,0% verslechterd van 2021 tot 2024").is_visible()
    assert run_axe(page) == []

    login(page, "adviseur", PASSWORD)
    page.goto(report_url)
    page.get_by_label("Duiding van Samen veilig").fill("De samenwerking groeit.")
    page.get_by_label("Voorbeelden van samenwerking bij Samen veilig").fill(
        "Politie en jongerenwerk liepen samen op."
    )
    page.get_by_role("button", name="Duiding opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("Politie en jongerenwerk liepen samen op.").first.is_visible()
    assert run_axe(page) == []

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.screenshot(path=str(tmp_path / "analysis-phone.png"), full_page=True)
