"""Shared set-up for the measurement import tests: CBS areas, Apeldoorn with a plan and mappings."""

from pathlib import Path

import pytest
from django.db import connection

from openveiligheid.areas.matching import AreaMatcher
from openveiligheid.areas.models import Area
from openveiligheid.areas.services import load_areas
from openveiligheid.imports.mapping import bind_indicator, ensure_default_mappings
from openveiligheid.organisations.services import grant_membership
from tests.indicators.factories import IndicatorFactory, SourceFactory
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.plans.factories import PlanFactory

REPO = Path(__file__).resolve().parents[2]
OPEN_DATA = REPO / "src" / "openveiligheid" / "demo" / "open_data"
POLICE_47013 = OPEN_DATA / "politie_47013NED_misdrijven_gemeente_2022_2023.csv"
CBS_83648 = OPEN_DATA / "cbs_83648NED_misdrijven_gemeente_2010_2020.csv"
SAMPLES = Path(__file__).resolve().parent / "measurements" / "data"
# The project's shared open data lies beside the repository (../shared), when it is there.
SHARED = REPO.parent / "shared" / "data"
GEOJSON = SHARED / "cbs" / "cbs_83648NED_gemeenten_2022.geojson"
INCIDENTS = SHARED / "police" / "misdaad_in_kaart_woninginbraak_pc4_2023_2026.csv"


@pytest.fixture(scope="module")
def cbs_areas(django_db_setup, django_db_blocker):
    """The CBS hierarchy, loaded once per test module (loading takes seconds) and removed after.

    Tests run in transactions on top of it, so what they add is rolled back as usual."""
    with django_db_blocker.unblock():
        load_areas()
        AreaMatcher.clear_cache()
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Area._meta.db_table}")  # noqa: S608 - fixed table name
    AreaMatcher.clear_cache()


def apeldoorn_with_plan(key="misdrijven-politie", unit="count"):
    """Apeldoorn (GM0200) with an adopted plan whose indicator is bound to ``key``."""
    ensure_default_mappings()
    area = Area.objects.get(code="GM0200")
    organisation = OrganisationFactory(name="Apeldoorn", slug="apeldoorn", cbs_code="GM0200")
    plan = PlanFactory(owner=organisation, slug="ivp-apeldoorn")
    indicator = IndicatorFactory(
        plan=plan,
        area=area,
        name="Geregistreerde misdrijven (politie)",
        slug="misdrijven",
        unit=unit,
        source=SourceFactory(name="Politie (data.politie.nl)"),
    )
    bind_indicator(organisation=organisation, key=key, indicator=indicator)
    return organisation, indicator


def importer(organisation, username="importeur", role="programme_manager"):
    user = UserFactory(username=username)
    grant_membership(user=user, organisation=organisation, role_slug=role)
    return user
