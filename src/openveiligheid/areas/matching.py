"""Matching region names and codes from exports (police, CBS, surveys) to areas.

Exports name regions in many ways: "GM0200", "0200", "Apeldoorn", "Apeldoorn (gemeente)",
"Gemeente Apeldoorn", "Bergen (NH.)", "Den Haag", "Nederland". AreaMatcher indexes the Area table
once in memory and resolves such texts, with validity dates for historic municipalities (a name
used by an old and a new municipality picks the one that existed on the period date). Wijk and buurt
names are not unique nationally, so they only match within a municipality (`within`).
"""

from __future__ import annotations

import datetime
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max

from openveiligheid.areas.models import Area
from openveiligheid.core.fuzzy import similar
from openveiligheid.core.text import normalise_name, strip_municipality

# Other names for municipalities (normalised form -> CBS code). Spelling variants (case, accents,
# punctuation, "(gemeente)") need no entry here: normalise_name() and _variants() handle them.
ALIASES: dict[str, str] = {
    "den haag": "GM0518",  # 's-Gravenhage
    "the hague": "GM0518",
    "gravenhage": "GM0518",
    "den bosch": "GM0796",  # 's-Hertogenbosch
    "hertogenbosch": "GM0796",
    "nuenen": "GM0820",  # Nuenen, Gerwen en Nederwetten
    "nuenen c a": "GM0820",
    "de friese meren": "GM1921",  # De Fryske Marren
    "dantumadeel": "GM1891",  # Dantumadiel
    "tietjerksteradeel": "GM0737",  # Tytsjerksteradiel
    "sudwest friesland": "GM1900",  # Súdwest-Fryslân
    "noordoost friesland": "GM1970",  # Noardeast-Fryslân
    "nederland": "NL01",
    "totaal": "NL01",
    "totaal nederland": "NL01",
    "nederland totaal": "NL01",
    "heel nederland": "NL01",
    "nl": "NL01",
}

# The abbreviations CBS adds to municipality names that occur in more than one province
# ("Bergen (NH.)", "Bergen (L.)"), and spelled-out province names, by province.
PROVINCE_SUFFIXES: dict[str, str] = {
    "gr": "Groningen",
    "groningen": "Groningen",
    "fr": "Friesland",
    "friesland": "Friesland",
    "fryslan": "Friesland",
    "dr": "Drenthe",
    "drenthe": "Drenthe",
    "o": "Overijssel",
    "ov": "Overijssel",
    "overijssel": "Overijssel",
    "fl": "Flevoland",
    "flevoland": "Flevoland",
    "gld": "Gelderland",
    "g": "Gelderland",
    "gelderland": "Gelderland",
    "u": "Utrecht",
    "ut": "Utrecht",
    "utrecht": "Utrecht",
    "nh": "Noord-Holland",
    "noordholland": "Noord-Holland",
    "zh": "Zuid-Holland",
    "zuidholland": "Zuid-Holland",
    "z": "Zeeland",
    "zl": "Zeeland",
    "zeeland": "Zeeland",
    "nb": "Noord-Brabant",
    "noordbrabant": "Noord-Brabant",
    "l": "Limburg",
    "lb": "Limburg",
    "limburg": "Limburg",
}

LEVEL_NAMES: dict[str, str] = {
    "country": Area.Level.COUNTRY,
    "land": Area.Level.COUNTRY,
    "municipality": Area.Level.MUNICIPALITY,
    "gemeente": Area.Level.MUNICIPALITY,
    "district": Area.Level.DISTRICT,
    "wijk": Area.Level.DISTRICT,
    "neighbourhood": Area.Level.NEIGHBOURHOOD,
    "buurt": Area.Level.NEIGHBOURHOOD,
}
LEVEL_LABELS = {
    Area.Level.COUNTRY: "land",
    Area.Level.MUNICIPALITY: "gemeente",
    Area.Level.DISTRICT: "wijk",
    Area.Level.NEIGHBOURHOOD: "buurt",
    Area.Level.POSTCODE: "postcodegebied",
}
FUZZY_CUTOFF = 0.88  # "Apeldorn" -> "apeldoorn" is 0.94; "Ede"/"Epe" (0.67) never match
FUZZY_MARGIN = 0.04  # a runner-up this close to the best guess makes the guess ambiguous

# Codes: digits, except Amsterdam-style wijk/buurt codes with letters after the municipality code
# ("WK0363AD", "BU0363AD01"); the four digits there keep names such as "Bunnik" out.
_CODE = re.compile(
    r"^(?:(?P<prefix>GM|WK|BU|NL)(?P<rest>\d{0,8}|\d{4}[0-9A-Z]{2,4})|(?P<bare>\d{1,8}))$"
)
_SUFFIX = re.compile(r"^(?P<base>.*?)\s*\((?P<suffix>[^()]*)\)\s*$")
_DISTRICT_NUMBER = re.compile(r"^wijk \d+ ")


def _province(suffix: str) -> str | None:
    return PROVINCE_SUFFIXES.get(re.sub(r"[^a-z]", "", normalise_name(suffix)))


def _date_label(day: datetime.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else "?"


def describe(area: Area) -> str:
    """'Bergen (NH.) (GM0373)', with the validity for historic municipalities (Dutch)."""
    text = f"{area.name} ({area.code})"
    if area.valid_until:
        text += f", bestond tot {_date_label(area.valid_until)}"
    return text


@dataclass(frozen=True)
class MatchResult:
    area: Area | None
    method: str | None = None  # "code" | "name" | "alias" | "fuzzy"; None when nothing matched
    candidates: list[Area] = field(default_factory=list)
    reason_nl: str = ""

    @property
    def matched(self) -> bool:
        return self.area is not None


class AreaMatcher:
    """In-memory index of the Area table; build once (for_current_data()) and match many texts."""

    _cache: dict[str, AreaMatcher] = {}
    _lock = threading.Lock()

    def __init__(self, areas=None):
        areas = list(
            Area.objects.only(
                "id", "code", "name", "level", "parent_id", "province", "valid_from", "valid_until"
            )
            if areas is None
            else areas
        )
        self.by_id: dict[int, Area] = {a.id: a for a in areas}
        self.by_code: dict[str, Area] = {a.code.strip().upper(): a for a in areas}
        # normalised name -> [(area, tier)]; tier 0 is the full name, 1 a shortened form (province
        # suffix or "Wijk 01 " dropped). National: country and municipalities. Local: per
        # municipality id, its wijken and buurten.
        self.national: dict[str, list[tuple[Area, int]]] = defaultdict(list)
        self.local: dict[int, dict[str, list[tuple[Area, int]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for area in areas:
            keys = self._keys(area)
            if area.level in (Area.Level.COUNTRY, Area.Level.MUNICIPALITY):
                for key, tier in keys:
                    self.national[key].append((area, tier))
            else:
                municipality = self.rollup(area, Area.Level.MUNICIPALITY)
                if municipality is not None:
                    for key, tier in keys:
                        self.local[municipality.id][key].append((area, tier))

    # --- building --------------------------------------------------------------------------------

    @staticmethod
    def _keys(area: Area) -> list[tuple[str, int]]:
        full = normalise_name(area.name)
        keys = [(full, 0)]
        shorter = full
        if area.level == Area.Level.MUNICIPALITY:
            match = _SUFFIX.match(area.name)
            if match and _province(match["suffix"]):
                shorter = normalise_name(match["base"])
        elif area.level == Area.Level.DISTRICT:
            shorter = _DISTRICT_NUMBER.sub("", full)
        if shorter and shorter != full:
            keys.append((shorter, 1))
        return keys

    @classmethod
    def for_current_data(cls) -> AreaMatcher:
        """A matcher per process, rebuilt when areas were added or removed (count or max id)."""
        stats = Area.objects.aggregate(count=Count("id"), last=Max("id"))
        key = f"{stats['count']}:{stats['last']}"
        with cls._lock:
            matcher = cls._cache.get(key)
            if matcher is None:
                matcher = cls()
                cls._cache.clear()
                cls._cache[key] = matcher
            return matcher

    @classmethod
    def clear_cache(cls) -> None:
        """Forget the cached matcher (load_areas calls this after changing areas)."""
        with cls._lock:
            cls._cache.clear()

    # --- hierarchy -------------------------------------------------------------------------------

    def rollup(self, area: Area, level: str) -> Area | None:
        """The area itself or its ancestor at `level`; None when there is none."""
        level = LEVEL_NAMES.get(level, level)
        current: Area | None = self.by_id.get(area.id, area)
        while current is not None:
            if current.level == level:
                return current
            current = self.by_id.get(current.parent_id) if current.parent_id else None
        return None

    def is_within(self, area: Area, ancestor: Area) -> bool:
        current: Area | None = self.by_id.get(area.id, area)
        while current is not None:
            if current.id == ancestor.id:
                return True
            current = self.by_id.get(current.parent_id) if current.parent_id else None
        return False

    # --- matching --------------------------------------------------------------------------------

    def match(
        self,
        text: str,
        *,
        level: str | None = None,
        within: Area | None = None,
        on: datetime.date | None = None,
    ) -> Area | None:
        return self.match_detail(text, level=level, within=within, on=on).area

    def match_detail(
        self,
        text: str,
        *,
        level: str | None = None,
        within: Area | None = None,
        on: datetime.date | None = None,
    ) -> MatchResult:
        """Resolve a region text to one area, or explain (in Dutch) why not.

        Order: CBS code; alias; name (exact, then without province suffix or "Wijk 01"); typo
        (`core.fuzzy`, only when one area is clearly the closest). Names of wijken and buurten
        are only searched within `within`. With several areas of the same name, the one valid on
        `on` is chosen (when `on` is None: the one that still exists); when none was valid on that
        date but only one still exists, that one (tables are often recalculated to today's
        municipalities).
        """
        level = LEVEL_NAMES.get(level, level) if level else None
        raw = (text or "").strip().strip('"').strip()
        if not raw:
            return MatchResult(None, reason_nl="Lege gebiedsnaam.")
        code_result = self._match_code(raw, level, within)
        if code_result is not None:
            return code_result

        variants = self._variants(raw)
        for query, _province_name in variants:
            alias = ALIASES.get(query)
            if alias and alias in self.by_code:
                area = self.by_code[alias]
                if alias == "NL01" and within is not None and query == "totaal":
                    # In a table of one municipality "Totaal" is that municipality's total.
                    area = within
                if level and area.level != level:
                    continue
                return MatchResult(
                    area, "alias", [area], f"Gevonden als andere naam voor {area.name}."
                )

        for query, province in variants:
            candidates = self._lookup(query, level, within, province)
            if candidates:
                return self._choose(raw, candidates, on, "name")

        if within is None and level in (Area.Level.DISTRICT, Area.Level.NEIGHBOURHOOD):
            return MatchResult(
                None,
                reason_nl=(
                    f"'{raw}' niet gevonden: namen van wijken en buurten zijn niet landelijk "
                    "uniek; geef de gemeente op."
                ),
            )
        return self._fuzzy(raw, variants, level, within, on)

    def _match_code(self, raw: str, level: str | None, within: Area | None) -> MatchResult | None:
        code = self.parse_code(raw)
        if code is None:
            return None
        area = self.by_code.get(code)
        if area is None:
            return MatchResult(None, reason_nl=f"Code {code} komt niet voor in de CBS-gebieden.")
        if level and area.level != level:
            return MatchResult(
                None,
                candidates=[area],
                reason_nl=(
                    f"Code {code} is een {LEVEL_LABELS.get(area.level, area.level)}, "
                    f"geen {LEVEL_LABELS.get(level, level)}."
                ),
            )
        if within is not None and not self.is_within(area, within):
            return MatchResult(
                None,
                candidates=[area],
                reason_nl=f"{describe(area)} ligt niet in {within.name}.",
            )
        return MatchResult(area, "code", [area], f"Gevonden op code {code}.")

    @staticmethod
    def parse_code(text: str) -> str | None:
        """The CBS code a text spells ("0200", "GM0200  ", "wk020001", "BU0363AD01"), or None.

        Bare numbers are read by length: up to 4 digits a gemeente, 6 a wijk, 8 a buurt.
        """
        compact = re.sub(r"\s+", "", text.upper())
        match = _CODE.match(compact)
        if not match:
            return None
        prefix, rest = match["prefix"], match["rest"] or match["bare"] or ""
        if prefix == "NL":
            return "NL01" if rest in ("", "0", "00", "01", "1") else None
        if prefix is None:
            prefix = {6: "WK", 8: "BU"}.get(len(rest), "GM" if len(rest) <= 4 else None)
            if prefix is None:
                return None
        width = {"GM": 4, "WK": 6, "BU": 8}[prefix]
        if not rest:
            return None
        if rest.isdecimal():
            return prefix + rest.zfill(width) if len(rest) <= width else None
        return prefix + rest if len(rest) == width else None

    @staticmethod
    def _variants(raw: str) -> list[tuple[str, str | None]]:
        """Normalised forms of the text to try in order, each with a province it names (if any)."""
        forms = [raw]
        without = strip_municipality(raw)
        if without != raw:
            forms.append(without)
        variants: list[tuple[str, str | None]] = []
        for form in forms:
            variants.append((normalise_name(form), None))
            # Police tables write wijken as "Wijk 01 Centrum" where CBS says "Centrum".
            if _DISTRICT_NUMBER.match(normalise_name(form)):
                variants.append((_DISTRICT_NUMBER.sub("", normalise_name(form)), None))
            suffix = _SUFFIX.match(form)
            if suffix and _province(suffix["suffix"]):
                variants.append((normalise_name(suffix["base"]), _province(suffix["suffix"])))
        seen, result = set(), []
        for variant in variants:
            if variant[0] and variant not in seen:
                seen.add(variant)
                result.append(variant)
        return result

    def _index_for(self, within: Area | None):
        if within is None:
            return self.national
        municipality = self.rollup(within, Area.Level.MUNICIPALITY)
        return self.local.get(municipality.id, {}) if municipality else {}

    def _lookup(self, query, level, within, province) -> list[tuple[Area, int]]:
        hits = list(self._index_for(within).get(query, []))
        if within is not None:
            hits = [(a, t) for a, t in hits if self.is_within(a, within)]
            if normalise_name(within.name) == query or any(
                key == query for key, _ in self._keys(within)
            ):
                hits.append((within, 0))
        if level:
            hits = [(a, t) for a, t in hits if a.level == level]
        if province:
            hits = [(a, t) for a, t in hits if a.province == province]
        return hits

    def _choose(self, raw, hits, on, method) -> MatchResult:
        areas = list({a.id: a for a, _ in hits}.values())
        tier = {}
        for area, t in hits:
            tier[area.id] = min(t, tier.get(area.id, t))
        if on is None:
            valid = [a for a in areas if a.valid_until is None]
        else:
            valid = [a for a in areas if a.is_valid_on(on)]
        note = ""
        if not valid:
            current = [a for a in areas if a.valid_until is None]
            if len(current) == 1:
                valid = current
                note = (
                    f" Op {_date_label(on)} bestond {current[0].name} nog niet; huidige gemeente."
                )
            elif len(areas) == 1:
                valid = areas
                note = (
                    " Let op: deze gemeente bestaat niet meer."
                    if on is None
                    else (f" Let op: bestond niet op {_date_label(on)}.")
                )
            else:
                listed = "; ".join(describe(a) for a in areas)
                when = f"op {_date_label(on)}" if on else "nu"
                return MatchResult(
                    None,
                    candidates=areas,
                    reason_nl=f"'{raw}' is niet eenduidig: geen van {listed} bestaat {when}.",
                )
        best = min(tier[a.id] for a in valid)
        chosen = [a for a in valid if tier[a.id] == best]
        if len(chosen) == 1:
            area = chosen[0]
            others = [a for a in areas if a.id != area.id]
            if others and not note:
                note = " Gekozen uit: " + "; ".join(describe(a) for a in areas) + "."
            return MatchResult(area, method, areas, f"Gevonden op naam: {describe(area)}.{note}")
        listed = "; ".join(
            f"{describe(a)}, {LEVEL_LABELS.get(a.level, a.level)}"
            + (f" in {a.province}" if a.province else "")
            for a in chosen
        )
        levels = {a.level for a in chosen}
        hint = (
            "geef het niveau (wijk of buurt) op"
            if len(levels) > 1
            else "gebruik de CBS-code of voeg de provincie toe, bijvoorbeeld 'Bergen (NH.)'"
        )
        return MatchResult(
            None,
            candidates=chosen,
            reason_nl=(
                f"'{raw}' is niet eenduidig: {len(chosen)} gebieden heten zo ({listed}); {hint}."
            ),
        )

    def _fuzzy(self, raw, variants, level, within, on) -> MatchResult:
        index = self._index_for(within)
        keys = list(index)
        if within is None:
            keys += list(ALIASES)
        scope = f"in {within.name}" if within is not None else "bij de gemeenten"
        not_found = f"'{raw}' niet gevonden {scope}."
        close = [
            found
            for query, _ in variants
            for found in similar(query, keys, cutoff=FUZZY_CUTOFF, margin=FUZZY_MARGIN)
        ]
        if not close:
            return MatchResult(None, reason_nl=not_found)
        top_score = max(found.score for found in close)
        close_keys = {found.choice for found in close if found.score >= top_score - FUZZY_MARGIN}
        areas: dict[int, Area] = {}
        for key in close_keys:
            if within is None and key in ALIASES:
                area = self.by_code.get(ALIASES[key])
                hits = [(area, 0)] if area else []
            else:
                hits = self._lookup(key, level, within, None)
            for area, _ in hits:
                if level is None or area.level == level:
                    areas[area.id] = area
        if not areas:
            return MatchResult(None, reason_nl=not_found)
        if on is not None:
            valid = [a for a in areas.values() if a.is_valid_on(on)] or list(areas.values())
        else:
            valid = [a for a in areas.values() if a.valid_until is None] or list(areas.values())
        if len(valid) == 1:
            area = valid[0]
            return MatchResult(
                area,
                "fuzzy",
                [area],
                f"'{raw}' niet letterlijk gevonden; aangenomen tikfout voor {describe(area)}.",
            )
        listed = "; ".join(describe(a) for a in valid)
        return MatchResult(
            None,
            candidates=valid,
            reason_nl=f"{not_found} Lijkt op meerdere gebieden ({listed}); kies zelf.",
        )


def rollup(area: Area, level: str) -> Area | None:
    """The area itself or its ancestor at `level` (country, municipality, district, ...)."""
    level = LEVEL_NAMES.get(level, level)
    current: Area | None = area
    while current is not None:
        if current.level == level:
            return current
        current = current.parent
    return None


def forget_cached_matcher(**kwargs) -> None:
    """Signal receiver (post_save/post_delete of Area): the next for_current_data() rebuilds."""
    AreaMatcher.clear_cache()
