"""Importing figures in a real browser: upload a police export, look at the preview (new and
changed values), confirm, and see the value on the indicator page; axe finds no serious issues."""

import pytest

from openveiligheid.imports.mapping import bind_indicator
from openveiligheid.organisations.services import grant_membership
from tests.browser.conftest import login_with_second_factor, run_axe
from tests.indicators.factories import AreaFactory, IndicatorFactory, MeasurementFactory
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.plans.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"

EXPORT = (
    '"Geregistreerde misdrijven en aangiften; soort misdrijf, gemeente 2026"\n'
    '"Soort misdrijf: Totaal misdrijven"\n'
    '""\n'
    '"Onderwerp";"Geregistreerde misdrijven";"Geregistreerde misdrijven"\n'
    '"Perioden";"2022";"2023"\n'
    '"Regio\'s";"aantal";"aantal"\n'
    '"Nederland";"800027";"805590"\n'
    '"Apeldoorn";"7081";"6991"\n'
    '"Epe";"500";"510"\n'
)


@pytest.fixture
def import_world(tmp_path):
    area = AreaFactory(code="GM0200", name="Apeldoorn")
    AreaFactory(code="GM0232", name="Epe")
    municipality = OrganisationFactory(name="Apeldoorn", slug="apeldoorn", cbs_code="GM0200")
    plan = PlanFactory(owner=municipality, slug="ivp-test", title="IVP Apeldoorn")
    indicator = IndicatorFactory(
        plan=plan,
        area=area,
        name="Geregistreerde misdrijven (politie)",
        slug="misdrijven",
        theme=None,
        start_year=2022,
    )
    MeasurementFactory(indicator=indicator, area=area, period_start="2022-01-01", value=7000)
    bind_indicator(organisation=municipality, key="misdrijven-politie", indicator=indicator)
    user = UserFactory(username="importeur")
    grant_membership(user=user, organisation=municipality, role_slug="programme_manager")
    path = tmp_path / "politie_47013NED_misdrijven_gemeente_2022_2023.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return {"indicator": indicator, "path": path}


def test_upload_preview_confirm(page, import_world):
    login_with_second_factor(page, "importeur", PASSWORD)
    page.goto("/cijfers/importeren/")
    page.get_by_label("Bestand", exact=True).set_input_files(str(import_world["path"]))
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Gewijzigd (1)").is_visible()
    assert page.get_by_role("heading", name="Nieuw (1)").is_visible()
    changed = page.get_by_role("table", name="Waarden die veranderen: oud en nieuw")
    assert "7.000" in changed.inner_text() and "7.081" in changed.inner_text()
    assert run_axe(page) == []

    page.get_by_role("button", name="Bevestigen en opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_role(
        "heading", name="Ingelezen: politie_47013NED_misdrijven_gemeente_2022_2023.csv"
    ).is_visible()
    assert run_axe(page) == []

    page.get_by_role("link", name="Geregistreerde misdrijven (politie)").click()
    page.wait_for_load_state()
    measurements = page.get_by_role(
        "table", name="Metingen van Geregistreerde misdrijven (politie)"
    )
    text = measurements.inner_text()
    assert "6.991" in text and "7.081" in text


def test_the_reading_page_shows_progress_and_moves_on_to_the_preview(page, import_world):
    """A file still being read: the page shows a progress bar and polls (htmx); once the reading
    (here started by the test, as the reading process would) has ended, the preview appears."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from openveiligheid.imports import jobs, uploads
    from openveiligheid.imports.models import Upload

    path = import_world["path"]
    upload = uploads.store_upload(
        Upload.Kind.MEASUREMENTS,
        SimpleUploadedFile(path.name, path.read_bytes()),
        import_world["indicator"].plan.owner,
        None,
        options={"source": "auto", "mapping_overrides": None},
    )
    login_with_second_factor(page, "importeur", PASSWORD)
    page.goto(f"/cijfers/importeren/{upload.pk}/")
    assert page.get_by_role("heading", name=f"Bestand wordt gelezen: {path.name}").is_visible()
    assert page.get_by_label("Voortgang van het lezen").is_visible()
    assert run_axe(page) == []
    jobs.read_upload(upload.pk)
    page.get_by_role("heading", name=f"Voorbeeld: {path.name}").wait_for(timeout=10_000)
    assert page.get_by_role("heading", name="Gewijzigd (1)").is_visible()
