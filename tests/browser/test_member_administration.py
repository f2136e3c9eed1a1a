"""The administrator at work in a real browser, by clicking only: from the start page to the
organisation's users, invite a new colleague, give them a second role; the invitee sets a
password through the e-mailed link and logs in. axe-core finds no serious violations."""

import re

import pytest
from django.core import mail

from openveiligheid.organisations.services import grant_membership
from tests.browser.conftest import login, login_with_second_factor, run_axe
from tests.organisations.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def administrator():
    municipality = OrganisationFactory(name="Apeldoorn", slug="apeldoorn", cbs_code="GM0200")
    user = UserFactory(username="beheerder", first_name="Bea", last_name="Beheerder")
    grant_membership(user=user, organisation=municipality, role_slug="administrator")
    colleague = UserFactory(username="raadslid", first_name="Rik", last_name="Raadslid")
    grant_membership(user=colleague, organisation=municipality, role_slug="council_member")
    return user


def test_administrator_invites_a_user_and_assigns_a_role(page, administrator):
    login_with_second_factor(page, "beheerder", PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Gebruikers en rollen"
    ).click()
    page.wait_for_url(re.compile(r"/organisaties/apeldoorn/gebruikers/$"))
    assert page.get_by_role("row", name=re.compile("Rik Raadslid")).is_visible()
    assert run_axe(page) == []

    page.get_by_role("link", name="Gebruiker uitnodigen").click()
    page.wait_for_url(re.compile(r"/gebruikers/uitnodigen/$"))
    page.get_by_label("E-mailadres").fill("nieuwe.collega@example.org")
    page.get_by_label("Voornaam").fill("Nina")
    page.get_by_label("Achternaam").fill("Nieuw")
    page.get_by_label("Rol").select_option(label="Actiehouder")
    assert run_axe(page) == []
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.wait_for_url(re.compile(r"/gebruikers/\d+/$"))
    assert page.get_by_text(
        "De uitnodiging is verstuurd naar nieuwe.collega@example.org."
    ).is_visible()
    assert page.get_by_text("Uitgenodigd", exact=True).first.is_visible()

    page.get_by_label("Rol toevoegen").select_option(label="Adviseur veiligheid")
    page.get_by_role("button", name="Rol toekennen").click()
    page.wait_for_load_state()
    assert page.get_by_text("De rol 'Adviseur veiligheid' is toegekend.").is_visible()
    roles = page.locator(".ov-role-list").inner_text()
    assert "Actiehouder" in roles and "Adviseur veiligheid" in roles
    assert run_axe(page) == []

    # Back in the list, by the breadcrumb: two roles and the status.
    page.get_by_role("link", name="Gebruikers van Apeldoorn").click()
    row = page.get_by_role("row", name=re.compile("Nina Nieuw"))
    assert "Actiehouder, Adviseur veiligheid" in row.inner_text()
    assert "Uitgenodigd" in row.inner_text()

    # The invitee follows the link in the e-mail, sets a password and logs in.
    page.get_by_role("button", name="Uitloggen").click()
    [message] = mail.outbox
    link = re.search(r"https?://\S+/uitnodiging/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("Zeer-sterk-wachtwoord-2026")
    page.get_by_label("Nieuw wachtwoord (herhaling)").fill("Zeer-sterk-wachtwoord-2026")
    assert run_axe(page) == []
    page.get_by_role("button", name="Wachtwoord instellen").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    login(page, "nieuwe.collega@example.org", "Zeer-sterk-wachtwoord-2026")
    assert page.get_by_text("Nina Nieuw").first.is_visible()
