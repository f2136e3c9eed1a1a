"""`refresh-measurements`: CBS OData tables over HTTP (recorded responses, never the network)."""

import io
import json
import urllib.error
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from openveiligheid.imports.models import RefreshTable
from openveiligheid.indicators.models import Measurement
from tests.imports.measurement_helpers import (
    apeldoorn_with_plan,
    cbs_areas,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db

RECORDED = json.loads(
    (Path(__file__).parent / "recorded" / "cbs_83648NED_typeddataset.json").read_text()
)


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def recorded_urlopen(requested):
    """A stand-in for urllib.request.urlopen serving the recorded pages in order."""
    pages = iter(RECORDED["pages"])

    def urlopen(url, timeout=None):
        requested.append(url)
        return FakeResponse(json.dumps(next(pages)).encode())

    return urlopen


@pytest.fixture
def configured(cbs_areas, db):  # noqa: F811
    organisation, indicator = apeldoorn_with_plan(key="misdrijven-cbs")
    RefreshTable.objects.create(
        table_id="83648NED", filter="SoortMisdrijf eq '0.0.0   '", organisation=organisation
    )
    return indicator


def test_refresh_fetches_all_pages_and_imports(configured):
    requested = []
    out = io.StringIO()
    with mock.patch("urllib.request.urlopen", recorded_urlopen(requested)):
        call_command("refresh-measurements", stdout=out)

    assert requested[0].startswith("https://opendata.cbs.nl/ODataApi/odata/83648NED/TypedDataSet?")
    assert "%24filter=SoortMisdrijf" in requested[0]
    assert "skiptoken" in requested[1]
    measurement = Measurement.objects.get(indicator=configured)
    assert (measurement.area.code, measurement.period_start.year) == ("GM0200", 2022)
    assert measurement.value == Decimal(7105)
    assert measurement.provenance["table_id"] == "83648NED"
    assert "83648NED: nieuw 1" in out.getvalue()
    table = RefreshTable.objects.get()
    assert table.last_run_at is not None
    assert table.last_result["created"] == 1

    with mock.patch("urllib.request.urlopen", recorded_urlopen([])):
        call_command("refresh-measurements", stdout=(again := io.StringIO()))
    assert "nieuw 0, gewijzigd 0, ongewijzigd 1" in again.getvalue()


def test_refresh_dry_run_json_writes_nothing(configured):
    out = io.StringIO()
    with mock.patch("urllib.request.urlopen", recorded_urlopen([])):
        call_command("refresh-measurements", "--dry-run", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data[0]["table"] == "83648NED"
    assert data[0]["measurements"][0]["area"] == "GM0200"
    assert not Measurement.objects.exists()


def test_without_internet_it_says_so(configured):
    err = io.StringIO()

    def offline(url, timeout=None):
        raise urllib.error.URLError("Name or service not known")

    with mock.patch("urllib.request.urlopen", offline), pytest.raises(CommandError):
        call_command("refresh-measurements", stderr=err)
    assert "Kon het CBS niet bereiken" in err.getvalue()
    assert not Measurement.objects.exists()
    assert "Kon het CBS niet bereiken" in RefreshTable.objects.get().last_result["error"]
