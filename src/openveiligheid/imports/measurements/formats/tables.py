"""Plain tables: CBS typed CSV, derived CSV files and survey tables (CSV or one XLSX sheet).

A plain table has one header row (or a few, when cells of the top row span several columns)
and one row per observation unit. The reader finds the roles of the columns from their
headings and their values:

- a region: a column of names ("RegioS", "naam", "wijk", "VMgebiednaamDEF"), of CBS codes
  (GM0200, WK020001, BU02000000, or a 4-digit "gemeentecode"/"nummer" column) or of postcodes;
- a period: "Perioden", "jaar", "year" - or the year is in the column headings
  ("Onveiligheidsgevoelens 2023", or the headings are years and an indicator column names the
  measure) - or the one year in the title, sheet name or file name;
- dimensions: "SoortMisdrijf", "indicator", "onderwerp" ... In the long format (area, year,
  indicator, value) the indicator is the measure; otherwise a dimension value that is not a
  total is added to the measure name ("TotaalGeregistreerdeMisdrijven_1; Woninginbraak");
- measures: every other column with numbers. Identifier columns ("id", "...nr") and other text
  columns are not read, and each of them is reported once in `unparsed`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from openveiligheid.core.text import compact_key

from ..base import (
    COUNTRY,
    MUNICIPALITY,
    POSTCODE,
    Observation,
    ParsedTable,
    Problems,
    UnreadableFile,
)
from ..common import (
    MISSING_MARKERS,
    clean_decimal,
    find_table_id,
    guess_unit,
    is_total,
    kind_hint_from_title,
    normalise_period,
    parse_value,
    region_code,
    region_kind,
    single_year,
    stem,
)

PERIOD_KEYS = {"jaar", "year", "perioden", "periode", "period", "peiljaar", "jaartal", "meetjaar"}
INDICATOR_KEYS = {
    "indicator",
    "indicatoren",
    "onderwerp",
    "onderwerpen",
    "vraag",
    "thema",
    "maat",
    "measure",
    "variabele",
    "kenmerk",
    "incidenttypecode",
    "incidenttype",
    "soort",
    "type",
    "categorie",
    "omschrijving",
    "item",
    "indicatornaam",
}
DIMENSION_KEYS = {
    "soortmisdrijf",
    "soortoverlast",
    "soortregio",
    "geslacht",
    "leeftijd",
    "kenmerkenpersonen",
    "delict",
    "misdrijf",
    "subcategorie",
}
REGION_WORDS = ("regio", "gemeente", "naam", "name", "gebied", "wijk", "buurt", "stadsdeel")
REGION_WORDS_EXTRA = ("area", "plaats", "locatie", "statnaam")
CODE_HEADER_KEYS = {
    "gemeentecode",
    "gemcode",
    "gmcode",
    "gemeentenummer",
    "cbscode",
    "nummer",
    "statcode",
    "regiocode",
    "code",
}
POSTCODE_KEYS = {"postcode", "pc4", "pc", "postcodegebied", "postcode4"}
CBS_TYPED_KEYS = {"regios", "perioden", "wijkenenbuurten", "soortmisdrijf", "soortoverlast"}
IDENTIFIER = re.compile(
    r"^(id|nr|no|fid|objectid|index|rownr|volgnummer|v\d+|)$|(nr|_id|id)$", re.I
)
CBS_TOPIC_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*_\d+$")
CODE_LIKE = re.compile(r"^[A-Z]{0,3}\d+[A-Z]?$")
PC4 = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})?$")
NATIONAL = re.compile(r"(^|[^a-z])(nl|nederland|landelijk|national)([^a-z]|$)", re.I)
FOOTNOTE = re.compile(r"^\s*(bron\b|©|copyright|centraal bureau voor de statistiek)", re.I)
YEAR_TOKEN = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


@dataclass
class Grid:
    """Cells of one table: text, or Decimal for numbers already typed (XLSX)."""

    rows: list[tuple[int, list[object]]]
    where: object  # callable (line, column index) -> position text
    decimal_comma: bool
    sheet: str = ""
    percent_cells: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class Layout:
    header_lines: list[int]
    labels: list[str]
    data: list[tuple[int, list[object]]]
    title: str
    notes: list[tuple[int, str]]
    region: int | None = None
    code: int | None = None
    code_prefix: str = ""
    postcode: int | None = None
    period: int | None = None
    dimensions: list[int] = field(default_factory=list)
    indicator: int | None = None
    measures: list[int] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)
    column_periods: dict[int, str] = field(default_factory=dict)
    column_measures: dict[int, str] = field(default_factory=dict)
    decimal_comma: dict[int, bool] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return [compact_key(label) for label in self.labels]

    def looks_cbs(self) -> bool:
        keys = set(self.keys)
        return bool(
            keys & CBS_TYPED_KEYS
            or any(CBS_TOPIC_KEY.match(label) for label in self.labels)
            or self.code is not None
        )


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return str(clean_decimal(cell))
    return str(cell).strip()


def _is_number(cell: object) -> bool:
    if isinstance(cell, Decimal):
        return True
    text = _text(cell)
    if not text or text in MISSING_MARKERS:
        return False
    try:
        return parse_value(text, decimal_comma=True)[0] is not None
    except ValueError:
        return False


def _header_like(cells: list[object]) -> bool:
    filled = [cell for cell in cells if _text(cell)]
    if len(filled) < 2:
        return False
    has_text = False
    for cell in filled:
        if _is_number(cell):
            if not normalise_period(cell if isinstance(cell, Decimal) else _text(cell)):
                return False
        elif not normalise_period(_text(cell)):
            has_text = True
    return has_text


def _label_period(label: str) -> tuple[str, str]:
    """("Onveiligheidsgevoelens", "2023") from "Onveiligheidsgevoelens 2023"; ("", "2023-Q1")
    from a heading that is only a period; ("", "") when there is no year in it."""
    period = normalise_period(label)
    if period:
        return "", period
    years = YEAR_TOKEN.findall(label)
    if len(years) != 1:
        return label, ""
    rest = YEAR_TOKEN.sub(" ", label)
    rest = re.sub(r"\(\s*\)|\[\s*\]", " ", rest)
    rest = re.sub(r"[\s_\-–,:]+$|^[\s_\-–,:]+", "", " ".join(rest.split()))
    return (rest, years[0]) if rest else (label, "")


def analyse(grid: Grid, name: str, sample: int | None = None) -> Layout:
    """Find the title, the header rows (up to three, for headings that span columns), the data
    rows and the role of every column. `sample` limits the rows looked at (for detection)."""
    rows = grid.rows if sample is None else grid.rows[:sample]
    title, notes, start = _title_block(rows)
    if start is None:
        raise UnreadableFile(
            "Geen kopregel met kolomnamen gevonden. Zet de namen van de kolommen (gebied, jaar, "
            "indicatoren) in de eerste regel van de tabel."
        )
    header = _header_rows(rows, start)
    labels = _header_labels(header)
    data = _data_rows(grid.rows[start + len(header) :], len(labels), sample, notes)
    if not data:
        raise UnreadableFile("De tabel heeft kolomnamen maar geen regels met cijfers eronder.")
    layout = Layout([line for line, _cells in header], labels, data, title, notes)
    _classify(layout, grid, name)
    return layout


def _title_block(rows) -> tuple[str, list[tuple[int, str]], int | None]:
    """The title and notes above the table (single text cells) and the index of the first
    header row (None when no row looks like one)."""
    title = ""
    notes: list[tuple[int, str]] = []
    for index, (line, cells) in enumerate(rows):
        filled = [_text(cell) for cell in cells if _text(cell)]
        if not filled:
            continue
        if _header_like(cells):
            return title, notes, index
        if len(filled) != 1 or _is_number(filled[0]):
            break
        if not title:
            title = filled[0]
        elif not FOOTNOTE.match(filled[0]):
            notes.append((line, filled[0]))
    return title, notes, None


def _header_rows(rows, start: int) -> list[tuple[int, list[object]]]:
    """The header row at `start` and up to two more below it that continue it: header-like
    rows under gaps of the row above (spanning headings) or without a label of their own."""
    header = [rows[start]]
    for line, cells in rows[start + 1 :]:
        if len(header) >= 3:
            break
        previous = header[-1][1]
        gaps = any(
            not _text(previous[i]) if i < len(previous) else True
            for i in range(1, len(cells))
            if _text(cells[i])
        )
        if not (_header_like(cells) and (gaps or not _text(cells[0] if cells else ""))):
            break
        header.append((line, cells))
    return header


def _header_labels(header) -> list[str]:
    """One label per column: the texts of the header rows joined with " - ", where a heading
    that spans several columns (empty cells to its right, above the last row) counts for each."""
    width = max(len(cells) for _line, cells in header)
    filled_rows = []
    for depth, (_line, cells) in enumerate(header):
        texts = [_text(cells[i]) if i < len(cells) else "" for i in range(width)]
        if depth < len(header) - 1:
            _carry_right(texts)
        filled_rows.append(texts)
    labels = []
    for i in range(width):
        parts = []
        for texts in filled_rows:
            if texts[i] and texts[i] not in parts:
                parts.append(texts[i])
        labels.append(" - ".join(parts))
    return labels


def _carry_right(texts: list[str]) -> None:
    carry = ""
    for i, text in enumerate(texts):
        if text:
            carry = text
        elif carry and i > 0:
            texts[i] = carry


def _data_rows(rows, width: int, sample: int | None, notes: list[tuple[int, str]]):
    """The rows with data; a row with a single text is a note (footnotes are left out)."""
    data = []
    for line, cells in rows:
        filled = [_text(cell) for cell in cells if _text(cell)]
        if not filled:
            continue
        if len(filled) == 1 and _text(cells[0]) and not _is_number(cells[0]) and width > 2:
            if not FOOTNOTE.match(filled[0]):
                notes.append((line, filled[0]))
            continue
        data.append((line, cells))
        if sample is not None and len(data) >= sample:
            break
    return data


def _column_values(layout: Layout, column: int) -> list[object]:
    values = []
    for _line, cells in layout.data:
        if column < len(cells) and _text(cells[column]) not in MISSING_MARKERS:
            values.append(cells[column])
    return values


def _name_score(values: list[object]) -> float:
    texts = [_text(value) for value in values[:500]]
    if not texts:
        return 0.0
    good = sum(
        1
        for text in texts
        if re.search(r"[a-zà-ÿ]", text) and not CODE_LIKE.match(text) and len(text) > 2
    )
    spaced = sum(1 for text in texts if re.search(r"[ \-']", text.strip()))
    return good / len(texts) + 0.5 * spaced / len(texts)


def _classify(layout: Layout, grid: Grid, name: str) -> None:
    """Give every column its role: region code, postcode, period, dimension, indicator, region
    name, measure (numbers) or ignored."""
    text_columns: list[int] = []
    numeric_columns: list[int] = []
    for column, key in enumerate(layout.keys):
        values = _column_values(layout, column)
        if not values and not layout.labels[column]:
            continue
        if _claim_key_column(layout, column, key, values):
            continue
        if not values:
            layout.ignored.append((column, "lege kolom"))
        elif sum(1 for value in values if _is_number(value)) < 0.5 * len(values):
            text_columns.append(column)
        elif _is_identifier(key, layout.labels[column], values):
            layout.ignored.append((column, "volgnummer of sleutel"))
        else:
            numeric_columns.append(column)
    text_columns = _take_dimensions(layout, text_columns)
    _take_region(layout, text_columns)
    _read_headings(layout, grid, numeric_columns)
    layout.measures = numeric_columns


def _claim_key_column(layout: Layout, column: int, key: str, values: list[object]) -> bool:
    """Take the column as the region code, postcode or period column when its values are
    those; True when taken."""
    if not values:
        return False
    texts = [_text(value) for value in values]
    if layout.code is None and all(region_code(text) for text in texts):
        layout.code = column
        return True
    if layout.code is None and _is_municipality_number(key, texts):
        layout.code, layout.code_prefix = column, "GM"
        return True
    is_postcode_key = key in POSTCODE_KEYS or key.startswith("postcode")
    if layout.postcode is None and is_postcode_key and all(PC4.match(text) for text in texts):
        layout.postcode = column
        return True
    if (
        layout.period is None
        and key in PERIOD_KEYS
        and sum(1 for value in values if normalise_period(value)) >= 0.9 * len(values)
    ):
        layout.period = column
        return True
    return False


def _is_municipality_number(key: str, texts: list[str]) -> bool:
    """A "gemeentecode" column of bare numbers (200 for GM0200); a column called "nummer" only
    when it writes leading zeros."""
    return (
        key in CODE_HEADER_KEYS
        and all(re.fullmatch(r"\d{1,4}", text) for text in texts)
        and (key != "nummer" or any(text.startswith("0") for text in texts))
    )


def _is_identifier(key: str, label: str, values: list[object]) -> bool:
    return bool(IDENTIFIER.search(key) or IDENTIFIER.search(label.strip())) and all(
        re.fullmatch(r"\d+", _text(value)) for value in values
    )


def _take_dimensions(layout: Layout, text_columns: list[int]) -> list[int]:
    """Mark the dimension and indicator columns among the text columns; returns the rest."""
    rest = []
    for column in text_columns:
        key = layout.keys[column]
        if key in INDICATOR_KEYS or key in DIMENSION_KEYS or key.startswith("soort"):
            layout.dimensions.append(column)
            if layout.indicator is None and key in INDICATOR_KEYS | {"soort"}:
                layout.indicator = column
        else:
            rest.append(column)
    return rest


def _take_region(layout: Layout, text_columns: list[int]) -> None:
    """The region: the text column that is most clearly a column of names; the other text
    columns are ignored."""
    best, best_score = None, 0.0
    for column in text_columns:
        key = layout.keys[column]
        score = _name_score(_column_values(layout, column))
        if any(word in key for word in REGION_WORDS):
            score += 2
        elif any(word in key for word in REGION_WORDS_EXTRA):
            score += 1
        if score > best_score:
            best, best_score = column, score
    if best is not None and (best_score >= 2 or (layout.code is None and best_score >= 1)):
        layout.region = best
    for column in text_columns:
        if column != layout.region:
            layout.ignored.append((column, "tekst, geen getallen"))


def _read_headings(layout: Layout, grid: Grid, numeric_columns: list[int]) -> None:
    """Per number column: the measure and the period its heading carries, and how it writes
    numbers."""
    for column in numeric_columns:
        label = layout.labels[column]
        measure, period = ("", "") if layout.period is not None else _label_period(label)
        if layout.period is not None or not period:
            measure, period = label, ""
        layout.column_measures[column] = measure
        if period:
            layout.column_periods[column] = period
        texts = [_text(value) for value in _column_values(layout, column)]
        layout.decimal_comma[column] = _decimal_comma(texts, grid.decimal_comma)


def _decimal_comma(texts: list[str], default: bool) -> bool:
    """Dutch numbers ("7,6", "1.234") or machine numbers ("7.6")? A comma anywhere decides
    Dutch; a dot followed by other than three digits decides machine; else the file's habit."""
    for text in texts:
        if "," in text:
            return True
    for text in texts:
        if re.fullmatch(r"-?\d+\.\d+", text) and not re.fullmatch(
            r"-?[1-9]\d{0,2}(\.\d{3})+", text
        ):
            return False
    return default


def read_grid(
    grid: Grid,
    name: str,
    format_name: str | None = None,
    progress=None,
    problems: Problems | None = None,
) -> ParsedTable:
    layout = analyse(grid, name)
    problems = problems if problems is not None else Problems()
    title = layout.title or grid.sheet or stem(name)
    table_id = find_table_id(layout.title, grid.sheet, stem(name), title=layout.title)
    fmt = format_name or ("cbs_typed_csv" if layout.looks_cbs() or table_id else "survey")
    national = _check_readable(layout, grid, name)
    default_period = single_year(layout.title, grid.sheet, stem(name)) or ""
    if layout.period is None and not layout.column_periods and not default_period:
        raise UnreadableFile(
            "Geen periode gevonden: voeg een kolom 'jaar' of 'Perioden' toe, of zet het jaar in "
            "de kolomnamen, de titel of de bestandsnaam."
        )
    _report_layout(layout, grid, problems)
    reader = _GridReader(
        layout=layout,
        grid=grid,
        title=title,
        national=national,
        default_period=default_period,
        hint=_region_hint(layout, grid, name),
        problems=problems,
    )
    total = len(layout.data)
    for number, (line, cells) in enumerate(layout.data, start=1):
        if progress and number % 10000 == 0:
            progress(number, total)
        reader.read_row(line, cells)
    if progress:
        progress(total, total)
    return ParsedTable(
        format=fmt,
        table_id=table_id,
        title=title,
        observations=reader.observations,
        unparsed=problems.result(),
        rows_read=len(layout.data),
        missing_values=reader.missing,
    )


def _check_readable(layout: Layout, grid: Grid, name: str) -> bool:
    """Refuse a table without number columns or without regions; True when the table has no
    region column but says it is about the whole country."""
    if not layout.measures:
        raise UnreadableFile(
            "Deze tabel heeft geen kolommen met getallen die Open Veiligheid als cijfers kan "
            f"inlezen (kolommen: {', '.join(label for label in layout.labels if label)})."
        )
    if layout.region is not None or layout.code is not None or layout.postcode is not None:
        return False
    if NATIONAL.search(f"{layout.title} {grid.sheet} {stem(name)}"):
        return True
    raise UnreadableFile(
        "Geen kolom met gebieden gevonden (bijvoorbeeld 'gemeente', 'wijk', 'buurt', "
        "'RegioS' of een kolom met CBS-codes). Kolommen: "
        + ", ".join(label for label in layout.labels if label)
    )


def _report_layout(layout: Layout, grid: Grid, problems: Problems) -> None:
    """Notes beside the table and the columns that are not read."""
    for line, text in layout.notes:
        problems.add(grid.where(line, None), text)
    for column, reason in sorted(layout.ignored):
        label = layout.labels[column] or f"kolom {column + 1}"
        problems.add(
            grid.where(layout.header_lines[-1], column), f"kolom '{label}' niet ingelezen: {reason}"
        )


def _region_hint(layout: Layout, grid: Grid, name: str) -> str:
    """What the title says about all regions, else municipalities when most region names end
    in "(gemeente)"."""
    hint = kind_hint_from_title(layout.title, grid.sheet, stem(name))
    if layout.region is not None and not hint:
        names = {_text(value) for value in _column_values(layout, layout.region)}
        municipal = sum(1 for text in names if re.search(r"\(gemeente\)\s*$", text, re.I))
        if names and municipal >= 0.5 * len(names):
            hint = MUNICIPALITY
    return hint


@dataclass
class _GridReader:
    """Turns the data rows of an analysed table into observations, one per number cell."""

    layout: Layout
    grid: Grid
    title: str
    national: bool
    default_period: str
    hint: str
    problems: Problems
    observations: list[Observation] = field(default_factory=list)
    missing: int = 0

    def __post_init__(self) -> None:
        self.long_format = self.layout.indicator is not None and len(self.layout.measures) == 1

    @staticmethod
    def _cell(cells: list[object], column: int | None) -> object:
        if column is None or column >= len(cells):
            return ""
        return cells[column]

    def read_row(self, line: int, cells: list[object]) -> None:
        layout = self.layout
        code, region, kind = self._region(cells)
        if not region:
            self.problems.add(self.grid.where(line, layout.region), "regel zonder gebied")
            return
        row_period = ""
        if layout.period is not None:
            raw_period = self._cell(cells, layout.period)
            row_period = normalise_period(raw_period) or ""
            if not row_period:
                self.problems.add(
                    self.grid.where(line, layout.period),
                    f"onbekende periode '{_text(raw_period)}'",
                )
                return
        indicator = _text(self._cell(cells, layout.indicator))
        qualifiers = [
            text
            for column in layout.dimensions
            if (text := _text(self._cell(cells, column)))
            and not is_total(text)
            and column != layout.indicator
        ]
        for column in layout.measures:
            read = self._value(line, column, self._cell(cells, column))
            if read is None:
                continue
            value, percent = read
            measure = self._measure(column, indicator, qualifiers)
            unit = "percentage" if percent else guess_unit(measure, layout.labels[column])
            self.observations.append(
                Observation(
                    measure=measure,
                    region=region,
                    region_code=code,
                    region_kind=kind,
                    period=row_period or layout.column_periods.get(column) or self.default_period,
                    value=value,
                    unit=unit,
                    position=self.grid.where(line, column),
                )
            )

    def _region(self, cells: list[object]) -> tuple[str, str, str]:
        """(CBS code, region text, kind of region) of a row; region "" when it has none."""
        layout = self.layout
        code = ""
        if layout.code is not None:
            raw = _text(self._cell(cells, layout.code))
            code = f"{layout.code_prefix}{raw.zfill(4)}" if layout.code_prefix else region_code(raw)
        if layout.postcode is not None:
            match = PC4.match(_text(self._cell(cells, layout.postcode)))
            return code, match.group(1) if match else "", POSTCODE
        if self.national:
            return code, "Nederland", COUNTRY
        region = _text(self._cell(cells, layout.region)) if layout.region is not None else code
        return code, region, region_kind(region, code, self.hint)

    def _value(self, line: int, column: int, raw: object) -> tuple[Decimal, bool] | None:
        """(value, is percentage) of a number cell; None (counted or reported) otherwise."""
        percent = (line, column) in self.grid.percent_cells
        if isinstance(raw, Decimal):
            value = clean_decimal(raw)
        else:
            decimal_comma = self.layout.decimal_comma.get(column, self.grid.decimal_comma)
            try:
                value, text_percent = parse_value(_text(raw), decimal_comma)
            except ValueError:
                self.problems.add(self.grid.where(line, column), f"geen getal: {_text(raw)}")
                return None
            percent = percent or text_percent
        if value is None:
            self.missing += 1
            return None
        return value, percent

    def _measure(self, column: int, indicator: str, qualifiers: list[str]) -> str:
        # The indicator column names the measure in the long format and when the column
        # heading is only a period; otherwise it qualifies the column's measure.
        heading = self.layout.column_measures.get(column, "")
        if indicator and (self.long_format or not heading):
            measure = indicator
        elif indicator and not is_total(indicator):
            measure = f"{heading}; {indicator}"
        else:
            measure = heading or self.title
        return f"{measure}; {'; '.join(qualifiers)}" if qualifiers else measure
