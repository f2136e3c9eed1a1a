"""Incident lists (Misdaad in kaart) are counted per four-digit postcode area and month."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from openveiligheid.areas.models import Area

pytestmark = pytest.mark.django_db

INCIDENTS = (
    "Postcode,Datum,Soort\n"
    "7311,03-01-2024,Woninginbraak\n"
    "7311,17-01-2024,Woninginbraak\n"
    "7311,17-01-2024,Woninginbraak\n"  # an exact duplicate: counted once
    "7311,02-02-2024,Poging tot woninginbraak\n"
    "7322,28-02-2024,Woninginbraak\n"
)


def run_dry(tmp_path) -> dict:
    path = tmp_path / "misdaad_in_kaart.csv"
    path.write_text(INCIDENTS, encoding="utf-8")
    output = StringIO()
    call_command("import-measurements", str(path), "--dry-run", "--json", stdout=output)
    return json.loads(output.getvalue())


def test_dry_run_counts_per_postcode_area_and_month_and_writes_nothing(tmp_path):
    result = run_dry(tmp_path)
    assert result["source"] == "incidents"
    rows = {(m["indicator"], m["area"], m["period"]): m["value"] for m in result["measurements"]}
    assert rows == {
        ("Woninginbraak", "PC7311", "2024-01"): 2,
        ("Poging tot woninginbraak", "PC7311", "2024-02"): 1,
        ("Woninginbraak", "PC7322", "2024-02"): 1,
    }
    assert {m["area_name"] for m in result["measurements"]} == {
        "Postcodegebied 7311",
        "Postcodegebied 7322",
    }
    assert any("dubbele" in item["text"] for item in result["unmatched"])
    assert not Area.objects.filter(level=Area.Level.POSTCODE).exists()
