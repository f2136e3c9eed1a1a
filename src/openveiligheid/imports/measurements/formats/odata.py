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
    problems = Problems()
    infos = _table(data.get("TableInfos"))
    title = str(infos[0].get("Title", "")) if infos else str(data.get("Title", "") or "")
    identifier = str(infos[0].get("Identifier", "")) if infos else ""
    metadata = str(data.get("odata.metadata") or data.get("@odata.context") or "")

    properties = {str(item.get("Key")): item for item in _table(data.get("DataProperties"))}
    kinds = {key: str(item.get("Type", "")) for key, item in properties.items()}
    measure_codes = {
        str(item.get("Identifier") or item.get("Key")): item
        for item in _table(data.get("MeasureCodes"))
    }

    def titles(dimension: str) -> dict[str, str]:
        resource = data.get(dimension) or data.get(f"{dimension}Codes")
        return {
            str(item.get("Key") or item.get("Identifier") or "").strip(): str(
                item.get("Title") or ""
            ).strip()
            for item in _table(resource)
        }

    dimension_titles: dict[str, dict[str, str]] = {}
    missing = 0
    observations: list[Observation] = []
    reported: set[str] = set()
    total = len(rows)
    long_format = any("Measure" in row and "Value" in row for row in rows[:5])
    for index, row in enumerate(rows):
        if progress and (index + 1) % 10000 == 0:
            progress(index + 1, total)
        where = f"value[{index}]"
        region = code = period_text = ""
        qualifiers: list[str] = []
        measures: list[tuple[str, object]] = []
        for key, raw in row.items():
            normal = compact_key(key)
            if normal in SKIP_KEYS or key.startswith("odata") or key.startswith("@"):
                continue
            kind = kinds.get(key, "")
            if long_format and key in ("Measure", "Value"):
                continue
            if kind == "TimeDimension" or normal == "perioden":
                period_text = str(raw or "").strip()
                continue
            if kind == "GeoDimension" or normal in GEO_KEYS:
                raw_key = str(raw or "").strip()
                code = region_code(raw_key)
                if key not in dimension_titles:
                    dimension_titles[key] = titles(key)
                region = dimension_titles[key].get(raw_key) or raw_key
                continue
            is_dimension = kind == "Dimension" or (
                not kind and isinstance(raw, str) and not TOPIC_KEY.search(key)
            )
            if is_dimension:
                raw_key = str(raw or "").strip()
                if key not in dimension_titles:
                    dimension_titles[key] = titles(key)
                label = dimension_titles[key].get(raw_key) or raw_key
                if label and not is_total(label) and not is_total(raw_key):
                    qualifiers.append(label)
                continue
            if isinstance(raw, str):
                if key not in reported:
                    reported.add(key)
                    problems.add(f"{where}.{key}", f"tekstonderwerp '{key}' is niet ingelezen")
                continue
            measures.append((key, raw))
        if long_format:
            measure_key = str(row.get("Measure", ""))
            measures = [(measure_key, row.get("Value"))]
        period = normalise_period(period_text)
        if not period:
            problems.add(where, f"onbekende periode '{period_text}'")
            continue
        if not region:
            problems.add(where, "regel zonder gebied (RegioS)")
            continue
        kind = kind_of_code(code) if code else region_kind(region)
        for key, raw in measures:
            position = f"{where}.{key}" if not long_format else f"{where}.Value"
            try:
                value = number_from_json(raw)
            except ValueError:
                problems.add(position, f"geen getal: {raw!r}")
                continue
            if value is None:
                missing += 1
                continue
            info = properties.get(key) or measure_codes.get(key) or {}
            measure = str(info.get("Title") or key).strip()
            if qualifiers:
                measure = f"{measure}; {'; '.join(qualifiers)}"
            observations.append(
                Observation(
                    measure=measure,
                    region=region,
                    region_code=code,
                    region_kind=kind,
                    period=period,
                    value=value,
                    unit=guess_unit(str(info.get("Unit") or ""), key, measure),
                    position=position,
                )
            )
    if progress:
        progress(total, total)
    return ParsedTable(
        format="cbs_odata_json",
        table_id=identifier or find_table_id(metadata, title, stem(name), title=title),
        title=title,
        observations=observations,
        unparsed=problems.result(),
        rows_read=total,
        missing_values=missing,
    )
