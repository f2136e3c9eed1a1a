"""No lost updates on figure mappings: a stale edit form is refused and shows the other change."""

import re

import pytest
from django.urls import reverse

from openveiligheid.imports.mapping import save_mapping
from openveiligheid.imports.models import MeasureMapping
from tests.imports.test_measurement_import_views import bound  # noqa: F401 - fixture
from tests.permissions import login

pytestmark = pytest.mark.django_db


def test_a_stale_mapping_form_does_not_undo_another_change(client, world, bound):  # noqa: F811
    mapping = MeasureMapping.objects.get(
        key="misdrijven-politie", organisation=world.municipality_a
    )
    url = reverse("imports:mapping-edit", args=[mapping.pk])
    login(client, world.users["programme_manager"])
    page = client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page)[1]
    # Someone else changes the measure meanwhile.
    mapping.measure = "Tussendoor gewijzigd"
    save_mapping(mapping, world.users["administrator"])

    data = {
        "version": version,
        "organisation": world.municipality_a.pk,
        "key": "misdrijven-politie",
        "measure": "Mijn maatstaf",
        "indicator": mapping.indicator_id,
        "active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert "Tussendoor gewijzigd" in html
    mapping.refresh_from_db()
    assert mapping.measure == "Tussendoor gewijzigd"

    data["version"] = re.search(r'name="version" value="(\d+)"', html)[1]
    assert client.post(url, data).status_code == 302
    mapping.refresh_from_db()
    assert mapping.measure == "Mijn maatstaf"
