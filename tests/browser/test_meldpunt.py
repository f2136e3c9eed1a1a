"""A resident files a report at the meldpunt in a browser without JavaScript and sees the
receipt; axe finds no serious WCAG 2.1 AA issues on the form, also when it shows errors."""

import pytest

from openveiligheid.signals.models import Report
from tests.browser.conftest import run_axe
from tests.organisations.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_script_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_resident_reports_anonymously_without_javascript(no_script_page):
    OrganisationFactory(name="Gemeente Meldstad", slug="meldstad")
    page = no_script_page
    page.goto("/meldpunt/meldstad/")
    page.get_by_label("Drugs").check()
    page.get_by_label("Wat is er aan de hand?").fill(
        "Elke avond wordt er bij het speelveld gedeald."
    )
    page.get_by_label("Postcode").fill("1234 AB")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_role("button", name="Melding versturen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Uw melding is ontvangen").is_visible()
    report = Report.objects.get()
    assert page.locator("#reference").inner_text() == report.reference
    assert "speelveld" not in page.content()
    assert report.is_anonymous


def test_meldpunt_form_passes_axe(page):
    OrganisationFactory(name="Gemeente Meldstad", slug="meldstad")
    page.goto("/meldpunt/meldstad/")
    assert run_axe(page) == []
    # With the errors shown.
    page.get_by_role("button", name="Melding versturen").click()
    page.wait_for_load_state()
    assert page.locator(".utrecht-form-field-error-message").first.is_visible()
    assert run_axe(page) == []
