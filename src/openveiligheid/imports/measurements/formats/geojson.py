"""GeoJSON with CBS region properties (statcode/statnaam, or the gemeente/wijk/buurt codes of
the CBS wijken-en-buurten layers) and numeric properties as measures. Geometry is not read."""

from __future__ import annotations

import re

from openveiligheid.core.text import compact_key

from ..base import Observation, ParsedTable, Problems, UnreadableFile
from ..common import (
    find_table_id,
    guess_unit,
    kind_of_code,
    normalise_period,
    number_from_json,
    region_code,
    region_kind,
    single_year,
    stem,
)

# Most specific first: a buurt feature also carries its wijk and gemeente code.
CODE_KEYS = ("statcode", "bucode", "buurtcode", "wkcode", "wijkcode", "gmcode", "gemeentecode")
NAME_KEYS = ("statnaam", "bunaam", "buurtnaam", "wknaam", "wijknaam", "gmnaam", "gemeentenaam")
PERIOD_KEYS = ("jaar", "year", "perioden", "periode", "peiljaar")
# Properties that describe the feature rather than measure it.
SKIP_KEYS = {
    "id",
    "fid",
    "gid",
    "objectid",
    "ogcfid",
    "jrstatcode",
    "rubriek",
    "regios",
    "shapearea",
    "shapelength",
    "shapeleng",
    "indwater",
    "waterindicatie",
}
RUBRIEK_KINDS = {"gemeente": "municipality", "wijk": "district", "buurt": "neighbourhood"}


def read_geojson(name: str, data: dict, progress=None) -> ParsedTable:
    features = data.get("features")
    if not isinstance(features, list):
        raise UnreadableFile("Dit GeoJSON-bestand heeft geen lijst 'features'.")
    problems = Problems()
    title = str(data.get("name") or data.get("title") or stem(name))
    default_period = single_year(title, stem(name)) or ""
    observations: list[Observation] = []
    reported: set[str] = set()
    missing = 0
    total = len(features)
    for index, feature in enumerate(features, start=1):
        if progress and index % 5000 == 0:
            progress(index, total)
        where = f"feature {index}"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            problems.add(where, "feature zonder eigenschappen (properties)")
            continue
        by_key = {compact_key(key): key for key in properties}
        code = ""
        for key in CODE_KEYS:
            if key in by_key and (found := region_code(properties[by_key[key]])):
                code = found
                break
        region = ""
        for key in NAME_KEYS:
            if key in by_key and str(properties[by_key[key]] or "").strip():
                region = str(properties[by_key[key]]).strip()
                break
        if not region and not code:
            problems.add(where, "geen gebiedscode (statcode) of gebiedsnaam (statnaam)")
            continue
        kind = kind_of_code(code) if code else ""
        if not kind and "rubriek" in by_key:
            kind = RUBRIEK_KINDS.get(str(properties[by_key["rubriek"]]).strip().lower(), "")
        if not kind:
            kind = region_kind(region)
        period = ""
        jrstatcode = str(properties.get(by_key.get("jrstatcode", ""), "") or "")
        if re.match(r"^\d{4}", jrstatcode):
            period = jrstatcode[:4]
        for key in PERIOD_KEYS:
            if not period and key in by_key:
                period = normalise_period(properties[by_key[key]]) or ""
        period = period or default_period
        if not period:
            problems.add(where, "geen jaar (jrstatcode of jaar) bij dit gebied")
            continue
        used = {by_key.get(key) for key in (*CODE_KEYS, *NAME_KEYS, *PERIOD_KEYS)}
        for key, raw in properties.items():
            normal = compact_key(key)
            if key in used or normal in SKIP_KEYS:
                continue
            if isinstance(raw, str):
                if normal not in reported and not region_code(raw):
                    reported.add(normal)
                    problems.add(where, f"eigenschap '{key}' is tekst en is niet ingelezen")
                continue
            try:
                value = number_from_json(raw)
            except ValueError:
                problems.add(f"{where}, {key}", f"geen getal: {raw!r}")
                continue
            if value is None:
                missing += 1
                continue
            observations.append(
                Observation(
                    measure=key,
                    region=region or code,
                    region_code=code,
                    region_kind=kind,
                    period=period,
                    value=value,
                    unit=guess_unit(key),
                    position=f"{where}, {key}",
                )
            )
    if progress:
        progress(total, total)
    if not observations and not problems.items:
        raise UnreadableFile("Dit GeoJSON-bestand bevat geen gebieden met cijfers.")
    return ParsedTable(
        format="geojson",
        table_id=find_table_id(title, stem(name), title=title),
        title=title,
        observations=observations,
        unparsed=problems.result(),
        rows_read=total,
        missing_values=missing,
    )
