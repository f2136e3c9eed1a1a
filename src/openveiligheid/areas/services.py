"""Loading the CBS area hierarchy (country, gemeente, wijk, buurt) from the files in data/."""

from __future__ import annotations

import csv
import datetime
import gzip
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from openveiligheid.areas.models import Area

DATA_DIR = Path(__file__).resolve().parent / "data"
CODES_FILE = DATA_DIR / "cbs_wijken_en_buurten_codes.csv.gz"
POPULATION_FILE = DATA_DIR / "cbs_85984NED_bevolking_buurt_2024.csv"
CLASSIFICATION_FILE = DATA_DIR / "cbs_gemeentelijke_indeling.csv"
POPULATION_YEAR = 2024
COUNTRY_CODE = "NL01"
COUNTRY_NAME = "Nederland"

# The fields load_areas owns; anything else on an Area (none today) is left alone.
LOADED_FIELDS = (
    "name",
    "level",
    "parent_id",
    "population",
    "population_year",
    "province",
    "valid_from",
    "valid_until",
)

Progress = Callable[[str, int, int], None]
"""progress(stage in Dutch, done, total): called after each stage of load_areas."""


@transaction.atomic
def upsert_area(*, code: str, name: str, level: str, parent: Area | None = None, **fields) -> Area:
    area, _ = Area.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, **fields}
    )
    return area


def national_area() -> Area:
    area = Area.objects.filter(code=COUNTRY_CODE).first()
    return area or upsert_area(code=COUNTRY_CODE, name=COUNTRY_NAME, level=Area.Level.COUNTRY)


@dataclass
class _Row:
    code: str
    name: str
    level: str
    parent_code: str | None
    province: str = ""
    population: int | None = None
    population_year: int | None = None
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text.strip() else None


def read_classification(path: Path = CLASSIFICATION_FILE) -> dict[str, dict]:
    """Municipalities by code (GM....) from the CBS classification, one entry per code.

    A code can have several rows (Vianen moved from Zuid-Holland to Utrecht in 2002 with the same
    code): the entry spans all of them and takes province and name from the latest row.
    """
    result: dict[str, dict] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = sorted(csv.DictReader(handle, delimiter=";"), key=lambda r: r["begindatum"])
    for row in rows:
        code = "GM" + row["gemeentecode"].strip().zfill(4)
        start, end = _date(row["begindatum"]), _date(row["einddatum"])
        entry = result.get(code)
        if entry is None:
            result[code] = {
                "name": row["gemeentenaam"].strip(),
                "province": row["provincienaam"].strip(),
                "valid_from": start,
                "valid_until": end,
            }
            continue
        entry["name"] = row["gemeentenaam"].strip()
        entry["province"] = row["provincienaam"].strip()
        entry["valid_from"] = min(filter(None, (entry["valid_from"], start)), default=None)
        entry["valid_until"] = None if end is None else max(entry["valid_until"] or end, end)
    return result


def read_codes(path: Path = CODES_FILE) -> list[dict[str, str]]:
    """The CBS code list (gzip-compressed CSV); codes are stripped of their padding."""
    with gzip.open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return [
            {
                "code": row["Key"].strip(),
                "name": row["Title"].strip(),
                "municipality": row["Municipality"].strip(),
            }
            for row in csv.DictReader(text)
        ]


def read_population(path: Path = POPULATION_FILE) -> dict[str, int]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {
            row["nhood_id"].strip(): int(row["population"])
            for row in csv.DictReader(handle)
            if row["population"].strip()
        }


def _build_rows() -> list[_Row]:
    classification = read_classification()
    population = read_population()
    codes = read_codes()
    rows: dict[str, _Row] = {
        COUNTRY_CODE: _Row(COUNTRY_CODE, COUNTRY_NAME, Area.Level.COUNTRY, None)
    }
    for item in codes:
        code = item["code"]
        prefix = code[:2]
        if prefix == "GM":
            info = classification.get(code, {})
            rows[code] = _Row(
                code,
                item["name"],
                Area.Level.MUNICIPALITY,
                COUNTRY_CODE,
                province=info.get("province", ""),
                valid_from=info.get("valid_from"),
                valid_until=info.get("valid_until"),
            )
        elif prefix == "WK":
            rows[code] = _Row(code, item["name"], Area.Level.DISTRICT, item["municipality"])
        elif prefix == "BU":
            rows[code] = _Row(
                code,
                item["name"],
                Area.Level.NEIGHBOURHOOD,
                "WK" + code[2:8],
                population=population.get(code),
                population_year=POPULATION_YEAR if code in population else None,
            )
    # Historic municipalities: in the classification, no longer in the current code list.
    for code, info in classification.items():
        if code not in rows:
            rows[code] = _Row(
                code,
                info["name"],
                Area.Level.MUNICIPALITY,
                COUNTRY_CODE,
                **{key: info[key] for key in ("province", "valid_from", "valid_until")},
            )
    # Wijken and buurten get the province of their municipality; population rolls up from the
    # buurten (CBS's own municipal totals are the same sums).
    totals: dict[str, int] = defaultdict(int)
    for level in (Area.Level.NEIGHBOURHOOD, Area.Level.DISTRICT, Area.Level.MUNICIPALITY):
        for row in rows.values():
            if row.level != level:
                continue
            if row.population is None and row.code in totals:
                row.population, row.population_year = totals[row.code], POPULATION_YEAR
            if row.population is not None and row.parent_code:
                totals[row.parent_code] += row.population
    country = rows[COUNTRY_CODE]
    country.population, country.population_year = totals[COUNTRY_CODE], POPULATION_YEAR
    for row in rows.values():
        if row.level == Area.Level.DISTRICT:
            row.province = rows[row.parent_code].province
    for row in rows.values():
        if row.level == Area.Level.NEIGHBOURHOOD:
            row.province = rows[row.parent_code].province
    return list(rows.values())


LEVEL_ORDER = (
    Area.Level.COUNTRY,
    Area.Level.MUNICIPALITY,
    Area.Level.DISTRICT,
    Area.Level.NEIGHBOURHOOD,
)


def _update(areas: list[Area]) -> None:
    """Write LOADED_FIELDS of many areas: one prepared UPDATE per row, sent with executemany.

    bulk_update builds CASE expressions that grow with the batch: on PostgreSQL updating all
    18.759 areas took 40 s that way, against about a second like this.
    """
    if not areas:
        return
    ops = connection.ops
    columns = [Area._meta.get_field(name).column for name in LOADED_FIELDS]
    assignments = ", ".join(f"{ops.quote_name(column)} = %s" for column in columns)
    sql = f"UPDATE {ops.quote_name(Area._meta.db_table)} SET {assignments} WHERE id = %s"
    dates = {"valid_from", "valid_until"}
    params = [
        [
            ops.adapt_datefield_value(getattr(area, name)) if name in dates else getattr(area, name)
            for name in LOADED_FIELDS
        ]
        + [area.id]
        for area in areas
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@transaction.atomic
def load_areas(progress: Progress | None = None) -> dict[str, int]:
    """Create or update the CBS area hierarchy from the files in areas/data/. Idempotent.

    Returns counts: per level in the files (country, municipalities - current ones including
    "Gemeente onbekend" - historic_municipalities, districts, neighbourhoods), and what changed in
    the database (created, updated, unchanged). Areas not in the files are left alone.
    """
    rows = _build_rows()
    total = len(rows)
    existing = {
        values[0]: values
        for values in Area.objects.filter(code__in=[r.code for r in rows]).values_list(
            "code", "id", *LOADED_FIELDS
        )
    }
    ids = {code: values[1] for code, values in existing.items()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    done = 0
    stage_names = {
        Area.Level.COUNTRY: "land",
        Area.Level.MUNICIPALITY: "gemeenten",
        Area.Level.DISTRICT: "wijken",
        Area.Level.NEIGHBOURHOOD: "buurten",
    }
    # Level by level, so that every parent has its id before its children are written.
    for level in LEVEL_ORDER:
        to_create, to_update = [], []
        for row in (r for r in rows if r.level == level):
            fields = {
                "name": row.name,
                "level": row.level,
                "parent_id": ids[row.parent_code] if row.parent_code else None,
                "population": row.population,
                "population_year": row.population_year,
                "province": row.province,
                "valid_from": row.valid_from,
                "valid_until": row.valid_until,
            }
            current = existing.get(row.code)
            if current is None:
                to_create.append(Area(code=row.code, **fields))
            elif current[2:] != tuple(fields[name] for name in LOADED_FIELDS):
                to_update.append(Area(id=current[1], code=row.code, **fields))
            else:
                counts["unchanged"] += 1
        Area.objects.bulk_create(to_create, batch_size=1000)
        if to_create:
            ids.update(
                Area.objects.filter(code__in=[a.code for a in to_create]).values_list("code", "id")
            )
        _update(to_update)
        counts["created"] += len(to_create)
        counts["updated"] += len(to_update)
        done += sum(1 for r in rows if r.level == level)
        if progress:
            progress(stage_names[level], done, total)
    counts["country"] = 1
    counts["municipalities"] = sum(
        1 for r in rows if r.level == Area.Level.MUNICIPALITY and r.valid_until is None
    )
    counts["historic_municipalities"] = sum(
        1 for r in rows if r.level == Area.Level.MUNICIPALITY and r.valid_until is not None
    )
    counts["districts"] = sum(1 for r in rows if r.level == Area.Level.DISTRICT)
    counts["neighbourhoods"] = sum(1 for r in rows if r.level == Area.Level.NEIGHBOURHOOD)
    counts["total"] = total
    if counts["created"] or counts["updated"]:
        # bulk writes send no signals: forget the cached matcher now and after the commit (a
        # matcher built meanwhile in another thread would have seen the old rows).
        from openveiligheid.areas.matching import AreaMatcher

        AreaMatcher.clear_cache()
        transaction.on_commit(AreaMatcher.clear_cache)
    return counts


@transaction.atomic
def ensure_postcode_areas(postcodes: set[str]) -> int:
    """Four-digit postcode areas (PC4) that incident lists report on, created under the country
    when missing. Without a PC4-to-gemeente table they cannot be placed in a municipality yet;
    load one to roll them up. Returns how many were created."""
    from openveiligheid.areas.matching import AreaMatcher

    codes = {f"PC{postcode}": postcode for postcode in postcodes if postcode.isdecimal()}
    existing = set(Area.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = [code for code in codes if code not in existing]
    if not missing:
        return 0
    country = national_area()
    Area.objects.bulk_create(
        [
            Area(
                code=code,
                name=f"Postcodegebied {codes[code]}",
                level=Area.Level.POSTCODE,
                parent=country,
            )
            for code in sorted(missing)
        ],
        batch_size=1000,
    )
    AreaMatcher.clear_cache()
    return len(missing)
