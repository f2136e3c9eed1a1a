"""Incident lists (police "Misdaad in kaart": Postcode,Datum,Soort), counted per 4-digit
postcode area, month and type.

Such lists are scraped per area and week, so the same incident can appear more than once with
nothing to tell the copies apart: exact duplicate lines are counted once, and how many were
dropped is reported.

This is the one reader that must be fast (a national year is millions of rows; target: a
million rows in well under 10 s, see bench/import_measurements.py). Two implementations give
the same result:

- DuckDB (when installed) splits, deduplicates and groups the lines in C++ on all cores. It
  handles the common case: no quoted fields, and every row readable. Dates, postcodes and
  types are still interpreted by the Python functions below (on their distinct values, joined
  in as small tables), so both paths agree to the letter.
- Plain Python, with every step that touches all rows done by C builtins (dict.fromkeys, csv,
  map, zip, Counter). It is the fallback, and it is the one that reports bad rows with their
  line numbers, so any file with a bad row, a quote or an unusual line break goes this way.

A million rows on the 2-core development machine: DuckDB 1,8 s, plain Python 6,2 s (and three
times that when the machine is busy); see bench/RESULTS.md.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections import Counter
from decimal import Decimal
from operator import itemgetter

import duckdb

from openveiligheid.core.dutch import parse_date
from openveiligheid.core.text import compact_key

from ..base import COUNT, POSTCODE, Observation, ParsedTable, Problems, UnreadableFile
from ..common import sniff_delimiter, stem

# Tests switch this off to run the plain Python path on the same files.
USE_DUCKDB = True

POSTCODE_KEYS = ("postcode", "pc4", "pc6", "postcodegebied", "postcode4")
DATE_KEYS = (
    "datum",
    "date",
    "pleegdatum",
    "begindatum",
    "datumincident",
    "incidentdatum",
    "startdatum",
    "meldingsdatum",
    "datumtijd",
    "pleegdatumtijd",
)
TYPE_KEYS = (
    "soort",
    "type",
    "misdrijf",
    "soortmisdrijf",
    "categorie",
    "incidenttype",
    "delict",
    "omschrijving",
    "maatschappelijkeklasse",
)
PC = re.compile(r"^\s*([1-9]\d{3})\s?([A-Za-z]{2})?\s*$")


def find_columns(header: list[str]) -> tuple[int, int, int | None] | None:
    """(postcode, date, type) column indexes of an incident list header, or None."""
    keys = [compact_key(cell) for cell in header]
    postcode = next((i for i, key in enumerate(keys) if key in POSTCODE_KEYS), None)
    when = next((i for i, key in enumerate(keys) if key in DATE_KEYS), None)
    kind = next((i for i, key in enumerate(keys) if key in TYPE_KEYS), None)
    if postcode is None or when is None:
        return None
    return postcode, when, kind


COUNT_KEYS = {"aantal", "count", "waarde", "value", "totaal", "number", "aantalincidenten"}


def has_count_column(header: list[str]) -> bool:
    """A table of counts per postcode and date is not a list of incidents: its rows must not
    be counted as one incident each."""
    return any(compact_key(cell) in COUNT_KEYS for cell in header)


def month_of(text: str) -> str | None:
    """'11-07-2023' or '2023-07-11' (optionally with a time) -> '2023-07'."""
    try:
        day = parse_date(text, with_time=True)
    except ValueError:
        return None
    return f"{day.year}-{day.month:02d}"


def _pc4(text: str) -> str | None:
    match = PC.match(text)
    return match.group(1) if match else None


def _first_indexes(body: list[str], wanted: list[str]) -> dict[str, int]:
    """Index of the first occurrence in `body` of each wanted line (a dict written from the end,
    so the first occurrence is the value that stays)."""
    wanted_set = set(wanted)
    if len(wanted_set) < 1000:
        # Few groups: scan only until all are found.
        found: dict[str, int] = {}
        for index, line in enumerate(body):
            if line in wanted_set and line not in found:
                found[line] = index
                if len(found) == len(wanted_set):
                    break
        return found
    return dict(zip(reversed(body), range(len(body) - 1, -1, -1), strict=True))


def _first_lines(body: list[str], offset: int) -> dict[str, int]:
    return {
        line: index + offset
        for line, index in dict(
            zip(reversed(body), range(len(body) - 1, -1, -1), strict=True)
        ).items()
    }


# Line breaks that str.splitlines() honours but a split on "\n" does not.
_ODD_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _odd_line_breaks(text: str) -> bool:
    # Each `in` and count() is one C scan; a regex over 30 MB is several times slower.
    return any(char in text for char in _ODD_BREAKS) or text.count("\r") != text.count("\r\n")


# (measure, postcode, month, count, line number of the first row of the group)
Group = tuple[str, str, str, int, int]


def read_incidents(name: str, text: str, progress=None) -> ParsedTable:
    # Only the head is split here: the DuckDB path never needs a list of all lines.
    head = text[:200_000].splitlines()[:100]
    start = next((index for index, line in enumerate(head) if line.strip()), None)
    if start is None:
        raise UnreadableFile("Het bestand is leeg.")
    delimiter = sniff_delimiter("\n".join(head[start : start + 40]))
    header = next(csv.reader([head[start]], delimiter=delimiter))
    columns = find_columns(header)
    if columns is None:
        raise UnreadableFile(
            "Dit lijkt geen incidentenlijst: er is geen kolom 'Postcode' en 'Datum'."
        )
    problems = Problems()
    result = None
    if USE_DUCKDB:
        result = _aggregate_duckdb(text, start + 1, delimiter, columns, progress)
    if result is None:
        body = text.splitlines()[start + 1 :]
        result = _aggregate_python(body, start + 2, delimiter, columns, problems, progress)
    rows_read, duplicates, groups = result
    if duplicates:
        problems.items.insert(
            0,
            (
                "",
                f"{duplicates} dubbele regels (precies gelijk aan een eerdere regel) zijn niet "
                "meegeteld",
            ),
        )
    if not groups and not problems.items:
        raise UnreadableFile("Deze incidentenlijst bevat geen incidenten.")
    counts = {count: Decimal(count) for count in {group[3] for group in groups}}
    observations = [
        Observation(
            measure=measure,
            region=postcode,
            region_code="",
            region_kind=POSTCODE,
            period=month,
            value=counts[count],
            unit=COUNT,
            position=f"regel {line} (eerste van {count})",
        )
        for measure, postcode, month, count, line in groups
    ]
    if progress:
        progress(rows_read, rows_read)
    return ParsedTable(
        format="incidents",
        table_id="",
        title=stem(name),
        observations=observations,
        unparsed=problems.result(),
        rows_read=rows_read,
        duplicates_dropped=duplicates,
    )


def _aggregate_duckdb(
    text: str, header_line: int, delimiter: str, columns, progress
) -> tuple[int, int, list[Group]] | None:
    """The groups via DuckDB, or None when the file needs the Python path: quotes (fields
    would need CSV parsing), odd line breaks, or any row that cannot be read (the Python path
    reports those with their line)."""
    if '"' in text or _odd_line_breaks(text):
        return None
    postcode_at, date_at, type_at = columns
    needed = max(index for index in columns if index is not None) + 1
    with tempfile.TemporaryDirectory(prefix="ov-incidents-") as folder:
        path = os.path.join(folder, "incidents.txt")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        connection = duckdb.connect()
        try:
            # Lines numbered as in the file; distinct lines with their first line and copies.
            connection.execute(
                """
                CREATE TEMP TABLE distinct_lines AS
                WITH file AS (SELECT string_split(content, chr(10)) AS lines FROM read_text(?)),
                numbered AS (
                    SELECT unnest(lines) AS line, generate_subscripts(lines, 1) AS n FROM file
                ),
                body AS (
                    SELECT rtrim(line, chr(13)) AS line, n FROM numbered WHERE n > ?
                )
                SELECT string_split(line, ?) AS cells, min(n) AS first_n, count(*) AS copies
                FROM body WHERE line <> '' GROUP BY line
                """,
                [path, header_line, delimiter],
            )
            distinct, rows_read, short = connection.execute(
                "SELECT count(*), coalesce(sum(copies), 0), count(*) FILTER (len(cells) < ?) "
                "FROM distinct_lines",
                [needed],
            ).fetchone()
            if short:
                return None
            if progress:
                progress(rows_read // 3, rows_read)

            def lookup(table: str, column: int | None, parse) -> bool:
                """A table raw -> parsed for the distinct texts of one column; False when one
                of them does not parse."""
                if column is None:
                    raws, parsed = [""], ["Incidenten"]
                else:
                    raws = [
                        row[0]
                        for row in connection.execute(
                            f"SELECT DISTINCT cells[{column + 1}] FROM distinct_lines"
                        ).fetchall()
                    ]
                    parsed = [parse(raw) for raw in raws]
                    if None in parsed:
                        return False
                connection.execute(
                    f"CREATE TEMP TABLE {table} AS "
                    "SELECT unnest(?::VARCHAR[]) AS raw, unnest(?::VARCHAR[]) AS parsed",
                    [raws, parsed],
                )
                return True

            if not (
                lookup("months", date_at, month_of)
                and lookup("postcodes", postcode_at, _pc4)
                and lookup("measures", type_at, lambda raw: raw.strip() or "Incidenten")
            ):
                return None
            type_cell = "''" if type_at is None else f"d.cells[{type_at + 1}]"
            groups = connection.execute(
                f"""
                SELECT t.parsed, p.parsed, m.parsed, count(*)::INTEGER, min(d.first_n)::BIGINT
                FROM distinct_lines d
                JOIN months m ON m.raw = d.cells[{date_at + 1}]
                JOIN postcodes p ON p.raw = d.cells[{postcode_at + 1}]
                JOIN measures t ON t.raw = {type_cell}
                GROUP BY ALL
                ORDER BY 1, 2, 3
                """
            ).fetchall()
        finally:
            connection.close()
    return rows_read, rows_read - distinct, groups


def _aggregate_python(
    body: list[str], offset: int, delimiter: str, columns, problems: Problems, progress
) -> tuple[int, int, list[Group]]:
    """The groups with C builtins only; reports every row it cannot read. `offset` is the line
    number of body[0]."""
    postcode_at, date_at, type_at = columns
    needed = max(index for index in columns if index is not None) + 1
    # Distinct lines in the order of their first occurrence.
    distinct = dict.fromkeys(body)
    blank = 0
    if "" in distinct:
        blank = body.count("")
        del distinct[""]
    rows_read = len(body) - blank
    duplicates = rows_read - len(distinct)
    if progress:
        progress(0, rows_read)
    lines_distinct = list(distinct)
    del distinct
    rows = list(csv.reader(lines_distinct, delimiter=delimiter))
    if len(rows) != len(lines_distinct):  # a quoted field with a line break in it
        raise UnreadableFile(
            "Deze incidentenlijst heeft velden die over meer regels lopen; dat kan niet in een "
            "lijst met één incident per regel."
        )
    short = min(map(len, rows), default=needed) < needed
    keep = [i for i, row in enumerate(rows) if len(row) >= needed] if short else None
    kept = rows if keep is None else [rows[i] for i in keep]
    postcodes = list(map(itemgetter(postcode_at), kept))
    dates = list(map(itemgetter(date_at), kept))
    types = list(map(itemgetter(type_at), kept)) if type_at is not None else [""] * len(kept)
    positions = range(len(rows)) if keep is None else keep

    # Dates, postcodes and types repeat: parse each distinct text once.
    month_of_text = {text: month_of(text) for text in set(dates)}
    postcode_of_text = {text: _pc4(text) for text in set(postcodes)}
    measure_of_text = {text: text.strip() or "Incidenten" for text in set(types)}
    keys = list(
        zip(
            map(measure_of_text.__getitem__, types),
            map(postcode_of_text.__getitem__, postcodes),
            map(month_of_text.__getitem__, dates),
            strict=True,
        )
    )
    if short or None in postcode_of_text.values() or None in month_of_text.values():
        first_line = _first_lines(body, offset)
        good = set(positions)
        for i in range(len(rows)):
            if i not in good:
                line = lines_distinct[i]
                problems.add(f"regel {first_line[line]}", f"te weinig kolommen: {line}")
        kept_keys, kept_positions = [], []
        for key, position in zip(keys, positions, strict=True):
            line = lines_distinct[position]
            if key[1] is None:
                raw = rows[position][postcode_at]
                problems.add(f"regel {first_line[line]}", f"onbekende postcode '{raw}': {line}")
            elif key[2] is None:
                raw = rows[position][date_at]
                problems.add(f"regel {first_line[line]}", f"onbekende datum '{raw}': {line}")
            else:
                kept_keys.append(key)
                kept_positions.append(position)
        keys, positions = kept_keys, kept_positions
    counts = Counter(keys)
    if progress:
        progress(rows_read // 2, rows_read)
    # The first line of each group: the smallest distinct-line position per key (a dict keeps
    # the last value written, so write them from the end), then that line's first index.
    representative = dict(zip(reversed(keys), reversed(positions), strict=True))
    first_index = _first_indexes(body, [lines_distinct[p] for p in representative.values()])
    groups = [
        (*key, count, first_index[lines_distinct[representative[key]]] + offset)
        for key, count in sorted(counts.items())
    ]
    return rows_read, duplicates, groups
