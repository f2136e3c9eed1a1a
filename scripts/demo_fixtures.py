"""Build the curated demo fixtures from the plain-text seed documents (a developer tool).

Run ``python scripts/demo_fixtures.py`` from the repository root to (re)write
``src/openveiligheid/demo/data/*.json`` from ``src/openveiligheid/demo/documents/*.txt``. The
installed package does not contain this builder: ``load-demo`` loads the committed JSON through
``openveiligheid.imports.plans.structured.import_structured_plan``, whose module docstring
describes the format written here.

The texts are PDF extractions. Everything the text structure allows is parsed: headings, the
"Doel" sections, the "Hoe meten we de resultaten?" lists, the rows of Tabel 1-4, the opgave
fields (Wat is het / Doel / Resultaat / Wie / Hoe / Wanneer) and both finance tables. Where the
layout is too broken to parse generally, small *anchors* are used instead: start/end marker
strings, the label of the table row that holds the 2022 value of a list item, or a name that is
written elsewhere in the document. Every anchor is checked against the text, so a changed
document makes this script fail instead of producing invented values. Classifications that the
documents do not spell out (unit, desired direction, source of an indicator, partner kind) are
given in the anchor tables below.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from openveiligheid.core.dutch import parse_number

DEMO_DIR = Path(__file__).resolve().parents[1] / "src" / "openveiligheid" / "demo"
DOCUMENTS_DIR = DEMO_DIR / "documents"
DATA_DIR = DEMO_DIR / "data"

IVP_APELDOORN = "002_a88ede4e1c0ea291.txt"
PROGRAMME_APELDOORN = "000_f462fdb5aafa3a23.txt"
IVB_OUDE_IJSSELSTREEK = "004_4a8acd6ca3a8e529.txt"

APELDOORN_SLUG = "apeldoorn-ivp-2023-2026"
OUDE_IJSSELSTREEK_SLUG = "oude-ijsselstreek-ivb-2023-2026"

PERIOD_YEARS = ("2023", "2024", "2025", "2026")


class ExtractionError(RuntimeError):
    """The document no longer matches what the extractor expects."""


def _require(condition: object, message: str) -> None:
    if not condition:
        raise ExtractionError(message)


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

_SPACE_BEFORE_PUNCT = re.compile(r"\s+([;,.:])(?=\s|$)")
_BULLET = re.compile(r"^(?P<marker>[•·]|-|o|\d+\.)\s+(?P<text>\S.*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“(])")


def clean(line: str) -> str:
    """Collapse whitespace, drop markdown emphasis and spaces before punctuation."""
    line = " ".join(line.replace("**", "").split())
    return _SPACE_BEFORE_PUNCT.sub(r"\1", line)


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def join_wrapped(left: str, right: str) -> str:
    """Join two lines of a wrapped paragraph, undoing the hyphenation of the PDF."""
    if not left:
        return right
    if left.endswith("/"):
        return left + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        if re.match(r"(en|of)\b", right):  # "persoons- en systeemgericht"
            return f"{left} {right}"
        if right[:1].isupper():  # "Oost-Nederland"
            return left + right
        return left[:-1] + right  # "crimi-naliteit"
    return f"{left} {right}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _parse_number(token: str) -> int | float:
    """A printed amount as JSON: whole numbers as int ("6.934.800"), others as float ("7,6")."""
    number = parse_number(token)
    return int(number) if "," not in token and number == int(number) else float(number)


@dataclass
class Block:
    """A paragraph or a list item of a reflowed text."""

    text: str
    marker: str = ""  # "", "-" (item), "o" (sub item) or "1." (numbered item)

    @property
    def is_item(self) -> bool:
        return bool(self.marker)


def render(blocks: Iterable[Block]) -> str:
    """Blocks as plain text: paragraphs separated by a blank line, list items by a newline."""
    out = ""
    previous: Block | None = None
    for block in blocks:
        if block.marker in ("•", "·", "-"):
            text = f"- {block.text}"
        elif block.marker == "o":
            text = f"  - {block.text}"
        elif block.marker:
            text = f"{block.marker} {block.text}"
        else:
            text = block.text
        if previous is not None:
            out += "\n" if block.is_item else "\n\n"
        out += text
        previous = block
    return out


class WrappedText:
    """A document whose PDF extraction put every printed line on its own (002).

    Paragraph breaks are lost; a short line that ends a sentence is taken as the end of a
    paragraph (printed lines are about 60 characters wide).
    """

    PARAGRAPH_END_WIDTH = 45

    def __init__(self, text: str):
        self.raw = text.splitlines()
        # (line number, cleaned text) of every non-empty line
        self.lines = [(no, clean(line)) for no, line in enumerate(self.raw, 1) if line.strip()]

    def __len__(self) -> int:
        return len(self.lines)

    def text(self, index: int) -> str:
        return self.lines[index][1]

    def find(
        self,
        match: str | Callable[[str], bool],
        start: int = 0,
        end: int | None = None,
        exact: bool = False,
    ) -> int:
        """Index of the first line from ``start`` that starts with (or equals) ``match``."""
        end = len(self.lines) if end is None else end
        for index in range(start, end):
            line = self.text(index)
            if callable(match):
                found = match(line)
            elif exact:
                found = norm(line).rstrip("?") == norm(match).rstrip("?")
            else:
                found = norm(line).startswith(norm(match))
            if found:
                return index
        raise ExtractionError(f"{match!r} not found after line {self.lines[start][0]}")

    def texts(self, start: int, end: int) -> list[str]:
        return [self.text(index) for index in range(start, end)]

    def blocks(self, start: int, end: int) -> list[Block]:
        blocks: list[Block] = []
        previous = ""
        for line in self.texts(start, end):
            bullet = _BULLET.match(line)
            if bullet:
                blocks.append(Block(bullet["text"], bullet["marker"]))
            elif blocks and not self._ends_paragraph(previous):
                blocks[-1].text = join_wrapped(blocks[-1].text, line)
            else:
                blocks.append(Block(line))
            previous = line
        for block in blocks:
            block.text = clean(block.text)
        return blocks

    def _ends_paragraph(self, line: str) -> bool:
        return bool(re.search(r"[.:;?!]$", line)) and len(line) < self.PARAGRAPH_END_WIDTH

    def flat(self) -> str:
        """The whole document as one dehyphenated string (to verify anchors)."""
        out = ""
        for _, line in self.lines:
            out = join_wrapped(out, line)
        return out


def paragraphs(raw_lines: Iterable[str]) -> list[str]:
    """Paragraphs of a document that separates paragraphs by blank lines (000 and 004).

    A paragraph that was cut by a page break (no closing punctuation, next part starts in
    lower case) is glued back together.
    """
    out: list[str] = []
    for raw in raw_lines:
        line = clean(raw)
        if not line:
            continue
        if out and not re.search(r"[.:;!?)\"”]$", out[-1]) and line[:1].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def paragraph_blocks(paras: Iterable[str]) -> list[Block]:
    blocks = []
    for para in paras:
        bullet = re.match(r"^- (.*)$", para)
        blocks.append(Block(bullet[1], "-") if bullet else Block(para))
    return blocks


def _line_index(raw_lines: list[str], text: str, start: int = 0) -> int:
    """Index of the raw line that equals ``text`` (tabs and spaces ignored)."""
    for index in range(start, len(raw_lines)):
        if norm(raw_lines[index]) == norm(text):
            return index
    raise ExtractionError(f"line {text!r} not found")


def _contains(haystack: str, needle: str) -> bool:
    return norm(needle) in norm(haystack)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


# --------------------------------------------------------------------------------------------
# Anchors: what the documents do not say in a parseable way
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerAnchor:
    name: str
    kind: str
    anchor: str  # must occur in the document(s)


APELDOORN_PARTNERS = (
    PartnerAnchor("Politie", "police", "politie"),
    PartnerAnchor("Openbaar Ministerie", "public_prosecutor", "Openbaar Ministerie"),
    PartnerAnchor("RIEC", "riec", "Regionale Informatie- en Expertise Centrum (RIEC)"),
    PartnerAnchor("Belastingdienst", "tax", "Belastingdienst"),
    PartnerAnchor("Zorg en Veiligheidshuis", "care_safety_house", "Zorg en Veiligheidshuis"),
    PartnerAnchor("Woningbouwvereniging", "housing", "De woningbouwvereniging"),
    PartnerAnchor("Jongerenwerk", "youth_work", "jongerenwerk"),
    PartnerAnchor("Brandweer", "fire_brigade", "De brandweer"),
    PartnerAnchor("Rechtspraak", "other", "de Rechtspraak"),
    PartnerAnchor("Bureau Halt", "other", "Bureau Halt"),
    PartnerAnchor("Centrum voor Jeugd en Gezin (CJG)", "other", "Centrum voor Jeugd en Gezin"),
    PartnerAnchor("Reclassering", "other", "reclassering"),
    PartnerAnchor("Sociaal Wijkteam", "other", "Sociaal Wijkteam"),
    PartnerAnchor("Omnizorg", "other", "Omnizorg"),
    PartnerAnchor("OVIJ", "other", "OVIJ"),
    PartnerAnchor("Douane", "other", "Douane"),
    PartnerAnchor("Veilig Thuis", "other", "Veilig thuis"),
    PartnerAnchor("UWV", "other", "UWV"),
    PartnerAnchor("Zorgregio Midden IJssel Oost Veluwe", "other", "Zorgregio Midden IJssel Oost"),
    PartnerAnchor("IGJ", "other", "de IGJ"),
    PartnerAnchor("Nederlandse Zorgautoriteit", "other", "Nederlandse Zorgautoriteit"),
    PartnerAnchor(
        "Centrum voor Veiligheid en Digitalisering (CVD)",
        "other",
        "Centrum voor Veiligheid en Digitalisering (CVD)",
    ),
    PartnerAnchor("Saxion Hogeschool", "other", "Saxion Hogeschool"),
    PartnerAnchor("Platform Veilig Ondernemen (PVO)", "other", "Platform Veilig Ondernemen (PVO)"),
)

OUDE_IJSSELSTREEK_PARTNERS = (
    PartnerAnchor("Politie", "police", "politie"),
    PartnerAnchor("Openbaar Ministerie", "public_prosecutor", "openbaar ministerie"),
    PartnerAnchor("RIEC", "riec", "Regionaal Informatie- en Expertise Centrum"),
    PartnerAnchor(
        "Zorg- en Veiligheidshuis Noord Oost Gelderland",
        "care_safety_house",
        "Zorg- en Veiligheidshuis Noord Oost Gelderland",
    ),
    PartnerAnchor("Woningcorporaties", "housing", "woningcorporaties"),
    PartnerAnchor("Jongerenwerk", "youth_work", "jongerenwerk"),
    PartnerAnchor("VNOG", "other", "VNOG"),
    PartnerAnchor("Platform Veilig Ondernemen", "other", "Platform Veilig Ondernemen"),
    PartnerAnchor("Informatiebeveiligingsdienst", "other", "Informatiebeveiligingsdienst"),
    PartnerAnchor("NCSC", "other", "NCSC"),
    PartnerAnchor("AIVD", "other", "AIVD"),
    PartnerAnchor("Bronckhorst", "other", "Bronckhorst"),
    PartnerAnchor("Doetinchem", "other", "Doetinchem"),
    PartnerAnchor("Montferland", "other", "Montferland"),
)


@dataclass(frozen=True)
class IndicatorAnchor:
    """One indicator of a theme of 002.

    ``item`` is the start of its entry in the "Hoe meten we ..." list (None: the indicator is
    only in the table), ``row`` the start of the table row with its starting value. ``name``
    is "item" (the list entry up to the first ";"), "row" (the table label) or a name that is
    written in the document. ``target`` is (comparison, regex on the theme's goals).
    """

    item: str | None
    row: str | None = None
    name: str = "item"
    unit: str = "count"
    direction: str = "none"
    source: str = "gemeente"
    frequency: str = "year"
    target: tuple[str, str] | None = None
    definition: str | None = None  # written in the document; default: the list entry / row
    duplicate: bool = False  # the list repeats an earlier entry


NOT_MORE_THAN = r"niet meer dan (\d+(?:,\d+)?)%"

APELDOORN_INDICATORS: dict[str, tuple[IndicatorAnchor, ...]] = {
    "Ondermijning en georganiseerde criminaliteit": (
        IndicatorAnchor("We geven per casus aan"),
        IndicatorAnchor(
            "Aantal casussen informatieplein", "Aantal casussen RIEC", name="row", source="RIEC"
        ),
        IndicatorAnchor("Aantal casussen lokaal casusoverleg", "Aantal casussen (lokaal"),
        IndicatorAnchor("Aantal uitgevoerde integrale controles", "Integrale controles"),
        IndicatorAnchor("Aantal Bibob casussen totaal"),
        IndicatorAnchor("Aantal Bibob casussen naar Landelijk Bureau Bibob"),
        IndicatorAnchor(
            "Het geld dat het openbaar ministerie",
            "Waardebeslag",
            name="row",
            unit="euro",
            source="OM",
        ),
        IndicatorAnchor("Toepassing Wet Damocles", "Sluitingen panden"),
        IndicatorAnchor(
            "Het aantal keren dat de burgemeester",
            "Bevoegdheden burgemeester drugshandel",
            name="row",
        ),
        IndicatorAnchor(None, "Hennepkwekerijen opgerold", name="row"),
    ),
    "Gedigitaliseerde criminaliteit": (
        IndicatorAnchor(
            "Cijfers van de politie",
            "Totaal",
            name="Digitale criminaliteit",
            direction="down",
            source="politie",
            target=("not_above_start", r"gelijk blijft of verminderd"),
        ),
        IndicatorAnchor("Na twee jaar onderzoeken we", unit="percentage"),
        IndicatorAnchor("We vragen het bewonerspanel", unit="percentage", source="bewonerspanel"),
        IndicatorAnchor("Aantal preventieve acties"),
        IndicatorAnchor(
            None,
            "Ervaren slachtofferschap burgerpanel",
            name="row",
            unit="percentage",
            direction="down",
            source="bewonerspanel",
            target=("lte", NOT_MORE_THAN),
        ),
    ),
    "Jeugdcriminaliteit en individuele probleemjongeren": (
        IndicatorAnchor(
            "antwoorden op vragen van het burgerpanel",
            "Ervaren strafbaar gedrag",
            name="row",
            unit="percentage",
            direction="down",
            source="bewonerspanel",
        ),
        IndicatorAnchor(
            "De politiecijfers laten het aantal gevallen",
            "Aantal incidenten vandalisme",
            name="row",
            direction="down",
            source="politie",
        ),
        IndicatorAnchor(
            "De politiecijfers geven inzicht",
            "Aantal incidenten overlast jeugd",
            name="row",
            direction="down",
            source="politie",
        ),
        IndicatorAnchor(
            "Van het aantal aangehouden verdachte jongeren die bij het openbaar ministerie "
            "terecht komen, wordt dit vermeld onder ‘instroom jongeren 12jr",
            "Instroom jongeren 12",
            name="row",
            direction="down",
            source="OM",
        ),
        IndicatorAnchor(
            "Van het aantal aangehouden verdachte jongeren die bij het openbaar ministerie "
            "terecht komen, wordt dit vermeld onder ‘instroom jongeren 18jr",
            "Instroom jongeren 18",
            name="row",
            direction="down",
            source="OM",
        ),
        IndicatorAnchor(
            "De coördinator jeugdcriminaliteit", "Aantal plan aanpak risicojongeren", name="row"
        ),
        IndicatorAnchor(
            "Het team preventie, toezicht en handhaving verzorgt preventiecampagnes",
            "Preventiecampagnes VO-scholen",
            name="Preventiecampagnes VO-scholen in Apeldoorn",
        ),
        # Tabel 3 gives the referrals of the first half of 2022 only.
        IndicatorAnchor(
            "Het team preventie, toezicht en handhaving verzorgt de doorverwijzingen",
            "Aantal doorverwijzingen naar Halt",
            name="Aantal doorverwijzingen naar Halt",
            frequency="half_year",
        ),
        IndicatorAnchor("Het team PTH verzorgt preventiecampagnes", duplicate=True),
    ),
    "Sociale kwaliteit (overlast door personen)": (
        IndicatorAnchor(
            "woonoverlast/burengerucht", "Burengerucht", direction="down", source="politie"
        ),
        IndicatorAnchor(
            "overlast door verwarde",
            "Personen met verward gedrag",
            direction="down",
            source="politie",
        ),
        IndicatorAnchor(
            "overlast door zwervers", "Overlast zwervers", direction="down", source="politie"
        ),
        IndicatorAnchor(
            "overlast door gebruik van drugs",
            "Drugs/drankoverlast",
            direction="down",
            source="politie",
        ),
        IndicatorAnchor(
            "andere overlast", "Overige overlast sociaal", direction="down", source="politie"
        ),
        IndicatorAnchor("huisvredebreuk", "Huisvredebreuk", direction="down", source="politie"),
        IndicatorAnchor(
            None,
            "Sociale overlast ‘percentage dat veel overlast ervaart’",
            name="Sociale overlast ‘percentage dat veel overlast ervaart’",
            unit="percentage",
            direction="down",
            source="veiligheidsmonitor",
            target=("lte", NOT_MORE_THAN),
        ),
        IndicatorAnchor(
            None,
            "Overlast in de woonomgeving",
            name="row",
            unit="percentage",
            direction="down",
            source="bewonerspanel",
        ),
        IndicatorAnchor(
            None,
            "Totaal",
            name="totaal aantal incidenten sociale kwaliteit",
            direction="down",
            source="politie",
            definition="Misdrijven en incidenten in Apeldoorn (incident categorieën uit het "
            "politiesysteem)",
        ),
    ),
}

GOAL_TARGET_PATTERNS = (NOT_MORE_THAN, r"gelijk blijft of verminderd")

# Sentences of a "Doel" that only say how the previous sentence is reached.
GOAL_CONTINUATIONS = ("Dit ", "Daarom ")

# The "Hoe" of an opgave names its approach; the document's own words for the four kinds
# ("als een project, soms als een analyse ... procesregie of verbinding zoeken").
APPROACH_RULES = (
    (r"^Projectaanpak", "project"),
    (r"^Casusregie", "case_direction"),
    (r"onderzoek", "analysis"),
    (r"procesregie|bijeenkomsten", "process_direction"),
)


# --------------------------------------------------------------------------------------------
# 002: Integraal Veiligheidsplan Apeldoorn 2023-2026
# --------------------------------------------------------------------------------------------

THEME_SECTIONS = {
    "wat is het": "description",
    "doel": "goals",
    "wat willen we": "goals",
    "hoe doen we het": "approach",
    "hoe meten we de resultaten": "measure",
    "hoe meten we het": "measure",
    "het startpunt": "baseline",
    "actieplan": "action_plan",
}

_VALUE_AT_END = re.compile(r"(?:^|\s)(€?\d{1,3}(?:\.\d{3})+|€?\d+(?:,\d+)?%?)$")
_YEAR_AT_END = re.compile(r"(?:^|\s)(20[12]\d)$")
_REMARK_AT_END = re.compile(r"\s*\(([^()]+)\)$")
_HALF_YEAR = re.compile(r"\b([12])e helft (20\d\d)\b")
# "(veiligheidsmonitor; 1x per 2 jaar)": a survey held every other year.
_EVERY_OTHER_YEAR = re.compile(r"\b1x per 2 jaar\b")


def _table_row(doc: WrappedText, start: int, end: int, label: str) -> dict:
    """Starting value of a Tabel row: {"label", "year", "value", "percent", "euro"}."""
    index = doc.find(label, start, end)
    line = doc.text(index)
    year_match = _YEAR_AT_END.search(line)
    value_line = line
    if year_match:  # a header row ("... 2021"); its value follows on a later line
        year = int(year_match[1])
        row_label = line[: year_match.start()].strip()
        value_line = ""
        for later in range(index + 1, end):
            if _VALUE_AT_END.search(doc.text(later)):
                value_line = doc.text(later)
                break
        value_match = _VALUE_AT_END.search(value_line)
    else:
        value_match = _VALUE_AT_END.search(line)
        row_label = line[: value_match.start()].strip() if value_match else line
        year = None
        for earlier in range(index - 1, start - 1, -1):
            found = _YEAR_AT_END.search(doc.text(earlier))
            if found:
                year = int(found[1])
                break
        _require(year, f"no year above table row {label!r}")
    if not value_match:
        # A cell with a remark instead of a figure ("(Vanwege corona geen voorlichting)"): the
        # remark is kept for the table's year.
        remark = _REMARK_AT_END.search(row_label)
        return {
            "label": row_label[: remark.start()].strip() if remark else row_label,
            "year": None,
            "value": None,
            "percent": False,
            "euro": False,
            "remark": {"period": str(year), "text": remark[1]} if remark and year else None,
        }
    token = value_match[1]
    half = _HALF_YEAR.search(row_label)
    if half:  # "Aantal doorverwijzingen naar Halt; 1e helft 2022": a half-year value
        _require(int(half[2]) == year, f"{label!r}: half year outside the table's year")
    return {
        "label": row_label.rstrip(".;"),
        "period": f"{year}-H{half[1]}" if half else str(year),
        "year": year,
        "value": _parse_number(token),
        "percent": token.endswith("%"),
        "euro": token.startswith("€"),
    }


def _measure_items(blocks: list[Block]) -> list[tuple[str, str]]:
    """(entry, definition) of every entry of a "Hoe meten we" list.

    An entry that ends with ":" and is followed by sub entries ("o ...") is a group: each sub
    entry becomes an entry, defined by the group text plus its own text.
    """
    items: list[tuple[str, str]] = []
    for position, block in enumerate(blocks):
        if not block.is_item:
            continue
        text = block.text.rstrip(";")
        if block.marker == "o":
            parent = next(b for b in reversed(blocks[:position]) if b.marker not in ("o", ""))
            items.append((text, f"{parent.text} {text}"))
            continue
        has_sub_items = position + 1 < len(blocks) and blocks[position + 1].marker == "o"
        if text.endswith(":") and has_sub_items:
            continue
        items.append((text, text))
    return items


def _theme_indicators(
    doc: WrappedText,
    theme_name: str,
    measure: list[Block],
    baseline: tuple[int, int] | None,
    goals: list[dict],
) -> list[dict]:
    anchors = APELDOORN_INDICATORS.get(theme_name, ())
    items = _measure_items(measure)
    used: set[int] = set()
    flat = doc.flat()
    goal_text = " ".join(goal["text"] for goal in goals)
    indicators = []
    for anchor in anchors:
        entry = definition = None
        if anchor.item is not None:
            matches = [
                i for i, (text, _) in enumerate(items) if norm(text).startswith(norm(anchor.item))
            ]
            _require(len(matches) == 1, f"{theme_name}: list entry {anchor.item!r} not unique")
            used.add(matches[0])
            entry, definition = items[matches[0]]
        if anchor.duplicate:
            continue
        row = None
        if anchor.row is not None:
            _require(baseline, f"{theme_name}: no starting point table")
            row = _table_row(doc, baseline[0], baseline[1], anchor.row)
            if row["percent"]:
                _require(anchor.unit == "percentage", f"{anchor.row!r} is a percentage")
            if row["euro"]:
                _require(anchor.unit == "euro", f"{anchor.row!r} is an amount in euros")
        if anchor.name == "item":
            _require(entry, f"{theme_name}: indicator without a list entry needs a name")
            name = _capitalise(entry.split(";")[0].rstrip(" .:"))
        elif anchor.name == "row":
            name = row["label"]
        else:
            _require(_contains(flat, anchor.name), f"name {anchor.name!r} not in the document")
            name = _capitalise(anchor.name)
        if anchor.definition is not None:
            _require(_contains(flat, anchor.definition), f"{anchor.definition!r} not found")
            definition = anchor.definition
        elif definition is None:
            definition = row["label"]
        target = None
        if anchor.target:
            comparison, pattern = anchor.target
            found = re.search(pattern, goal_text)
            _require(found, f"{theme_name}: target {pattern!r} not in the goals")
            value = _parse_number(found[1]) if comparison in ("gte", "lte") else None
            target = {"comparison": comparison, "value": value, "text": found[0]}
        has_value = row is not None and row["value"] is not None
        frequency = anchor.frequency
        if row is not None and _EVERY_OTHER_YEAR.search(row["label"]):
            frequency = "two_years"
        if has_value and row["period"] != str(row["year"]):
            _require(frequency == "half_year", f"{anchor.row!r}: half-year value, yearly anchor")
        indicator = {
            "name": name,
            "unit": anchor.unit,
            "direction": anchor.direction,
            "source": anchor.source,
            "frequency": frequency,
            "definition": definition,
            "start_year": row["year"] if has_value else None,
            "start_value": row["value"] if has_value else None,
            "target": target,
        }
        if has_value and row["period"] != str(row["year"]):
            indicator["start_period"] = row["period"]
        if row is not None and row.get("remark"):
            indicator["remarks"] = [row["remark"]]
        indicators.append(indicator)
    unused = [items[i][0] for i in range(len(items)) if i not in used]
    _require(not unused, f"{theme_name}: list entries without an indicator: {unused}")
    return indicators


def _theme_goals(blocks: list[Block]) -> list[dict]:
    """Goals from a "Doel" section: its sentences, one goal each. A list that the section
    introduces ("We werken eerst aan deze thema's: 1. drugsproductie ...") belongs to the last
    goal and is kept in its text, so the goal reads as complete as the document."""
    text = ""
    rest: list[Block] = []
    for index, block in enumerate(blocks):
        if block.is_item or block.text.endswith(":"):
            rest = blocks[index:]
            break
        text = f"{text} {block.text}".strip()
    text = re.sub(r"(?<=[a-z])[1-9](?=\.)", "", text)  # footnote markers ("ervaren3.")
    goals: list[str] = []
    for sentence in _sentences(text):
        if goals and sentence.startswith(GOAL_CONTINUATIONS):
            goals[-1] = f"{goals[-1]} {sentence}"
        else:
            goals.append(sentence)
    result = []
    for goal in goals:
        target_text = ""
        for pattern in GOAL_TARGET_PATTERNS:
            found = re.search(pattern, goal)
            if found:
                target_text = found[0]
                break
        result.append({"text": goal, "topic": None, "target_text": target_text})
    if rest:
        _require(result, "a list in a Doel section without a goal before it")
        result[-1]["text"] = f"{result[-1]['text']}\n\n{render(rest)}"
    return result


def _house_topics(doc: WrappedText, start: int, end: int) -> list[list[str]]:
    """Sub themes per pillar of the house drawing: runs of "•" lines, one run per theme."""
    groups: list[list[str]] = []
    previous_no = None
    for index in range(start, end):
        no, line = doc.lines[index]
        bullet = _BULLET.match(line)
        _require(bullet and bullet["marker"] == "•", f"unexpected line {no} in the drawing")
        text = bullet["text"]
        if previous_no is None or no > previous_no + 1:
            groups.append([text])
        elif text[:1].islower() or groups[-1][-1].endswith("/"):
            groups[-1][-1] = join_wrapped(groups[-1][-1], text)
        else:
            groups[-1].append(text)
        previous_no = no
    return groups


def _is_footnote(doc: WrappedText, index: int) -> bool:
    no = doc.lines[index][0]
    return bool(re.match(r"^\d+\s{2,}\S", doc.raw[no - 1].strip()))


def _apeldoorn_themes(doc: WrappedText) -> list[dict]:
    first = doc.find("Veiligheidsthema 1:")
    part_two = doc.find("DEEL 2", first)
    heads = [
        index
        for index in range(first, part_two)
        if re.match(r"^(Veiligheidsthema \d+:|Strategisch thema:)", doc.text(index))
    ]
    drawing_start = doc.find("Strategisch thema: Informatiemanagement") + 1
    topic_groups = _house_topics(doc, drawing_start, first)
    priority_count = sum(doc.text(h).startswith("Veiligheidsthema") for h in heads)
    _require(len(topic_groups) == priority_count, "one group of sub themes per safety theme")

    themes = []
    for number, head in enumerate(heads):
        end = heads[number + 1] if number + 1 < len(heads) else part_two
        kind = "priority" if doc.text(head).startswith("Veiligheidsthema") else "strategic"
        sections: dict[str, int] = {}
        for index in range(head + 1, end):
            key = norm(doc.text(index)).rstrip("?").strip()
            if key in THEME_SECTIONS and THEME_SECTIONS[key] not in sections:
                sections[THEME_SECTIONS[key]] = index
        _require("description" in sections and "goals" in sections, f"theme at {head}")
        name = doc.text(head).split(":", 1)[1].strip()
        for index in range(head + 1, sections["description"]):
            if not _is_footnote(doc, index):
                name = join_wrapped(name, doc.text(index))
        bounds = sorted(sections.values()) + [end]

        # (first line, end) of every section of this theme
        spans = {key: (at + 1, bounds[bounds.index(at) + 1]) for key, at in sections.items()}
        goals = _theme_goals(doc.blocks(*spans["goals"]))
        measure = doc.blocks(*spans["measure"]) if "measure" in spans else []
        indicators = _theme_indicators(doc, name, measure, spans.get("baseline"), goals)
        topics = topic_groups[number] if kind == "priority" else []
        themes.append(
            {
                "kind": kind,
                "name": name,
                "description": render(doc.blocks(*spans["description"])),
                "topics": [{"name": topic} for topic in topics],
                "goals": goals,
                "indicators": indicators,
                "actions": [],
            }
        )
    unknown = set(APELDOORN_INDICATORS) - {theme["name"] for theme in themes}
    _require(not unknown, f"indicator anchors for unknown themes: {unknown}")
    return themes


def _headline_indicators(doc: WrappedText) -> list[dict]:
    start = doc.find("Dat betekent onder andere dat:")
    end = doc.find("‘Stad van de veiligheid’", start)
    items = [block.text for block in doc.blocks(start + 1, end) if block.is_item]
    _require(len(items) == 3, "three headline bullets")
    definitions = [re.sub(r"\s+\d$", "", item) for item in items]  # drop footnote "1"
    source_note = doc.text(doc.find(lambda line: line.startswith("1 Dit zijn cijfers")))
    _require("politie" in source_note and "inwonerpanel" in source_note, "headline sources")

    grade = re.search(
        r"rapportcijfer (‘[^’]+’).*?(gelijk moet blijven of hoger moet worden dan "
        r"(\d+,\d+)) \(in (\d{4}): (\d+,\d+)\)",
        items[0],
    )
    safe = re.search(
        r"(percentage bewoners dat zich veilig voelt) \((\d+)% in (\d{4})\) "
        r"(moet stijgen of tenminste gelijk blijven)",
        items[1],
    )
    counts = re.search(
        r"aantal (incidenten) \(([\d.]+) in (\d{4})\) en (misdrijven) \(([\d.]+) in (\d{4})\)"
        r" in de gemeente (moet afnemen of tenminste gelijk blijven)",
        items[2],
    )
    _require(grade and safe and counts, "headline figures")

    def indicator(name, unit, direction, source, definition, year, value, target):
        return {
            "name": name,
            "unit": unit,
            "direction": direction,
            "source": source,
            "frequency": "year",
            "definition": definition,
            "start_year": int(year),
            "start_value": _parse_number(value),
            "target": target,
        }

    not_above = {"comparison": "not_above_start", "value": None, "text": counts[7]}
    return [
        indicator(
            f"Rapportcijfer {grade[1]}",
            "grade",
            "up",
            "bewonerspanel",
            definitions[0],
            grade[4],
            grade[5],
            {"comparison": "gte", "value": _parse_number(grade[3]), "text": grade[2]},
        ),
        indicator(
            _capitalise(safe[1]),
            "percentage",
            "up",
            "bewonerspanel",
            definitions[1],
            safe[3],
            safe[2],
            {"comparison": "not_below_start", "value": None, "text": safe[4]},
        ),
        indicator(
            f"Aantal {counts[1]}",
            "count",
            "down",
            "politie",
            definitions[2],
            counts[3],
            counts[2],
            not_above,
        ),
        indicator(
            f"Aantal {counts[4]}",
            "count",
            "down",
            "politie",
            definitions[2],
            counts[6],
            counts[5],
            dict(not_above),
        ),
    ]


def _partners(anchors: Iterable[PartnerAnchor], *texts: str) -> list[dict]:
    partners = []
    for anchor in anchors:
        _require(
            any(_contains(text, anchor.anchor) for text in texts),
            f"partner {anchor.anchor!r} not in the document",
        )
        partners.append({"name": anchor.name, "kind": anchor.kind})
    return partners


def _mpb_claims(doc: WrappedText) -> list[dict]:
    """The "Claims MPB" table of 002 with its funding sentence."""
    header_index = doc.find("Claims MPB")
    years = re.findall(r"20\d\d", doc.text(header_index))
    _require(tuple(years) == PERIOD_YEARS, "MPB claim years")
    source = re.search(r"Dit geld komt uit de (MPB \d{4}-\d{4})", doc.flat())
    _require(source, "funding sentence of the MPB claims")
    lines = []
    for index in range(header_index + 1, len(doc)):
        row = re.match(r"^(?P<item>.*?)(?P<amounts>(?:\s+\d{1,3}(?:\.\d{3})+)+)$", doc.text(index))
        if not row:
            break
        amounts = [_parse_number(token) for token in row["amounts"].split()]
        # A shorter row starts in the first year ("voor 3 jaar vanaf 2023").
        lines.append(
            _budget_line(
                row["item"],
                dict(zip(years, amounts, strict=False)),
                source[1],
                True,
                IVP_MPB_CLAIMS,
            )
        )
    _require(len(lines) == 7, "seven MPB claims")
    return lines


def _mpb_printed_total(doc: WrappedText) -> int:
    """The total that 002 prints above the claims table ("Voor 2023-2026 is er € 6.934.800")."""
    found = re.search(r"Voor 2023-2026 is er € (\d{1,3}(?:\.\d{3})+) voor", doc.flat())
    _require(found, "printed total of the MPB claims")
    return _parse_number(found[1])


REPORT_PATTERNS = (
    # (report type, interval in months or None for once, months after the plan's start, pattern)
    (
        "veiligheidsbrief",
        6,
        6,
        r"Tot nu toe rapporteerde de burgemeester eens per half jaar[^.]*\.",
    ),
    (
        "jaarrapportage",
        12,
        12,
        r"Elk jaar laat de burgemeester de gemeenteraad weten of de cijfers zijn gestegen[^.]*\.",
    ),
    ("tussentijdse_evaluatie", None, 24, r"Na 2 jaar heeft er een tussentijdse evaluatie[^.]*\."),
)


def _reporting_cycle(doc: WrappedText, first_year: int) -> list[dict]:
    """The reports to the council that 002 names, with the sentence that names each. The first
    due date is the end of the first interval after the plan's start (1 January of its first
    year): the document names the rhythm, not dates."""
    flat = doc.flat()
    cycle = []
    for report_type, interval, months, pattern in REPORT_PATTERNS:
        found = re.search(pattern, flat)
        _require(found, f"reporting cycle: {report_type}")
        year, month = first_year + (months - 1) // 12, (months - 1) % 12 + 1
        last_day = 30 if month in (4, 6, 9, 11) else 31 if month != 2 else 28
        cycle.append(
            {
                "report_type": report_type,
                "interval_months": interval,
                "first_due": f"{year}-{month:02d}-{last_day:02d}",
                "source_text": found[0],
            }
        )
    return cycle


PROGRAMME_BUDGET = "Financiën programmaplan"
IVP_MPB_CLAIMS = "Claims MPB (IVP)"


def _budget_line(
    item: str, amounts: dict[str, int], source: str, mpb: bool, section: str = PROGRAMME_BUDGET
) -> dict:
    # Structural: the same amount in every year of the plan period.
    structural = set(amounts) == set(PERIOD_YEARS) and len(set(amounts.values())) == 1
    return {
        "item": item,
        "amounts": amounts,
        "funding_source": source,
        "structural": structural,
        "mpb_claim": mpb,
        "section": section,
    }


# --------------------------------------------------------------------------------------------
# 000: Programmaplan Integrale Veiligheid 2023-2026
# --------------------------------------------------------------------------------------------

ASSIGNMENT_FIELDS = {
    "wat is het": "what",
    "doel": "goal",
    "resultaat": "result",
    "wie": "who",
    "hoe": "how",
    "wanneer": "when",
}


def _section(raw: list[str], heading: str, next_heading: str) -> list[str]:
    start = _line_index(raw, heading)
    end = _line_index(raw, next_heading, start + 1)
    return raw[start + 1 : end]


def _assignments(raw: list[str]) -> list[dict]:
    """Pillars of chapter 4.1 with their numbered opgaves."""
    paras = paragraphs(
        _section(
            raw, "4.1. Welke opgaves gaan we concreet aanpakken", "5. Risico's uitvoering programma"
        )
    )
    pillars: list[dict] = []
    current: dict | None = None
    field = None
    fields: dict[str, list[str]] = {}
    expecting_title = False

    def close() -> None:
        if current is not None:
            for key in ASSIGNMENT_FIELDS.values():
                current[key] = render(paragraph_blocks(fields.get(key, [])))

    for para in paras:
        pillar = re.match(r"^Pijler (\d)\.?\s+(.+)$", para)
        number = re.match(r"^(\d)\.?(?:\s+(.+))?$", para)
        if expecting_title:
            current["title"] = para.rstrip(".")
            expecting_title = False
        elif pillar:
            close()
            current = None
            pillars.append({"number": pillar[1], "name": pillar[2], "assignments": []})
        elif norm(para) in ASSIGNMENT_FIELDS:
            field = ASSIGNMENT_FIELDS[norm(para)]
        elif number and int(number[1]) == sum(len(p["assignments"]) for p in pillars) + 1:
            close()
            current = {"number": number[1], "title": (number[2] or "").rstrip(".")}
            expecting_title = not number[2]
            pillars[-1]["assignments"].append(current)
            fields = {}
            field = None
        else:
            _require(current is not None and field, f"text outside an opgave field: {para!r}")
            fields.setdefault(field, []).append(para)
    close()

    for pillar in pillars:
        for assignment in pillar["assignments"]:
            approach = next(
                (kind for rule, kind in APPROACH_RULES if re.search(rule, assignment["how"])),
                None,
            )
            _require(approach, f"no approach for opgave {assignment['number']}")
            assignment["approach"] = approach
    return pillars


def _pillar_descriptions(raw: list[str]) -> dict[str, str]:
    paras = paragraphs(_section(raw, "3.2.1. De 3 Pijlers", "3.2.2. Actieplannen IVP"))
    descriptions: dict[str, list[str]] = {}
    number = None
    for para in paras:
        heading = re.search(r"Pijler (\d) De inzet op", para)
        if heading:
            number = heading[1]
            descriptions[number] = []
        elif number:
            descriptions[number].append(para)
    return {key: render(paragraph_blocks(value)) for key, value in descriptions.items()}


def _risks(raw: list[str]) -> list[dict]:
    """Chapter 5 is prose; its sentences are split into risk and mitigation by anchors."""
    text = " ".join(
        paragraphs(_section(raw, "5. Risico's uitvoering programma", "6. Programma organisatie"))
    )

    def between(start: str, end: str) -> str:
        begin = text.find(start)
        _require(begin >= 0, f"risk anchor {start!r}")
        stop = text.find(end, begin)
        _require(stop >= 0, f"risk anchor {end!r}")
        return text[begin : stop + len(end)]

    owner = re.search(r"De (gezagsdriehoek) heeft hierin een belangrijke en beslissende rol", text)
    _require(owner, "owner of the prioritisation")
    return [
        {
            # The chapter's first sentence says what "Dat betekent" refers to.
            "description": between("Ten aanzien van de uitvoering van het programma", "verkeren."),
            "likelihood": None,
            "impact": None,
            "mitigation": between("Om de doelen en de resultaten", "willen gaan."),
            "owner": "",
        },
        {
            "description": between("Echter we merken", "het grootste risico is te zien."),
            "likelihood": None,
            "impact": None,
            "mitigation": between("Verder is het van belang", "beslissende rol."),
            "owner": _capitalise(owner[1]),
        },
    ]


def _organisation(raw: list[str]) -> tuple[list[dict], list[dict]]:
    lines = _section(raw, "6. Programma organisatie", "7. Financieel inzicht")
    roles, participants = [], []
    label = None
    for line in lines:
        cells = [cell.strip() for cell in line.split("\t")]
        if not any(cells):
            continue
        if len(cells) == 2 and cells[0].endswith(":") and cells[0] != "In- en extern:":
            roles.append({"name": cells[0].rstrip(":"), "description": "", "holder": cells[1]})
        elif cells[0] == "In- en extern:":
            label = cells[0].rstrip(":")
            participants.append({"name": cells[1], "role": label})
        elif label and cells[0] == "" and cells[-1]:
            participants.append({"name": cells[-1], "role": label})
    _require(len(roles) == 3, "three programme roles")
    return roles, participants


def _programme_budget(raw: list[str]) -> tuple[list[dict], dict[str, int | None], dict]:
    start = _line_index(raw, "7. Financieel inzicht")
    header = next(i for i in range(start, len(raw)) if raw[i].startswith("Wat\t"))
    years = raw[header].split("\t")[1:]
    _require(tuple(years) == PERIOD_YEARS, "programme budget years")

    # Funding overview above the table: three sources and their printed sum.
    funding, printed_sum = [], None
    for line in raw[start + 1 : header]:
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) == 2 and re.fullmatch(r"[\d.]+", cells[1]):
            if cells[0]:
                funding.append((cells[0], _parse_number(cells[1])))
            else:
                printed_sum = _parse_number(cells[1])
    _require(sum(amount for _, amount in funding) == printed_sum, "funding overview sum")
    funding_source = ", ".join(label for label, _ in funding)
    overview = {
        "rows": [{"source": label, "amount": amount} for label, amount in funding],
        "printed_total": printed_sum,
    }

    lines, totals = [], None
    for line in raw[header + 1 :]:
        cells = line.split("\t")
        if not line.strip():
            break
        item, values = cells[0].strip(), [cell.strip() for cell in cells[1:]]
        values += [""] * (len(years) - len(values))
        if item == "Totaal":
            totals = {
                year: (_parse_number(value) if value else None)
                for year, value in zip(years, values, strict=True)
            }
            continue
        own, mpb = {}, {}
        for year, value in zip(years, values, strict=True):
            if value.startswith("MPB"):
                mpb[year] = _parse_number(value[3:])
            elif value:
                own[year] = _parse_number(value)
        if own:
            lines.append(_budget_line(item, own, funding_source, False))
        if mpb:
            lines.append(_budget_line(item, mpb, "MPB", True))
    _require(totals, "programme budget total row")
    return lines, totals, overview


def build_programme(raw_text: str) -> dict:
    raw = raw_text.splitlines()
    non_empty = [clean(line) for line in raw if line.strip()]
    title = " ".join(non_empty[:4])
    _require(title.startswith("Programma Integrale Veiligheid"), "programme title")
    steering = paragraphs(
        _section(raw, "3.2. Programmasturing op het IVP 2023-2026", "3.2.1. De 3 Pijlers")
    )
    descriptions = _pillar_descriptions(raw)
    pillars = _assignments(raw)
    _require(len(pillars) == 3 and set(descriptions) == {"1", "2", "3"}, "three pillars")
    roles, participants = _organisation(raw)
    budget_lines, totals, funding_overview = _programme_budget(raw)
    return {
        "title": title,
        "description": render(paragraph_blocks(steering)),
        "pillars": [
            {
                "name": pillar["name"],
                "description": descriptions[pillar["number"]],
                "assignments": pillar["assignments"],
            }
            for pillar in pillars
        ],
        "roles": roles,
        "participants": participants,
        "risks": _risks(raw),
        "budget_lines": budget_lines,
        "budget_totals": totals,
        "table_totals": {},
        "funding_overview": funding_overview,
    }


def build_apeldoorn(plan_text: str, programme_text: str) -> dict:
    doc = WrappedText(plan_text)
    title_pattern = re.compile(r"^(Integraal veiligheidsplan Apeldoorn (\d{4})-(\d{4}))")
    title = title_pattern.match(doc.text(doc.find(lambda line: bool(title_pattern.match(line)))))
    summary_start = doc.find("Dit integraal veiligheidsplan is bedoeld voor")
    summary_end = doc.find(lambda line: "controleren of dat gebeurt" in line, summary_start)
    programme = build_programme(programme_text)
    programme["budget_lines"] += _mpb_claims(doc)
    programme["table_totals"][IVP_MPB_CLAIMS] = _mpb_printed_total(doc)
    return {
        "slug": APELDOORN_SLUG,
        "title": title[1],
        "kind": "integral_plan",
        "period_start": int(title[2]),
        "period_end": int(title[3]),
        "owner": {"kind": "municipality", "cbs_code": "GM0200", "name": "Apeldoorn"},
        "status": "adopted",
        "adopted_on": None,
        "summary": render(doc.blocks(summary_start, summary_end + 1)),
        "source_document": IVP_APELDOORN,
        "reporting_cycle": _reporting_cycle(doc, int(title[2])),
        "partners": _partners(APELDOORN_PARTNERS, doc.flat(), programme_text),
        "headline_indicators": _headline_indicators(doc),
        "themes": _apeldoorn_themes(doc),
        "programme": programme,
    }


# --------------------------------------------------------------------------------------------
# 004: Integraal Veiligheidsbeleid 2023-2026 Oude IJsselstreek
# --------------------------------------------------------------------------------------------


def _priority(paras: list[str], partners: list[dict]) -> dict:
    heading = re.match(r"^Prioriteit \d+: (.+)$", paras[0])
    goals_at = next(i for i, p in enumerate(paras) if p.startswith("Doelen "))
    actions_at = paras.index("Wat gaan we doen?")
    topics: list[str] = []
    goals = []
    topic = None
    for para in paras[goals_at + 1 : actions_at]:
        marked = re.match(r"^- \*(.+)\*$", para)
        if marked:
            topic = marked[1]
            topics.append(topic)
        elif para.startswith("- "):
            goals.append({"text": para[2:], "topic": topic, "target_text": ""})
        elif topic:  # the paragraphs below a marked audience are its goal
            if goals and goals[-1]["topic"] == topic:
                goals[-1]["text"] += "\n\n" + para
            else:
                goals.append({"text": para, "topic": topic, "target_text": ""})
        # an introduction before the first goal is not a goal itself
    actions = []
    for para in paras[actions_at + 1 :]:
        _require(para.startswith("- "), f"unexpected text among the actions: {para!r}")
        text = para[2:]
        actions.append(
            {
                "topic": None,
                "subject": _sentences(text)[0],
                "description": text,
                "lead": "",
                "partners": [
                    partner["name"]
                    for partner in partners
                    if re.search(rf"\b{re.escape(partner['name'])}\b", text, re.IGNORECASE)
                ],
                "due_text": "",
            }
        )
    return {
        "kind": "priority",
        "name": heading[1],
        "description": render(paragraph_blocks(paras[1:goals_at])),
        "topics": [{"name": name} for name in topics],
        "goals": goals,
        "indicators": [],
        "actions": actions,
    }


def build_oude_ijsselstreek(text: str) -> dict:
    raw = text.splitlines()
    paras = paragraphs(raw)
    period = next(p for p in paras if re.fullmatch(r"\d{4}-\d{4}", p))
    title = next(p for p in paras if p.startswith("Integraal Veiligheidsbeleid Gemeente"))
    owner = re.match(r"^Integraal Veiligheidsbeleid Gemeente (.+)$", title)
    partners = _partners(OUDE_IJSSELSTREEK_PARTNERS, text)
    summary = next(p for p in paras if p.startswith("Wij werken samen met andere"))

    start = paras.index("Hoofdstuk 2 Veiligheidsprioriteiten/thema's")
    end = paras.index("Hoofdstuk 3", start)
    heads = [i for i in range(start, end) if paras[i].startswith("Prioriteit ")]
    themes = [
        _priority(paras[head : (heads[n + 1] if n + 1 < len(heads) else end)], partners)
        for n, head in enumerate(heads)
    ]
    first, last = (int(year) for year in period.split("-"))
    return {
        "slug": OUDE_IJSSELSTREEK_SLUG,
        "title": f"{title} {period}",
        "kind": "integral_plan",
        "period_start": first,
        "period_end": last,
        # The CBS code is not in the document: it is the municipality's public CBS code.
        "owner": {"kind": "municipality", "cbs_code": "GM1509", "name": owner[1]},
        "status": "adopted",
        "adopted_on": None,
        "summary": summary,
        "source_document": IVB_OUDE_IJSSELSTREEK,
        "partners": partners,
        "headline_indicators": [],
        "themes": themes,
        "programme": None,
    }


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def build_all(documents_dir: Path = DOCUMENTS_DIR) -> dict[str, dict]:
    """The fixtures by file name."""

    def read(name: str) -> str:
        return (documents_dir / name).read_text(encoding="utf-8")

    return {
        f"{APELDOORN_SLUG}.json": build_apeldoorn(read(IVP_APELDOORN), read(PROGRAMME_APELDOORN)),
        f"{OUDE_IJSSELSTREEK_SLUG}.json": build_oude_ijsselstreek(read(IVB_OUDE_IJSSELSTREEK)),
    }


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(documents_dir: Path = DOCUMENTS_DIR, data_dir: Path = DATA_DIR) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, data in build_all(documents_dir).items():
        (data_dir / name).write_text(dumps(data), encoding="utf-8")
        print(f"wrote {data_dir / name}")


if __name__ == "__main__":
    main()
