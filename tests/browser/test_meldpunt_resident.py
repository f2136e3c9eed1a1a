"""A resident files a report at the meldpunt in a real browser, with JavaScript on and off,
anonymously, and sees the receipt; axe-core finds no serious or critical WCAG 2.1 A/AA issue on
any meldpunt page a resident can meet (the form, the form with errors, the receipt, the
rate-limited page, the page a bot gets), in Dutch and in English."""

import pytest

from openveiligheid.signals.models import Report
from tests.browser.conftest import run_axe
from tests.organisations.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABELS = {
    "nl": {
        "category": "Drugs",
        "description": "Wat is er aan de hand?",
        "postcode": "Postcode",
        "house_number": "Huisnummer",
        "send": "Melding versturen",
        "received": "Uw melding is ontvangen",
        "too_many": "Te veel meldingen",
        "refused": "Melding niet verstuurd",
    },
    "en": {
        "category": "Drugs",
        "description": "What is going on?",
        "postcode": "Postcode",
        "house_number": "House number",
        "send": "Send report",
        "received": "Your report has been received",
        "too_many": "Too many reports",
        "refused": "Report not sent",
    },
}
BROWSER_LOCALES = {"nl": "nl-NL", "en": "en-GB"}


@pytest.fixture
def municipality(db):
    return OrganisationFactory(name="Gemeente Meldstad", slug="meldstad")


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def open_page(language="nl", javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            locale=BROWSER_LOCALES[language],
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def fill_in_report(page, labels) -> None:
    page.get_by_label(labels["category"]).check()
    page.get_by_label(labels["description"]).fill(
        "Elke avond wordt er bij het speelveld gedeald <script>alert(1)</script>."
    )
    page.get_by_label(labels["postcode"]).fill("1234 AB")
    page.get_by_label(labels["house_number"]).fill("12")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without"])
def test_resident_files_a_report_anonymously(open_page, municipality, javascript):
    page = open_page(javascript=javascript)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/meldpunt/meldstad/")
    labels = LABELS["nl"]
    fill_in_report(page, labels)
    page.get_by_role("button", name=labels["send"]).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=labels["received"]).is_visible()
    report = Report.objects.get()
    assert page.locator("#reference").inner_text() == report.reference
    assert report.is_anonymous
    assert report.postcode == "1234AB"
    assert "<script>alert(1)</script>" in report.description  # stored as the text it was
    assert "speelveld" not in page.content()
    assert dialogs == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_meldpunt_page_passes_axe(open_page, municipality, language, settings):
    labels = LABELS[language]
    page = open_page(language)
    found = {}

    page.goto("/meldpunt/meldstad/")
    assert page.locator("html").get_attribute("lang") == language
    found["form"] = run_axe(page)

    page.get_by_role("button", name=labels["send"]).click()
    page.wait_for_load_state()
    assert page.locator(".utrecht-form-field-error-message").first.is_visible()
    found["form with errors"] = run_axe(page)

    fill_in_report(page, labels)
    page.get_by_role("button", name=labels["send"]).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=labels["received"]).is_visible()
    found["receipt"] = run_axe(page)

    # The honeypot filled in, as a simple bot does (a person cannot see it).
    page.goto("/meldpunt/meldstad/")
    fill_in_report(page, labels)
    page.locator("#id_website").evaluate("input => { input.value = 'https://spam.example'; }")
    page.get_by_role("button", name=labels["send"]).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=labels["refused"]).is_visible()
    found["refused"] = run_axe(page)

    settings.OPENVEILIGHEID_MELDPUNT_REPORTS_PER_HOUR = 0
    page.goto("/meldpunt/meldstad/")
    fill_in_report(page, labels)
    page.get_by_role("button", name=labels["send"]).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=labels["too_many"]).is_visible()
    found["rate limited"] = run_axe(page)

    assert found == dict.fromkeys(found, [])
    assert Report.objects.count() == 1


def _border_colour(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("element => getComputedStyle(element).borderColor")


def test_a_fresh_form_draws_no_field_as_an_error(open_page, municipality):
    """A required field that is still empty matches :invalid; it must not look refused before
    the resident sent anything. After a refusal the refused fields do."""
    page = open_page()
    page.goto("/meldpunt/meldstad/")
    optional = _border_colour(page, "#id_postcode")
    assert _border_colour(page, "#id_description") == optional
    fresh_choice = _border_colour(page, "input[name=category]")
    page.get_by_role("button", name=LABELS["nl"]["send"]).click()
    page.wait_for_load_state()
    assert page.locator("#id_description").get_attribute("aria-invalid") == "true"
    refused = _border_colour(page, "#id_description")
    assert refused != _border_colour(page, "#id_postcode")
    assert fresh_choice != refused
