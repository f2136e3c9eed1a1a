import pytest

from openveiligheid.areas.matching import AreaMatcher
from openveiligheid.areas.models import Area
from openveiligheid.areas.services import load_areas


@pytest.fixture(scope="package")
def loaded_areas(django_db_setup, django_db_blocker):
    """The full CBS hierarchy, loaded once for these tests (about a second); removed afterwards."""
    with django_db_blocker.unblock():
        counts = load_areas()
    yield counts
    with django_db_blocker.unblock():
        Area.objects.all().delete()
        AreaMatcher.clear_cache()


@pytest.fixture
def areas(loaded_areas, db):
    return loaded_areas


@pytest.fixture
def matcher(areas):
    return AreaMatcher.for_current_data()
