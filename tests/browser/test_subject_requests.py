"""The privacy officer handles an erasure request in a real browser: signs in with the second
factor, registers the request (a refused empty form first), finds the person's reports, erases
one, sees the refusal for a report taken up in a case, completes the request, and sets a
retention period. axe finds no serious WCAG 2.1 AA issues on these pages."""

import pytest
from django.utils import timezone

from openveiligheid.organisations.services import grant_membership
from openveiligheid.privacy.identities import IdentityData, encrypt
from openveiligheid.privacy.models import DeletionRecord, RetentionPeriod
from openveiligheid.signals.models import Report
from tests.browser.conftest import login_with_second_factor, run_axe
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.signals.factories import ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def reports():
    municipality = OrganisationFactory(name="Gemeente Privacystad", slug="privacystad")
    officer = UserFactory(username="fg")
    grant_membership(user=officer, organisation=municipality, role_slug="privacy_officer")
    contact = encrypt(IdentityData(name="Jan de Vries", email="jan@example.org"))
    closed = ReportFactory(
        organisation=municipality,
        encrypted_contact=contact,
        status=Report.Status.CLOSED,
        close_reason=Report.CloseReason.DISMISSED,
        closed_at=timezone.now(),
    )
    in_case = ReportFactory(
        organisation=municipality,
        encrypted_contact=contact,
        status=Report.Status.CLOSED,
        close_reason=Report.CloseReason.CASE,
        closed_at=timezone.now(),
    )
    return closed, in_case


def test_officer_handles_an_erasure_request(page, reports):
    closed, in_case = reports
    login_with_second_factor(page, "fg", PASSWORD)
    page.goto("/privacy/avg-verzoeken/")
    assert page.get_by_role("heading", name="AVG-verzoeken").is_visible()
    assert run_axe(page) == []

    page.get_by_role("link", name="Verzoek registreren").click()
    page.wait_for_load_state()
    page.get_by_label("Soort verzoek").select_option("erasure")
    page.get_by_role("button", name="Verzoek registreren").click()
    page.wait_for_load_state()
    assert page.get_by_text("Vul de naam, het e-mailadres of het telefoonnummer").first.is_visible()
    assert run_axe(page) == []
    page.get_by_label("Soort verzoek").select_option("erasure")
    page.get_by_label("E-mailadres").fill("jan@example.org")
    page.get_by_role("button", name="Verzoek registreren").click()
    page.wait_for_load_state()

    assert page.get_by_text("Het verzoek is geregistreerd.").is_visible()
    assert page.get_by_role("heading", name=f"Melding {closed.reference}").is_visible()
    assert page.get_by_role("heading", name=f"Melding {in_case.reference}").is_visible()
    assert page.get_by_text("Deze melding is opgenomen in een casus.").is_visible()
    assert run_axe(page) == []

    page.get_by_role("button", name=f"Melding {closed.reference} verwijderen").click()
    page.wait_for_load_state()
    assert page.get_by_text(
        f"{closed.reference}: melding met bijlagen verwijderd."
    ).first.is_visible()
    assert not Report.objects.filter(pk=closed.pk).exists()
    assert DeletionRecord.objects.get().reference == closed.reference

    page.get_by_label("Nieuwe status").select_option("completed")
    page.get_by_role("button", name="Status wijzigen").click()
    page.wait_for_load_state()
    assert page.get_by_text("De status is gewijzigd.").is_visible()
    assert page.get_by_text("in behandeling → afgehandeld").is_visible()
    assert run_axe(page) == []

    page.goto("/privacy/bewaartermijnen/")
    page.get_by_label("melding zonder vervolg").fill("6")
    page.get_by_role("button", name="Bewaartermijnen opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("De bewaartermijnen zijn opgeslagen.").is_visible()
    assert page.get_by_text(closed.reference).is_visible()
    assert RetentionPeriod.objects.get().months == 6
    assert run_axe(page) == []
