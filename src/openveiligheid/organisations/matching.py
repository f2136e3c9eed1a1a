"""Match organisation and municipality names as plans write them to known organisations.

Plans name their leads and partners loosely: "Gemeente Harderwijk", "gem. Harderwijk",
"Harderwjik" (a typo), "politie" for the police team of the region, "OM" for the public
prosecutor. ``OrganisationMatcher`` compares a normalised form of the text (no accents,
punctuation or "gemeente" prefix) with the names, aliases and slugs of known organisations and
with the CBS names of municipalities (areas), and falls back to a small number of typos
(`core.fuzzy`). Generic partner words ("politie", "OM") match the one organisation of that
partner type, preferring the members of the region being imported.

The matcher does not write anything; with no organisations in the database (a dry run on an
empty installation) it still recognises municipalities by their CBS names and the common
partners by their generic names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from openveiligheid.core.fuzzy import within_typos
from openveiligheid.core.text import normalise_name as core_normalise_name

# Generic names of partners, by partner type (see Organisation.PartnerType).
GENERIC_PARTNERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "police": ("Politie", ("politie", "politieteam", "basisteam", "wijkagent", "wijkagenten")),
    "public_prosecutor": ("Openbaar Ministerie", ("om", "openbaar ministerie", "justitie")),
    "riec": ("RIEC", ("riec",)),
    "tax": ("Belastingdienst", ("belastingdienst", "fiod")),
    "care_safety_house": (
        "Zorg- en Veiligheidshuis",
        ("veiligheidshuis", "zorg en veiligheidshuis", "zvh"),
    ),
    "housing": ("Woningcorporatie", ("woningcorporatie", "woningcorporaties", "woningbouw")),
    "youth_work": ("Jongerenwerk", ("jongerenwerk",)),
    "fire_brigade": ("Brandweer", ("brandweer", "veiligheidsregio")),
}


def normalise_name(text: str) -> str:
    """The form names are compared in: lower case, no accents or punctuation, "&" as "en",
    without a "gemeente" prefix."""
    return core_normalise_name(text, drop_municipality=True)


def _allowed_typos(length: int) -> int:
    # Short names ("OM", "Epe") must match exactly: one letter off is another organisation.
    if length < 5:
        return 0
    return 1 if length < 9 else 2


@dataclass(frozen=True)
class Candidate:
    """A known name: an organisation (pk set) or a municipality known only as an area."""

    name: str
    pk: int | None = None
    kind: str = ""
    cbs_code: str | None = None
    partner_type: str = ""
    aliases: tuple[str, ...] = ()
    preferred: bool = False  # a member of the region being imported


@dataclass(frozen=True)
class NameMatch:
    text: str
    candidate: Candidate
    method: str  # "exact", "alias", "generic" or "typo"
    distance: int = 0

    @property
    def name(self) -> str:
        return self.candidate.name

    @property
    def pk(self) -> int | None:
        return self.candidate.pk

    def as_dict(self) -> dict:
        return {
            "name": self.candidate.name,
            "id": self.candidate.pk,
            "cbs_code": self.candidate.cbs_code,
            "method": self.method,
        }


class OrganisationMatcher:
    def __init__(self, candidates: Iterable[Candidate]):
        self.candidates = list(candidates)
        self._exact: dict[str, Candidate] = {}
        self._generic: dict[str, Candidate] = {}
        # Organisations first, so that an organisation wins over an area of the same name.
        ordered = sorted(
            self.candidates, key=lambda c: (c.pk is None, not c.preferred, c.name.lower())
        )
        for candidate in ordered:
            keys = {normalise_name(candidate.name), *(normalise_name(a) for a in candidate.aliases)}
            for key in keys:
                if key:
                    self._exact.setdefault(key, candidate)
        for partner_type, (generic_name, words) in GENERIC_PARTNERS.items():
            of_type = [c for c in ordered if c.partner_type == partner_type and c.pk is not None]
            preferred = [c for c in of_type if c.preferred]
            chosen = (
                preferred[0] if len(preferred) == 1 else of_type[0] if len(of_type) == 1 else None
            )
            if chosen is None:
                chosen = Candidate(name=generic_name, kind="partner", partner_type=partner_type)
            for word in words:
                self._generic[word] = chosen
        self._keys = list(self._exact)
        self.match = lru_cache(maxsize=4096)(self._match)

    @classmethod
    def from_database(cls, *, region=None, include_areas: bool = True) -> OrganisationMatcher:
        """All organisations (with aliases) and, optionally, all municipalities by CBS name."""
        from openveiligheid.areas.models import Area
        from openveiligheid.organisations.models import Organisation

        member_ids: set[int] = set()
        if region is not None and region.pk:
            member_ids = set(region.members.values_list("pk", flat=True)) | {region.pk}
        candidates = [
            Candidate(
                name=org.name,
                pk=org.pk,
                kind=org.kind,
                cbs_code=org.cbs_code,
                partner_type=org.partner_type or "",
                aliases=tuple(str(a) for a in (org.aliases or []) if a) + (org.slug,),
                preferred=org.pk in member_ids,
            )
            for org in Organisation.objects.order_by("name")
        ]
        if include_areas:
            known_codes = {c.cbs_code for c in candidates if c.cbs_code}
            candidates.extend(
                Candidate(name=name, kind="municipality", cbs_code=code)
                for code, name in Area.objects.filter(level=Area.Level.MUNICIPALITY).values_list(
                    "code", "name"
                )
                if code not in known_codes
            )
        return cls(candidates)

    def _match(self, text: str) -> NameMatch | None:
        key = normalise_name(text)
        if not key:
            return None
        candidate = self._exact.get(key)
        if candidate is not None:
            method = "exact" if normalise_name(candidate.name) == key else "alias"
            return NameMatch(text, candidate, method)
        generic = self._generic.get(key) or self._generic.get(key.split(" ")[0])
        if generic is not None and (key in self._generic or len(key.split()) <= 3):
            return NameMatch(text, generic, "generic")
        limit = _allowed_typos(len(key))
        if limit == 0:
            return None
        for found in within_typos(key, self._keys, limit):
            # The known name must allow as many typos as well: "Ede" is no typo of "Edam".
            if _allowed_typos(len(found.choice)) >= found.score:
                return NameMatch(text, self._exact[found.choice], "typo", int(found.score))
        return None

    def match_prefix(self, text: str) -> tuple[NameMatch | None, str]:
        """Match the longest leading run of words; the rest is returned (a unit, a remark)."""
        words = text.split()
        for length in range(len(words), 0, -1):
            found = self.match(" ".join(words[:length]))
            if found is not None:
                return found, " ".join(words[length:])
        return None, text

    def looks_like_organisation(self, text: str) -> bool:
        return self.match_prefix(text)[0] is not None
