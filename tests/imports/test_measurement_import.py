"""Preview and confirmation of measurement imports: matching, idempotency, changes, provenance."""

import json
from decimal import Decimal
from unittest import mock

import pytest

from openveiligheid.areas.models import Area
from openveiligheid.areas.services import upsert_area
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.imports import services
from openveiligheid.imports.measurements.readers import read_table
from openveiligheid.imports.models import Upload
from openveiligheid.imports.services import (
    ImportRefused,
    UnreadableFile,
    confirm_measurement_import,
    preview_measurement_import,
)
from openveiligheid.indicators.models import IndicatorState, Measurement
from openveiligheid.indicators.services import record_measurement
from tests.imports.measurement_helpers import (
    CBS_83648,
    GEOJSON,
    INCIDENTS,
    POLICE_47013,
    apeldoorn_with_plan,
    cbs_areas,  # noqa: F401 - fixture
    importer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(cbs_areas, db):  # noqa: F811 - the module fixture, imported above
    """The CBS areas (loaded once for the module)."""


def _preview(path=POLICE_47013, **kwargs):
    return preview_measurement_import(name=path.name, content=path.read_bytes(), **kwargs)


def _values(preview, code, measure=None):
    return {
        row.period.code: row.value
        for row in preview.rows
        if row.area_code == code and (measure is None or row.measure == measure)
    }


def test_police_table_without_plan_matches_areas_and_writes_nothing(areas):
    preview = _preview(dry_run=True)

    assert _values(preview, "GM0200") == {"2022": Decimal(7081), "2023": Decimal(6991)}
    data = preview.to_json()
    assert set(data) == {"source", "measurements", "changes", "unmatched"}
    apeldoorn = [item for item in data["measurements"] if item["area"] == "GM0200"]
    assert {
        "indicator": "Geregistreerde misdrijven",
        "area": "GM0200",
        "area_name": "Apeldoorn",
        "period": "2022",
        "value": 7081,
    } in apeldoorn
    assert len(data["measurements"]) > 600  # about 342 municipalities, two years
    assert data["changes"] == []
    assert not Upload.objects.exists()
    assert not Measurement.objects.exists()


def test_cbs_2010_2020_table_matches_municipalities_and_years(areas):
    preview = _preview(CBS_83648, dry_run=True)

    values = _values(preview, "GM0518", "TotaalGeregistreerdeMisdrijven_1")  # 's-Gravenhage
    assert values["2010"] == Decimal(58085)
    assert values["2011"] == Decimal(57020)
    assert set(values) == {str(year) for year in range(2010, 2021)}


def test_import_for_a_municipality_writes_its_own_values_with_provenance(areas):
    organisation, indicator = apeldoorn_with_plan()
    user = importer(organisation)

    preview = _preview(organisation=organisation, actor=user)

    assert [(row.area_code, row.period.code, row.value, row.status) for row in preview.rows] == [
        ("GM0200", "2022", Decimal(7081), "new"),
        ("GM0200", "2023", Decimal(6991), "new"),
    ]
    assert preview.outside > 600
    assert preview.upload.status == Upload.Status.PREVIEWED

    result = confirm_measurement_import(preview.upload, user)

    assert (result.created, result.updated) == (2, 0)
    measurement = Measurement.objects.get(indicator=indicator, period_start="2023-01-01")
    assert measurement.value == Decimal(6991)
    assert measurement.entered_by == user
    provenance = measurement.provenance
    assert provenance["file"] == POLICE_47013.name
    assert provenance["sha256"] == Upload.hash_of(POLICE_47013.read_bytes())
    assert provenance["table_id"] == "47013NED"
    assert provenance["imported_by"] == user.username
    assert provenance["upload_id"] == preview.upload.pk
    assert provenance["imported_at"]
    preview.upload.refresh_from_db()
    assert preview.upload.status == Upload.Status.CONFIRMED
    # The indicator's stored state (what the dashboard reads) follows the import.
    state = IndicatorState.objects.get(indicator=indicator)
    assert (str(state.latest_period_start), state.latest_value) == ("2023-01-01", Decimal(6991))


def test_reimport_is_a_no_op(areas):
    organisation, indicator = apeldoorn_with_plan()
    user = importer(organisation)
    confirm_measurement_import(_preview(organisation=organisation, actor=user).upload, user)
    # The uploads log their own status changes; the figures must log nothing new.
    figure_entries = ChangeLogEntry.objects.exclude(content_type__model="upload")
    log_entries = figure_entries.count()
    stored = list(Measurement.objects.values_list("pk", "value", "provenance"))

    again = _preview(organisation=organisation, actor=user)
    assert [row.status for row in again.rows] == ["unchanged", "unchanged"]
    assert again.to_json()["changes"] == []
    result = confirm_measurement_import(again.upload, user)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert figure_entries.count() == log_entries
    assert list(Measurement.objects.values_list("pk", "value", "provenance")) == stored


def test_changed_value_shows_as_change_and_is_then_overwritten(areas):
    organisation, indicator = apeldoorn_with_plan()
    user = importer(organisation)
    record_measurement(indicator=indicator, period="2022", value=7000, area=indicator.area)

    preview = _preview(organisation=organisation, actor=user)

    change = preview.changes[0]
    assert (change.period.code, change.old_value, change.value) == ("2022", Decimal(7000), 7081)
    assert preview.to_json()["changes"] == [
        {
            "indicator": indicator.name,
            "area": "GM0200",
            "area_name": "Apeldoorn",
            "period": "2022",
            "value": 7081,
            "old_value": 7000,
        }
    ]
    result = confirm_measurement_import(preview.upload, user)
    assert (result.created, result.updated) == (1, 1)
    assert Measurement.objects.get(indicator=indicator, period_start="2022-01-01").value == 7081


def test_stale_preview_is_refused_and_nothing_is_written(areas):
    organisation, indicator = apeldoorn_with_plan()
    user = importer(organisation)
    preview = _preview(organisation=organisation, actor=user)
    # Someone records 2022 by hand after the preview was shown.
    record_measurement(indicator=indicator, period="2022", value=5000, area=indicator.area)

    with pytest.raises(ImportRefused, match="veranderd sinds het voorbeeld"):
        confirm_measurement_import(preview.upload, user)

    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal(5000)]
    preview.upload.refresh_from_db()
    assert preview.upload.status == Upload.Status.PREVIEWED


def test_confirming_twice_is_refused(areas):
    organisation, _indicator = apeldoorn_with_plan()
    user = importer(organisation)
    preview = _preview(organisation=organisation, actor=user)
    confirm_measurement_import(preview.upload, user)
    with pytest.raises(ImportRefused, match="al ingelezen"):
        confirm_measurement_import(preview.upload, user)


def test_failure_halfway_writes_nothing(areas):
    organisation, indicator = apeldoorn_with_plan()
    user = importer(organisation)
    preview = _preview(organisation=organisation, actor=user)
    real = services.indicator_services.record_measurement
    calls = []

    def fail_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("schijf vol")
        return real(**kwargs)

    with (
        mock.patch.object(services.indicator_services, "record_measurement", fail_second),
        pytest.raises(RuntimeError),
    ):
        confirm_measurement_import(preview.upload, user)

    assert len(calls) == 2
    assert not Measurement.objects.filter(indicator=indicator).exists()
    preview.upload.refresh_from_db()
    assert preview.upload.status == Upload.Status.PREVIEWED


def test_unreadable_file_gives_a_dutch_error_and_keeps_nothing(areas):
    with pytest.raises(UnreadableFile) as error:
        preview_measurement_import(name="kapot.csv", content=b"\x00\x01\x02 geen tabel")
    assert str(error.value)
    assert not Upload.objects.exists()


def test_value_invalid_for_the_unit_is_unmatched(areas):
    organisation, indicator = apeldoorn_with_plan(unit="percentage")

    preview = _preview(organisation=organisation, dry_run=True)

    assert preview.rows == []
    reasons = [row.reason for row in preview.unmatched if "Apeldoorn" in row.text]
    assert len(reasons) == 2
    assert all("Een percentage ligt tussen 0 en 100" in reason for reason in reasons)


def test_measure_without_mapping_is_unmatched_for_a_municipality(areas):
    organisation, _indicator = apeldoorn_with_plan(key="iets-anders")

    preview = _preview(organisation=organisation, dry_run=True)

    assert preview.rows == []
    reasons = [row.reason for row in preview.unmatched if "Apeldoorn" in row.text]
    assert len(reasons) == 2
    assert all("maar Apeldoorn heeft daar geen indicator" in reason for reason in reasons)


def test_mapping_overrides_name_an_indicator(areas):
    organisation, indicator = apeldoorn_with_plan(key="iets-anders")
    overrides = {"Geregistreerde misdrijven": f"{indicator.plan.slug}/{indicator.slug}"}

    preview = _preview(organisation=organisation, mapping_overrides=overrides, dry_run=True)

    assert [(row.indicator, row.value) for row in preview.rows] == [
        (indicator, 7081),
        (indicator, 6991),
    ]


def test_without_municipality_default_mapping_finds_each_owners_indicator(areas):
    organisation, indicator = apeldoorn_with_plan()

    preview = _preview(dry_run=True)

    apeldoorn = [row for row in preview.rows if row.area_code == "GM0200"]
    assert {row.indicator for row in apeldoorn} == {indicator}
    others = [row for row in preview.rows if row.area_code == "GM0363"]
    assert {row.indicator_name for row in others} == {"Geregistreerde misdrijven"}
    assert all(row.status == "not_written" for row in others)
    json.dumps(preview.to_json())


def test_geojson_table_matches_statcodes(areas):
    if not GEOJSON.exists():
        pytest.skip("gedeelde data niet aanwezig")
    organisation, indicator = apeldoorn_with_plan(key="misdrijven-cbs")

    preview = _preview(GEOJSON, organisation=organisation, dry_run=True)

    assert [
        (row.indicator, row.area_code, row.period.code, row.value)
        for row in preview.rows
        if not row.proposed
    ] == [(indicator, "GM0200", "2022", Decimal(7105))]
    # The file's other measures are not mapped: they are proposed as indicators.
    assert "Opgehelderde Misdrijven" in {proposal.name for proposal in preview.proposals}
    everything = _preview(GEOJSON, dry_run=True)
    assert _values(everything, "GM0014", "Geregistreerde Misdrijven") == {"2022": 13455}


def test_incident_list_rolls_postcodes_up_to_the_municipality_per_month(areas):
    if not INCIDENTS.exists():
        pytest.skip("gedeelde data niet aanwezig")
    apeldoorn = Area.objects.get(code="GM0200")
    postcodes = ("7311", "7312", "7313", "7314", "7315")
    for postcode in postcodes:
        upsert_area(code=f"PC{postcode}", name=postcode, level="postcode", parent=apeldoorn)
    organisation, indicator = apeldoorn_with_plan(key="woninginbraak")
    content = INCIDENTS.read_bytes()

    preview = preview_measurement_import(
        name=INCIDENTS.name, content=content, organisation=organisation, dry_run=True
    )

    table = read_table(INCIDENTS.name, content)
    expected = {}
    for observation in table.observations:
        if observation.region in postcodes and observation.measure == "Woninginbraak":
            expected[observation.period] = expected.get(observation.period, 0) + observation.value
    got = {row.period.code: row.value for row in preview.rows if row.indicator == indicator}
    assert got == expected
    assert min(got) == "2023-04"
    assert {row.area_code for row in preview.rows} == {"GM0200"}
    # Postcodes that cannot be placed in a municipality (no PC4 table loaded) are reported,
    # with the reason.
    assert any(
        "Postcodegebied 1011 ligt niet in een bekend gebied" in row.reason
        for row in preview.unmatched
    )
    # Raw count check for one month: lines of the file for those postcodes (exact duplicates
    # are dropped by the reader, as the police scrape repeats rows).
    lines = {
        line
        for line in content.decode().splitlines()[1:]
        if line[:4] in postcodes and line.endswith(",Woninginbraak") and "-07-2023," in line
    }
    assert got["2023-07"] <= sum(
        1
        for line in content.decode().splitlines()[1:]
        if line[:4] in postcodes and line.endswith(",Woninginbraak") and "-07-2023," in line
    )
    assert got["2023-07"] >= len(lines)
