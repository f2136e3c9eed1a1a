"""Incident lists (Misdaad in kaart) counted per PC4 area, month and type."""

import csv
import io
from collections import Counter
from datetime import datetime

import pytest

from openveiligheid.imports.measurements import read_table
from openveiligheid.imports.measurements.formats import incidents

from .samples import SHARED, data

SAMPLE = "misdaad_in_kaart_woninginbraak_pc4_sample.csv"


@pytest.fixture(autouse=True, params=["duckdb", "python"])
def aggregation(request, monkeypatch):
    """Every test runs on both paths: DuckDB for clean files, plain Python as the fallback."""
    if request.param == "duckdb" and incidents.duckdb is None:
        pytest.skip("duckdb not installed")
    monkeypatch.setattr(incidents, "USE_DUCKDB", request.param == "duckdb")
    return request.param


def independent_counts(content: bytes) -> tuple[Counter, int]:
    """Count the way a person would: distinct (postcode, date, type) rows, per month."""
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    distinct = {(row["Postcode"], row["Datum"], row["Soort"]) for row in rows}
    counts = Counter(
        (soort, postcode, datetime.strptime(day, "%d-%m-%Y").strftime("%Y-%m"))
        for postcode, day, soort in distinct
    )
    return counts, len(rows) - len(distinct)


def test_counts_per_postcode_month_and_type():
    content = data(SAMPLE)
    table = read_table(SAMPLE, content)
    assert table.format == "incidents"
    found = {(item.measure, item.region, item.period): item for item in table.observations}
    # Counted by hand: 7312 in December 2023 has one burglary on the 14th and the line of the
    # 17th three times, which counts once.
    december = found[("Woninginbraak", "7312", "2023-12")]
    assert december.value == 2
    assert december.region_kind == "postcode"
    assert december.region_code == ""
    assert december.unit == "count"
    counts, duplicates = independent_counts(content)
    assert {key: int(item.value) for key, item in found.items()} == dict(counts)
    assert table.duplicates_dropped == duplicates == 6
    assert table.rows_read == 158
    assert table.unparsed == [
        ("", "6 dubbele regels (precies gelijk aan een eerdere regel) zijn niet meegeteld")
    ]
    assert sum(item.value for item in table.observations) == 158 - 6


def test_position_is_the_first_line_of_the_group():
    content = (
        b"Postcode,Datum,Soort\n7311,02-01-2024,Woninginbraak\n7311,03-01-2024,Woninginbraak\n"
    )
    (only,) = read_table("x.csv", content).observations
    assert only.position == "regel 2 (eerste van 2)"
    assert only.period == "2024-01"


def test_clean_file_goes_through_duckdb(aggregation, monkeypatch):
    calls = []
    python_path = incidents._aggregate_python
    monkeypatch.setattr(
        incidents, "_aggregate_python", lambda *args: calls.append(1) or python_path(*args)
    )
    read_table(SAMPLE, data(SAMPLE))
    assert calls == ([] if aggregation == "duckdb" else [1])


def test_windows_line_endings_blank_lines_and_a_missing_type_column():
    content = b"\r\nPostcode;Datum\r\n7311;02-01-2024\r\n\r\n7311;02-01-2024\r\n7312;2024-01-09\r\n"
    table = read_table("x.csv", content)
    assert [(o.measure, o.region, o.period, o.value, o.position) for o in table.observations] == [
        ("Incidenten", "7311", "2024-01", 1, "regel 3 (eerste van 1)"),
        ("Incidenten", "7312", "2024-01", 1, "regel 6 (eerste van 1)"),
    ]
    assert (table.rows_read, table.duplicates_dropped) == (3, 1)


def test_bad_rows_are_reported_with_their_line():
    content = (
        b"Datum;Postcode;Soort;Adres\n"
        b"2024-01-05;7311 AB;Woninginbraak;Hoofdstraat\n"
        b"2024-01-05;0000;Woninginbraak;Nergens\n"
        b"31-02-2024;7311;Woninginbraak;Hoofdstraat\n"
        b"2024-02-01;7311\n"
        b"\n"
        b"2024-01-07 13:45;7311AB;Poging tot woninginbraak;Hoofdstraat\n"
    )
    table = read_table("incidenten.csv", content)
    assert table.format == "incidents"
    assert [(o.measure, o.region, o.period, o.value) for o in table.observations] == [
        ("Poging tot woninginbraak", "7311", "2024-01", 1),
        ("Woninginbraak", "7311", "2024-01", 1),
    ]
    problems = dict(table.unparsed)
    assert problems["regel 3"].startswith("onbekende postcode '0000'")
    assert problems["regel 4"].startswith("onbekende datum '31-02-2024'")
    assert problems["regel 5"].startswith("te weinig kolommen")
    assert table.rows_read == 5


def test_progress_is_reported():
    calls = []
    read_table(SAMPLE, data(SAMPLE), progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]


@pytest.mark.skipif(not (SHARED / "police").exists(), reason="../shared not available")
def test_the_whole_scraped_list():
    content = (SHARED / "police/misdaad_in_kaart_woninginbraak_pc4_2023_2026.csv").read_bytes()
    table = read_table("misdaad.csv", content)
    counts, duplicates = independent_counts(content)
    assert table.duplicates_dropped == duplicates == 2508
    assert table.rows_read == 64185
    assert sum(item.value for item in table.observations) == 64185 - 2508
    found = {(o.measure, o.region, o.period): int(o.value) for o in table.observations}
    assert found == dict(counts)
