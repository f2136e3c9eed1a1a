"""GeoJSON with CBS region properties (statcode/statnaam, or the gemeente/wijk/buurt codes of
the CBS wijken-en-buurten layers) and numeric properties as measures. Geometry is not read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    title = str(data.get("name") or data.get("title") or stem(name))
    reader = _FeatureReader(default_period=single_year(title, stem(name)) or "")
    total = len(features)
    for index, feature in enumerate(features, start=1):
        if progress and index % 5000 == 0:
            progress(index, total)
        reader.read_feature(feature, f"feature {index}")
    if progress:
        progress(total, total)
    if not reader.observations and not reader.problems.items:
        raise UnreadableFile("Dit GeoJSON-bestand bevat geen gebieden met cijfers.")
    return ParsedTable(
        format="geojson",
        table_id=find_table_id(title, stem(name), title=title),
        title=title,
        observations=reader.observations,
        unparsed=reader.problems.result(),
        rows_read=total,
        missing_values=reader.missing,
    )


def _first_value(properties: dict, by_key: dict[str, str], keys, accept) -> str:
    """The first of `keys` (compact keys) whose property value `accept` turns into text."""
    for key in keys:
        if key in by_key and (found := accept(properties[by_key[key]])):
            return found
    return ""


def _name(value: object) -> str:
    return str(value or "").strip()


@dataclass
class _FeatureReader:
    """Turns the number properties of each feature into observations of its area and year."""

    default_period: str
    problems: Problems = field(default_factory=Problems)
    observations: list[Observation] = field(default_factory=list)
    missing: int = 0
    reported: set[str] = field(default_factory=set)  # text properties reported once per key

    def read_feature(self, feature: object, where: str) -> None:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            self.problems.add(where, "feature zonder eigenschappen (properties)")
            return
        by_key = {compact_key(key): key for key in properties}
        code = _first_value(properties, by_key, CODE_KEYS, region_code)
        region = _first_value(properties, by_key, NAME_KEYS, _name)
        if not region and not code:
            self.problems.add(where, "geen gebiedscode (statcode) of gebiedsnaam (statnaam)")
            return
        period = self._period(properties, by_key)
        if not period:
            self.problems.add(where, "geen jaar (jrstatcode of jaar) bij dit gebied")
            return
        kind = self._kind(properties, by_key, code, region)
        used = {by_key.get(key) for key in (*CODE_KEYS, *NAME_KEYS, *PERIOD_KEYS)}
        for key, raw in properties.items():
            if key not in used and compact_key(key) not in SKIP_KEYS:
                self._read_property(key, raw, where, region or code, code, kind, period)

    def _period(self, properties: dict, by_key: dict[str, str]) -> str:
        jrstatcode = str(properties.get(by_key.get("jrstatcode", ""), "") or "")
        if re.match(r"^\d{4}", jrstatcode):
            return jrstatcode[:4]
        period = _first_value(
            properties, by_key, PERIOD_KEYS, lambda value: normalise_period(value) or ""
        )
        return period or self.default_period

    @staticmethod
    def _kind(properties: dict, by_key: dict[str, str], code: str, region: str) -> str:
        kind = kind_of_code(code) if code else ""
        if not kind and "rubriek" in by_key:
            kind = RUBRIEK_KINDS.get(str(properties[by_key["rubriek"]]).strip().lower(), "")
        return kind or region_kind(region)

    def _read_property(self, key, raw, where, region, code, kind, period) -> None:
        if isinstance(raw, str):
            normal = compact_key(key)
            if normal not in self.reported and not region_code(raw):
                self.reported.add(normal)
                self.problems.add(where, f"eigenschap '{key}' is tekst en is niet ingelezen")
            return
        try:
            value = number_from_json(raw)
        except ValueError:
            self.problems.add(f"{where}, {key}", f"geen getal: {raw!r}")
            return
        if value is None:
            self.missing += 1
            return
        self.observations.append(
            Observation(
                measure=key,
                region=region,
                region_code=code,
                region_kind=kind,
                period=period,
                value=value,
                unit=guess_unit(key),
                position=f"{where}, {key}",
            )
        )
