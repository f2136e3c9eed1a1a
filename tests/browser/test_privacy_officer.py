"""Two-factor set-up and the privacy officer's pages in a real browser: an administrator logs in,
sets up an authenticator app from the page (the code computed from the key the page shows, as a
phone would), keeps the recovery codes, searches the audit trail; the next login asks for a code.
axe finds no serious issues on these pages."""

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from openveiligheid.organisations.services import grant_membership
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.privacy.services import record
from tests.browser.conftest import login, run_axe
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.privacy.two_factor import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def administrator():
    municipality = OrganisationFactory(name="Gemeente Proef", slug="proef", cbs_code="GM9901")
    user = UserFactory(username="beheer")
    grant_membership(user=user, organisation=municipality, role_slug="administrator")
    record(
        action=AuditEntry.Action.READ,
        actor=user,
        object_type="signals.report",
        object_id="7",
        object_repr="Melding 2026-0007",
        organisation=municipality,
        purpose="Triage van de melding",
    )
    return user


def code_from_key(text: str) -> str:
    secret = text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_set_up_two_factor_then_search_the_audit_trail(page, administrator):
    login(page, "beheer", PASSWORD)
    assert "/accounts/tweestapsverificatie/instellen/" in page.url
    assert page.get_by_role("img", name="QR-code om Open Veiligheid").is_visible()
    assert run_axe(page) == []

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Instellen").click()
    assert page.get_by_text("Deze code klopt niet of is verlopen.").first.is_visible()

    # django-otp refuses any code for a second after a wrong one (throttling).
    page.wait_for_timeout(1100)
    key = page.locator("code").first.inner_text()
    page.get_by_label("Code").fill(code_from_key(key))
    page.get_by_role("button", name="Instellen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Herstelcodes").is_visible()
    assert page.locator("ul.ov-recovery-codes li").count() == 10
    assert run_axe(page) == []
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    page.wait_for_load_state()

    page.goto("/privacy/audittrail/")
    assert page.get_by_role("heading", name="Audittrail").is_visible()
    assert page.get_by_text("Triage van de melding").is_visible()
    page.get_by_label("Handeling").select_option("export")
    page.get_by_role("button", name="Zoeken").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("Geen regels gevonden met deze zoekopdracht.").is_visible()
    assert run_axe(page) == []

    page.goto("/privacy/toegangsreview/")
    assert page.get_by_role("cell", name="Audittrail inzien", exact=False).first.is_visible()
    assert run_axe(page) == []

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()
    login(page, "beheer", PASSWORD)
    assert "/accounts/tweestapsverificatie/" in page.url
    assert run_axe(page) == []
    device = TOTPDevice.objects.get(user=administrator, confirmed=True)
    # The code of the next time step: the one just used may not be used twice.
    page.get_by_label("Code").fill(current_code(device, offset_steps=1))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()
    assert "tweestapsverificatie" not in page.url
