"""A programme manager of Veluwe-Noord imports the regional programme in a real browser: upload
the DOCX, review the preview (actions, calendar, unplanned actions), confirm, and open the year
calendar with the totals per lead and per meeting. axe-core finds no serious violations."""

import pytest

from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.services import grant_membership
from tests.browser.conftest import login_with_second_factor, run_axe
from tests.imports.plans import documents
from tests.organisations.factories import OrganisationFactory, PartnerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"


@pytest.fixture
def programme_file(tmp_path):
    region = OrganisationFactory(
        kind=Organisation.Kind.REGION, name="Veluwe-Noord", slug="veluwe-noord", cbs_code=None
    )
    for code, name in documents.MUNICIPALITIES.items():
        region.members.add(OrganisationFactory(name=name, slug=name.lower(), cbs_code=code))
    region.members.add(
        PartnerFactory(
            name=documents.POLICE, slug="politie-nv", partner_type=Organisation.PartnerType.POLICE
        )
    )
    user = UserFactory(username="regio")
    grant_membership(user=user, organisation=region, role_slug="programme_manager")
    path = tmp_path / "veiligheidsprogramma-2021.docx"
    path.write_bytes(documents.veluwe_noord_docx())
    return path


def test_upload_preview_confirm_calendar(page, programme_file):
    login_with_second_factor(page, "regio", PASSWORD)
    page.goto("/plan-importeren/")
    assert run_axe(page) == []
    page.get_by_label("Bestand", exact=True).set_input_files(str(programme_file))
    page.get_by_label("Gemeente of samenwerkingsverband").select_option(label="Veluwe-Noord")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.wait_for_load_state()

    assert page.get_by_role(
        "heading", name="Voorbeeld: veiligheidsprogramma-2021.docx"
    ).is_visible()
    actions = page.get_by_role("table", name="Gevonden acties")
    assert actions.get_by_role("row").count() == documents.VELUWE_NOORD_ACTIONS + 1
    assert actions.get_by_text("herkend: Harderwijk").first.is_visible()
    meetings = page.get_by_role("table", name="Overleggen")
    assert meetings.get_by_text("11 februari 2021").is_visible()
    assert meetings.get_by_text("28 januari 2021").is_visible()
    assert page.get_by_text("Niet geplaatst: 0").is_visible()
    assert run_axe(page) == []

    page.get_by_role("button", name="Bevestigen en inlezen").click()
    page.wait_for_load_state()
    assert "/overleggen/" in page.url
    body = page.locator("main").inner_text()
    for lead in documents.VELUWE_NOORD_LEAD_TOTALS:
        assert lead in body
    assert "Jaarcijfers criminaliteit Noord-Veluwe" in body
    assert "Inval drugslab: nazorg buurt" in body  # the unplanned actions, shown apart
    assert run_axe(page) == []


def test_reimport_shows_the_differences_and_updates_the_plan(page, tmp_path):
    from openveiligheid.actions.models import Action, ActionStatus
    from openveiligheid.imports.plans.services import import_plan, read_plan
    from openveiligheid.plans.models import Plan
    from tests.imports.plans.test_reimport import SMALL_ROWS, small_document

    ermelo = OrganisationFactory(name="Ermelo", slug="ermelo", cbs_code="GM0233")
    user = UserFactory(username="ermelo")
    grant_membership(user=user, organisation=ermelo, role_slug="programme_manager")
    first = small_document(SMALL_ROWS)
    import_plan(read_plan(first, "plan.txt", organisation=ermelo), organisation=ermelo)
    path = tmp_path / "plan.txt"
    path.write_bytes(
        small_document([*SMALL_ROWS[:3], ("Politie", "Sloten", "Sloten controleren.", "2024")])
    )

    login_with_second_factor(page, "ermelo", PASSWORD)
    page.goto("/plan-importeren/")
    page.get_by_label("Bestand", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.wait_for_load_state()
    assert page.get_by_role(
        "heading", name="Bestaand plan bijwerken: Veiligheidsplan 2024"
    ).is_visible()
    actions = page.get_by_role("table", name="Acties: wat verandert, oud en nieuw")
    assert actions.get_by_text("Sloten controleren.").is_visible()
    assert actions.get_by_text("niet meer in het document").is_visible()
    assert page.get_by_role("button", name="Als nieuw plan inlezen").is_visible()
    assert run_axe(page) == []

    page.get_by_role("button", name="Plan bijwerken").click()
    page.wait_for_load_state()
    assert "Het plan is bijgewerkt" in page.locator("main").inner_text()
    assert Plan.objects.filter(owner=ermelo).count() == 1
    assert Action.objects.get(subject="Cameras").status == ActionStatus.CANCELLED
