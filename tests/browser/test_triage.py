"""Staff triage a report in a real browser: a programme manager signs in with the second factor,
opens the queue, takes a report into triage, classifies it, forwards it to the police, closes it
with a reason and sees every step in its history. axe finds no serious WCAG 2.1 AA issues on the
queue and the report's page."""

import pytest

from openveiligheid.organisations.services import grant_membership
from openveiligheid.signals.models import Report
from tests.browser.conftest import login_with_second_factor, run_axe
from tests.organisations.factories import OrganisationFactory, PartnerFactory, UserFactory
from tests.signals.factories import CategoryFactory, ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def report():
    municipality = OrganisationFactory(name="Gemeente Meldstad", slug="meldstad")
    CategoryFactory(organisation=municipality, slug="drugs", name="Drugs", position=1)
    PartnerFactory(name="Politie Meldstad", slug="politie-meldstad")
    user = UserFactory(username="triage")
    grant_membership(user=user, organisation=municipality, role_slug="programme_manager")
    return ReportFactory(
        organisation=municipality,
        description="Elke avond wordt er bij het speelveld gedeald.",
        postcode="1234AB",
        house_number="12",
    )


def test_staff_triage_a_report(page, report):
    login_with_second_factor(page, "triage", PASSWORD)
    page.goto("/meldingen/")
    assert page.get_by_role("heading", name="Meldingen", exact=True).is_visible()
    assert run_axe(page) == []
    page.get_by_role("link", name=report.reference).click()
    page.wait_for_load_state()
    assert page.get_by_text("Elke avond wordt er bij het speelveld gedeald.").is_visible()

    page.get_by_role("button", name="In behandeling nemen").click()
    page.wait_for_load_state()
    assert page.get_by_text("De melding is in behandeling genomen.").is_visible()
    assert run_axe(page) == []

    page.get_by_label("Nieuwe categorie").select_option(label="Drugs")
    page.get_by_role("button", name="Categorie wijzigen").click()
    page.wait_for_load_state()
    assert page.locator("#report-category").inner_text() == "Drugs"

    # Forwarding without saying what was passed on is refused, in Dutch, on the page.
    page.get_by_label("Doorzetten naar").select_option(label="Politie Meldstad")
    page.get_by_role("button", name="Doorzetten vastleggen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Schrijf op wat u heeft doorgegeven, en hoe.").first.is_visible()
    page.get_by_label("Doorzetten naar").select_option(label="Politie Meldstad")
    page.get_by_label("Wat heeft u doorgegeven, en hoe?").fill(
        "Per beveiligde e-mail aan de wijkagent gestuurd."
    )
    page.get_by_role("button", name="Doorzetten vastleggen").click()
    page.wait_for_load_state()
    assert page.locator("#report-status").inner_text() == "doorgezet"

    page.get_by_label("afgehandeld").check()
    page.get_by_role("button", name="Melding afsluiten").click()
    page.wait_for_load_state()
    assert page.locator("#report-status").inner_text() == "afgesloten (afgehandeld)"
    assert page.get_by_role("heading", name="Behandelen").count() == 0

    history = page.locator("#report-history").inner_text()
    for text in (
        "in behandeling nemen",
        "Overlast → Drugs",
        "doorzetten: Politie Meldstad",
        "Per beveiligde e-mail aan de wijkagent gestuurd.",
        "afsluiten: afgehandeld",
    ):
        assert text in history
    report.refresh_from_db()
    assert (report.status, report.close_reason) == (Report.Status.CLOSED, "handled")


def test_the_partners_reader_reads_what_was_forwarded_by_clicking(page, report):
    """The police's reader (VIEW_SIGNALS in the partner organisation) signs in with the second
    factor, finds Meldingen in the menu of its start page, opens the forwarded report and reads
    it without the reporter's contact details or any triage step; axe finds no serious issue."""
    from openveiligheid.organisations.models import Organisation
    from openveiligheid.signals import services
    from tests.signals.factories import contact_token, signal_reader

    Report.objects.filter(pk=report.pk).update(encrypted_contact=contact_token())
    report.refresh_from_db()
    police = Organisation.objects.get(slug="politie-meldstad")
    reader = signal_reader(police, username="politie-lezer")
    reader.set_password(PASSWORD)
    reader.save()
    manager = UserFactory._meta.model.objects.get(username="triage")
    services.take_into_triage(report, actor=manager)
    services.forward(report, actor=manager, partner=police, note="Aan de wijkagent gemaild.")
    not_forwarded = ReportFactory(organisation=report.organisation)

    login_with_second_factor(page, "politie-lezer", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Meldingen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Meldingen", exact=True).is_visible()
    assert page.get_by_role("link", name=not_forwarded.reference).count() == 0
    assert run_axe(page) == []
    page.get_by_role("link", name=report.reference).click()
    page.wait_for_load_state()
    assert page.get_by_text("Elke avond wordt er bij het speelveld gedeald.").is_visible()
    assert "Aan de wijkagent gemaild." in page.locator("#report-history").inner_text()
    assert page.get_by_role("heading", name="Behandelen").count() == 0
    assert "alleen in te zien voor wie de melding bij de gemeente behandelt" in page.content()
    assert page.get_by_role("link", name="Contactgegevens inzien").count() == 0
    assert "jan@example.nl" not in page.content()
    assert run_axe(page) == []
