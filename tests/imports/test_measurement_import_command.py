"""`openveiligheid import-measurements`: --json, --dry-run, --municipality, --mapping, errors."""

import importlib
import io
import json
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from openveiligheid.imports.models import Upload
from openveiligheid.indicators.models import Measurement
from tests.imports.measurement_helpers import (
    POLICE_47013,
    apeldoorn_with_plan,
    cbs_areas,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(cbs_areas, db):  # noqa: F811 - the module fixture, imported above
    """The CBS areas (loaded once for the module)."""


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import-measurements", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_dry_run_without_any_plan(areas):
    out, err = run(str(POLICE_47013), "--dry-run", "--json")

    data = json.loads(out)
    assert list(data) == ["source", "measurements", "changes", "unmatched"]
    assert data["source"] == "statline_csv"
    assert {
        "indicator": "Geregistreerde misdrijven",
        "area": "GM0200",
        "area_name": "Apeldoorn",
        "period": "2023",
        "value": 6991,
    } in data["measurements"]
    assert all(set(item) == {"position", "text", "reason"} for item in data["unmatched"])
    assert err == ""
    assert not Upload.objects.exists()
    assert not Measurement.objects.exists()


def test_import_for_a_municipality_then_again_is_a_no_op(areas):
    _organisation, indicator = apeldoorn_with_plan()

    out, _err = run(str(POLICE_47013), "--municipality", "GM0200")
    assert "Nieuw: 2" in out
    assert "Opgeslagen: 2 nieuw, 0 gewijzigd." in out
    assert Measurement.objects.filter(indicator=indicator).count() == 2

    out, _err = run(str(POLICE_47013), "--municipality", "0200", "--json")
    data = json.loads(out)
    assert data["changes"] == []
    assert [item["value"] for item in data["measurements"]] == [7081, 6991]
    assert Measurement.objects.filter(indicator=indicator).count() == 2


def test_changed_value_is_listed(areas):
    _organisation, indicator = apeldoorn_with_plan()
    Measurement.objects.create(
        indicator=indicator,
        area=indicator.area,
        period_type="year",
        period_start="2022-01-01",
        value=7000,
    )
    out, _err = run(str(POLICE_47013), "--municipality", "GM0200", "--dry-run")
    assert (
        "gewijzigd: Geregistreerde misdrijven (politie), Apeldoorn (GM0200), 2022: 7.000 -> 7.081"
        in out
    )
    assert "Proefdraai" in out
    assert Measurement.objects.get(indicator=indicator, period_start="2022-01-01").value == 7000


def test_mapping_file(areas, tmp_path):
    _organisation, indicator = apeldoorn_with_plan(key="iets-anders")
    mapping = tmp_path / "koppeling.json"
    mapping.write_text(
        json.dumps({"Geregistreerde misdrijven": f"{indicator.plan.slug}/{indicator.slug}"})
    )
    out, _err = run(str(POLICE_47013), "--municipality", "GM0200", "--mapping", str(mapping))
    assert "Opgeslagen: 2 nieuw" in out


def test_progress_bar_on_stderr_for_large_files(areas):
    command = importlib.import_module(
        "openveiligheid.imports.management.commands.import-measurements"
    )
    with mock.patch.object(command, "LARGE_FILE", 1000):  # the police file counts as large
        _out, err = run(str(POLICE_47013), "--dry-run")
        assert "[" in err and "100%" in err

        _out, err = run(str(POLICE_47013), "--dry-run", "--json")
        assert err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/bestaat/niet.csv"], "Kan /bestaat/niet.csv niet lezen"),
        ([str(POLICE_47013), "--municipality", "GM9999"], "geen gemeente met CBS-code GM9999"),
        ([str(POLICE_47013), "--mapping", "/bestaat/niet.json"], "koppelbestand"),
    ],
)
def test_clear_dutch_errors(areas, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_unreadable_file(areas, tmp_path):
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"PK\x03\x04 niet echt een werkmap")
    with pytest.raises(CommandError) as error:
        run(str(broken))
    assert str(error.value)
    assert not Upload.objects.exists()
