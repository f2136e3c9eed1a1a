"""CBS OData JSON.

Accepted shapes:

- a TypedDataSet response: ``{"odata.metadata": ".../83648NED/$metadata#...TypedDataSet",
  "value": [{"ID": 0, "SoortMisdrijf": "0.0.0 ", "RegioS": "GM0200    ", "Perioden": "2023JJ00",
  "TotaalGeregistreerdeMisdrijven_1": 6991}, ...]}``;
- a recorded bundle of the table's resources: ``{"TableInfos": ..., "DataProperties": ...,
  "TypedDataSet": ..., "RegioS": [{"Key": "GM0200    ", "Title": "Apeldoorn"}], "Perioden":
  ..., "SoortMisdrijf": ...}``, each either a list or a response with "value";
- the v4 (datasets.cbs.nl) Observations: rows with "Measure" and "Value", with "MeasureCodes"
  and dimension code lists in the bundle.

Dimension keys are resolved to titles through the dimension tables when they are present.
Measures are the topic keys (CBS topic keys end in "_<n>"), or their DataProperties title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openveiligheid.core.text import compact_key

from ..base import Observation, ParsedTable, Problems, UnreadableFile
from ..common import (
    find_table_id,
    guess_unit,
    is_total,
    kind_of_code,
    normalise_period,
    number_from_json,
    region_code,
    region_kind,
    stem,
)

GEO_KEYS = {"regios", "wijkenenbuurten", "gemeenten", "regio", "regioindeling", "gemeente"}
SKIP_KEYS = {"id", "valueattribute", "odataetag"}
TOPIC_KEY = re.compile(r"_\d+$")


def _table(resource: object) -> list[dict]:
    if isinstance(resource, dict) and isinstance(resource.get("value"), list):
        resource = resource["value"]
    if isinstance(resource, list):
        return [item for item in resource if isinstance(item, dict)]
    return []


def looks_like_odata(data: object) -> bool:
    if not isinstance(data, dict):
        return False
    rows = _table(data.get("TypedDataSet") or data.get("Observations") or data.get("value"))
    return bool(rows) and any(
        any(compact_key(key) in {"perioden", "regios", "measure"} for key in row)
        for row in rows[:5]
    )


def read_odata(name: str, data: dict, progress=None) -> ParsedTable:
    rows = _table(data.get("TypedDataSet") or data.get("Observations") or data.get("value"))
    if not rows:
        raise UnreadableFile("Dit JSON-bestand bevat geen CBS-tabelregels (TypedDataSet/value).")
    infos = _table(data.get("TableInfos"))
    title = str(infos[0].get("Title", "")) if infos else str(data.get("Title", "") or "")
    identifier = str(infos[0].get("Identifier", "")) if infos else ""
    metadata = str(data.get("odata.metadata") or data.get("@odata.context") or "")
    reader = _ODataReader(
        data=data, long_format=any("Measure" in row and "Value" in row for row in rows[:5])
    )
    total = len(rows)
    for index, row in enumerate(rows):
        if progress and (index + 1) % 10000 == 0:
            progress(index + 1, total)
        reader.read_row(row, f"value[{index}]")
    if progress:
        progress(total, total)
    return ParsedTable(
        format="cbs_odata_json",
        table_id=identifier or find_table_id(metadata, title, stem(name), title=title),
        title=title,
        observations=reader.observations,
        unparsed=reader.problems.result(),
        rows_read=total,
        missing_values=reader.missing,
    )


@dataclass
class _RowParts:
    """One row's period, region, qualifiers (other dimensions) and (measure key, raw value)s."""

    period_text: str = ""
    region: str = ""
    code: str = ""
    qualifiers: list[str] = field(default_factory=list)
    measures: list[tuple[str, object]] = field(default_factory=list)


@dataclass
class _ODataReader:
    """Reads the rows of a CBS OData table (wide: a property per measure; or long: "Measure"
    and "Value") with the titles of its dimensions and measures from the same document."""

    data: dict
    long_format: bool
    problems: Problems = field(default_factory=Problems)
    observations: list[Observation] = field(default_factory=list)
    missing: int = 0
    reported: set[str] = field(default_factory=set)  # text topics reported once per key
    dimension_titles: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.properties = {
            str(item.get("Key")): item for item in _table(self.data.get("DataProperties"))
        }
        self.kinds = {key: str(item.get("Type", "")) for key, item in self.properties.items()}
        self.measure_codes = {
            str(item.get("Identifier") or item.get("Key")): item
            for item in _table(self.data.get("MeasureCodes"))
        }

    def read_row(self, row: dict, where: str) -> None:
        parts = self._parts(row, where)
        period = normalise_period(parts.period_text)
        if not period:
            self.problems.add(where, f"onbekende periode '{parts.period_text}'")
            return
        if not parts.region:
            self.problems.add(where, "regel zonder gebied (RegioS)")
            return
        kind = kind_of_code(parts.code) if parts.code else region_kind(parts.region)
        for key, raw in parts.measures:
            position = f"{where}.Value" if self.long_format else f"{where}.{key}"
            self._read_measure(key, raw, position, parts, period, kind)

    def _parts(self, row: dict, where: str) -> _RowParts:
        parts = _RowParts()
        for key, raw in row.items():
            self._sort_cell(parts, key, raw, where)
        if self.long_format:
            parts.measures = [(str(row.get("Measure", "")), row.get("Value"))]
        return parts

    def _sort_cell(self, parts: _RowParts, key: str, raw: object, where: str) -> None:
        """Put one property of a row where it belongs: period, region, qualifier or measure."""
        normal = compact_key(key)
        if normal in SKIP_KEYS or key.startswith(("odata", "@")):
            return
        if self.long_format and key in ("Measure", "Value"):
            return
        kind = self.kinds.get(key, "")
        if kind == "TimeDimension" or normal == "perioden":
            parts.period_text = str(raw or "").strip()
        elif kind == "GeoDimension" or normal in GEO_KEYS:
            raw_key = str(raw or "").strip()
            parts.code = region_code(raw_key)
            parts.region = self._title(key, raw_key)
        elif kind == "Dimension" or (
            not kind and isinstance(raw, str) and not TOPIC_KEY.search(key)
        ):
            raw_key = str(raw or "").strip()
            label = self._title(key, raw_key)
            if label and not is_total(label) and not is_total(raw_key):
                parts.qualifiers.append(label)
        elif isinstance(raw, str):
            if key not in self.reported:
                self.reported.add(key)
                self.problems.add(f"{where}.{key}", f"tekstonderwerp '{key}' is niet ingelezen")
        else:
            parts.measures.append((key, raw))

    def _title(self, dimension: str, raw_key: str) -> str:
        """The title of a dimension value ("GM0200" -> "Apeldoorn"), else the value itself."""
        titles = self.dimension_titles.get(dimension)
        if titles is None:
            resource = self.data.get(dimension) or self.data.get(f"{dimension}Codes")
            titles = {
                str(item.get("Key") or item.get("Identifier") or "").strip(): str(
                    item.get("Title") or ""
                ).strip()
                for item in _table(resource)
            }
            self.dimension_titles[dimension] = titles
        return titles.get(raw_key) or raw_key

    def _read_measure(self, key, raw, position, parts: _RowParts, period: str, kind: str):
        try:
            value = number_from_json(raw)
        except ValueError:
            self.problems.add(position, f"geen getal: {raw!r}")
            return
        if value is None:
            self.missing += 1
            return
        info = self.properties.get(key) or self.measure_codes.get(key) or {}
        measure = str(info.get("Title") or key).strip()
        if parts.qualifiers:
            measure = f"{measure}; {'; '.join(parts.qualifiers)}"
        self.observations.append(
            Observation(
                measure=measure,
                region=parts.region,
                region_code=parts.code,
                region_kind=kind,
                period=period,
                value=value,
                unit=guess_unit(str(info.get("Unit") or ""), key, measure),
                position=position,
            )
        )
