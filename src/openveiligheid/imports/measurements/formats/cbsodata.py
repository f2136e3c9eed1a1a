"""The long format written by the cbsodata clients (R `cbsodata`/`cbsodata4`, and tables saved
from them as CSV).

Their definition: every dimension is a column of CBS codes (``Perioden`` = ``2023JJ00``,
``2023HJ01``, ``2023KW03``, ``2023MM05``; ``WijkenEnBuurten``/``RegioS`` = ``GM0200``,
``WK020001``, ``BU02000101``, padded with spaces; ``SoortMisdrijf`` = ``1.1.1``) and, when labels
were added, a ``<dimension>_label`` column beside it. The measures are either

- one column per topic (cbsodata: ``GeregistreerdeMisdrijven_1``), or
- long: a ``Measure`` column (with ``Measure_label``) and a ``Value`` column, optionally
  ``ValueAttribute`` and ``Unit`` (cbsodata4).

Columns the clients add for convenience (``ID``/``Id``, ``Perioden_Date``, ``Perioden_freq``)
are skipped. A dimension other than period and region becomes part of the measure name
("Geregistreerde misdrijven; Winkeldiefstal"), unless its value is the total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openveiligheid.core.text import compact_key

from ..base import Observation, ParsedTable, Problems, UnreadableFile
from ..common import (
    column_letter,
    csv_rows,
    find_table_id,
    guess_unit,
    is_total,
    kind_of_code,
    normalise_period,
    parse_value,
    region_code,
    region_kind,
    sniff_delimiter,
    stem,
)

LABEL_SUFFIX = "_label"
PERIOD_KEYS = {"perioden", "periode", "periods"}
GEO_KEYS = {"regios", "wijkenenbuurten", "gemeenten", "regio", "regioindeling", "gemeente"}
SKIP_KEYS = {"id", "valueattribute", "unnamed0", ""}
CONVENIENCE_SUFFIXES = ("_date", "_freq")
TOPIC_KEY = re.compile(r"_\d+$")
# ValueAttribute values that say the cell has no figure (cbsodata4).
NO_FIGURE = {"missing", "impossible", "confidential", "none", "."}


def looks_like_cbsodata(header: list[str], first_rows: list[list[str]]) -> bool:
    """A header with at least one ``X``/``X_label`` pair and a period column of CBS codes."""
    names = [cell.strip() for cell in header]
    pairs = [name for name in names if name and f"{name}{LABEL_SUFFIX}" in names]
    if not pairs:
        return False
    period_at = _period_column(names, first_rows)
    return period_at is not None


def _period_column(names: list[str], rows: list[list[str]]) -> int | None:
    for index, name in enumerate(names):
        if compact_key(name) in PERIOD_KEYS:
            return index
    for index, _name in enumerate(names):
        values = [row[index] for row in rows[:20] if index < len(row) and row[index].strip()]
        if values and all(re.fullmatch(r"\d{4}[A-Z]{2}\d{2}", v.strip()) for v in values):
            return index
    return None


@dataclass
class _Layout:
    period: int
    region: int | None
    region_label: int | None
    dimensions: list[tuple[int, int | None]]  # (code column, label column)
    topics: list[int]
    measure: int | None = None
    measure_label: int | None = None
    value: int | None = None
    value_attribute: int | None = None
    unit: int | None = None
    labels: dict[int, str] = field(default_factory=dict)


def _layout(names: list[str], rows: list[list[str]]) -> _Layout:
    keys = [compact_key(name) for name in names]
    by_name = {name: index for index, name in enumerate(names)}
    label_of = {
        index: by_name.get(f"{name}{LABEL_SUFFIX}")
        for index, name in enumerate(names)
        if not name.endswith(LABEL_SUFFIX)
    }
    period = _period_column(names, rows)
    region = next((i for i, key in enumerate(keys) if key in GEO_KEYS), None)
    if region is None:
        region = _code_column(names, rows, label_of)
    layout = _Layout(
        period=period,
        region=region,
        region_label=label_of.get(region) if region is not None else None,
        dimensions=[],
        topics=[],
    )
    long = "measure" in keys and "value" in keys
    if long:
        layout.measure, layout.value = keys.index("measure"), keys.index("value")
        layout.measure_label = label_of.get(layout.measure)
        layout.value_attribute = keys.index("valueattribute") if "valueattribute" in keys else None
        layout.unit = keys.index("unit") if "unit" in keys else None
    used = {period, region, layout.measure, layout.value, layout.value_attribute, layout.unit}
    for index, name in enumerate(names):
        if index in used or keys[index] in SKIP_KEYS or name.endswith(LABEL_SUFFIX):
            continue
        if name.lower().endswith(CONVENIENCE_SUFFIXES) and name[:-5] in by_name:
            continue
        if label_of.get(index) is not None:
            layout.dimensions.append((index, label_of[index]))
        elif not long and (TOPIC_KEY.search(name) or _numeric(rows, index)):
            layout.topics.append(index)
        elif not long:
            layout.dimensions.append((index, None))
    return layout


def _code_column(names, rows, label_of) -> int | None:
    """The dimension whose codes are CBS region codes (a table may name it anything)."""
    for index in label_of:
        values = [row[index] for row in rows[:20] if index < len(row) and row[index].strip()]
        if values and all(region_code(value) for value in values):
            return index
    return None


def _numeric(rows: list[list[str]], index: int) -> bool:
    values = [row[index] for row in rows[:20] if index < len(row) and row[index].strip()]
    try:
        return bool(values) and all(parse_value(value, False) is not None for value in values)
    except ValueError:
        return False


def read_cbsodata(name: str, text: str, progress=None) -> ParsedTable:
    delimiter = sniff_delimiter(text[:20000])
    # Semicolon files come from Dutch spreadsheet settings (write.csv2): decimal comma.
    decimal_comma = delimiter == ";"
    rows = csv_rows(text, delimiter)
    start = next(
        (i for i, (_line, cells) in enumerate(rows) if any(c.strip() for c in cells)), None
    )
    if start is None:
        raise UnreadableFile("Het bestand is leeg.")
    names = [cell.strip() for cell in rows[start][1]]
    body = [(line, cells) for line, cells in rows[start + 1 :] if any(c.strip() for c in cells)]
    layout = _layout(names, [cells for _line, cells in body[:50]])
    if layout.period is None:
        raise UnreadableFile("Deze cbsodata-tabel heeft geen kolom 'Perioden'.")
    if layout.region is None:
        raise UnreadableFile(
            "Deze cbsodata-tabel heeft geen gebiedskolom (RegioS of WijkenEnBuurten) met "
            "CBS-gebiedscodes."
        )
    if layout.measure is None and not layout.topics:
        raise UnreadableFile("Deze cbsodata-tabel heeft geen kolommen met cijfers.")
    reader = _RowReader(names, layout, decimal_comma)
    total = len(body)
    for done, (line, cells) in enumerate(body, start=1):
        if progress and done % 10000 == 0:
            progress(done, total)
        reader.read_row(line, cells)
    if progress:
        progress(total, total)
    title = stem(name)
    return ParsedTable(
        format="cbsodata_csv",
        table_id=find_table_id(name, title=title),
        title=title,
        observations=reader.observations,
        unparsed=reader.problems.result(),
        rows_read=total,
        missing_values=reader.missing,
    )


@dataclass
class _RowReader:
    names: list[str]
    layout: _Layout
    decimal_comma: bool
    problems: Problems = field(default_factory=Problems)
    observations: list[Observation] = field(default_factory=list)
    missing: int = 0

    @staticmethod
    def _cell(cells: list[str], index: int | None) -> str:
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def _where(self, line: int, index: int | None = None) -> str:
        if index is None:
            return f"regel {line}"
        return f"regel {line}, kolom {column_letter(index)} ({self.names[index]})"

    def read_row(self, line: int, cells: list[str]) -> None:
        layout = self.layout
        period_text = self._cell(cells, layout.period)
        period = normalise_period(period_text)
        if not period:
            self.problems.add(
                self._where(line, layout.period), f"onbekende periode '{period_text}'"
            )
            return
        raw_region = self._cell(cells, layout.region)
        code = region_code(raw_region)
        region = self._cell(cells, layout.region_label) or raw_region
        kind = kind_of_code(code) if code else region_kind(region)
        if not region:
            self.problems.add(self._where(line, layout.region), "regel zonder gebied")
            return
        qualifiers = []
        for code_at, label_at in layout.dimensions:
            raw = self._cell(cells, code_at)
            label = self._cell(cells, label_at) or raw
            if label and not is_total(label) and not is_total(raw):
                qualifiers.append(label)
        if layout.measure is not None:
            measure = self._cell(cells, layout.measure_label) or self._cell(cells, layout.measure)
            attribute = self._cell(cells, layout.value_attribute).lower()
            unit_text = self._cell(cells, layout.unit)
            self._add(
                line,
                layout.value,
                cells,
                measure,
                unit_text,
                qualifiers,
                attribute,
                (region, code, kind, period),
            )
        else:
            for index in layout.topics:
                self._add(
                    line,
                    index,
                    cells,
                    self.names[index],
                    "",
                    qualifiers,
                    "",
                    (region, code, kind, period),
                )

    def _add(self, line, index, cells, measure, unit_text, qualifiers, attribute, where_what):
        region, code, kind, period = where_what
        raw = self._cell(cells, index)
        if attribute in NO_FIGURE and attribute != "none":
            self.missing += 1
            return
        try:
            value, percent = parse_value(raw, self.decimal_comma)
        except ValueError:
            self.problems.add(self._where(line, index), f"geen getal: {raw!r}")
            return
        if value is None:
            self.missing += 1
            return
        name = f"{measure}; {'; '.join(qualifiers)}" if qualifiers else measure
        self.observations.append(
            Observation(
                measure=name,
                region=region,
                region_code=code,
                region_kind=kind,
                period=period,
                value=value,
                unit="percentage" if percent else guess_unit(unit_text, measure),
                position=self._where(line, index),
            )
        )
