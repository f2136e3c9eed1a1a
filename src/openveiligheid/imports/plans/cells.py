"""Cell text of plan documents: clean-up, lead cells, action cells and due cells.

Plans arrive as text extracted from PDF (tab-separated lines with stray HTML list fragments such
as ``<ul style=...> - a - b``), DOCX, PDF and XLSX. These functions turn one cell into plain
data; ``extraction`` decides which cell is which.

- ``clean`` strips markup, fixes superscript artefacts ("2 ^e" -> "2e") and collapses space.
- ``split_lead_full`` reads a lead cell: "Gemeente V&R (Politie, OM)" is the lead "Gemeente V&R"
  (organisation "Gemeente", unit "V&R") with partners Politie and OM.
- ``split_actions`` gives one text per action of an action cell (bullets, ``<li>``, "- " items).
- ``due_parts`` gives the separate due texts of a due cell ("Doorlopend Eind 2017").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from openveiligheid.core.due import parse_due, split_due_cell
from openveiligheid.core.dutch import parse_meeting_date
from openveiligheid.core.text import fold_accents, normalise_name
from openveiligheid.organisations.matching import OrganisationMatcher

GOAL_RE = re.compile(r"^\s*(?:doel|doelen|doelstellingen?)\s*:\s*(?P<text>.*?)\s*$", re.I)
SITUATION_RE = re.compile(r"^\s*veiligheidsbeeld\s*:\s*(?P<text>.*?)\s*$", re.IGNORECASE)

# Organisations whose name may be followed by one of their units ("Gemeente V&R").
_ORGS_WITH_UNITS = ("gemeente", "politie", "brandweer", "om")
_UNIT_SEPARATOR_RE = re.compile(r"\s+[-–—/]\s+")

SEPARATOR_CELL_RE = re.compile(r"^[-–—=_|:+\s]+$")
TERMINAL_PUNCTUATION = ".!?;"

# Sentinels standing in for list markup while splitting an action cell.
_LIST_OPEN, _LIST_CLOSE, _ITEM, _PARA_OPEN, _PARA_CLOSE = "\x01", "\x02", "\x03", "\x04", "\x05"
_SENTINELS = _LIST_OPEN + _LIST_CLOSE + _ITEM + _PARA_OPEN + _PARA_CLOSE
_TAG_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_SUPERSCRIPT_RE = re.compile(r"(\d)\s*\^\s*([a-zA-Z]{1,3})\b")
_UPPER = "A-ZÀ-ÖØ-Þ"


def clean(text: str) -> str:
    """Strip markup and sentinels, fix superscript artefacts ("2 ^e" -> "2e"), collapse space."""
    text = _TAG_RE.sub(" ", text)
    text = html.unescape(text)
    text = text.translate({ord(ch): " " for ch in _SENTINELS})
    text = _SUPERSCRIPT_RE.sub(r"\1\2", text)
    return " ".join(text.split())


def _first_letter(text: str) -> str:
    stripped = text.lstrip("\"'‘’“”(«[ ")
    return stripped[:1]


def starts_lower(text: str) -> bool:
    first = _first_letter(text)
    return first.isalpha() and first.islower()


def starts_digit(text: str) -> bool:
    first = _first_letter(text)
    return first.isdigit()


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """Split on ``separator`` outside parentheses."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        if ch == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


# --------------------------------------------------------------------------------------------
# Lead cell


def split_org_unit(lead: str) -> tuple[str, str]:
    match = re.match(
        rf"^({'|'.join(_ORGS_WITH_UNITS)})\b\s*[-–—/]?\s*(.*)$", lead, flags=re.IGNORECASE
    )
    if match:
        return match.group(1), match.group(2).strip(" -–—/")
    separator = _UNIT_SEPARATOR_RE.search(lead)
    if separator:
        return lead[: separator.start()].strip(), lead[separator.end() :].strip()
    return lead, ""


def split_lead_full(text: str, known_leads: Iterable[str] = ()) -> tuple[str, str, str, list[str]]:
    """Return (lead, organisation, unit, partners) for a lead cell."""
    text = clean(text)
    if not text:
        return "", "", "", []
    open_at = text.find("(")
    close_at = text.find(")")
    if open_at == -1 and close_at != -1:
        # The opening parenthesis got lost ("Veilig Thuis Gemeente, Politie)"). Use a lead
        # seen elsewhere in the document as the lead, or else the text up to the first comma.
        body = text.replace(")", " ").strip()
        lead = ""
        for known in sorted(set(known_leads), key=len, reverse=True):
            if known and re.match(rf"{re.escape(known)}\b", body, flags=re.IGNORECASE):
                lead = body[: len(known)]
                rest = body[len(known) :]
                break
        if not lead:
            lead, _, rest = body.partition(",")
        partners = split_top_level(rest)
        lead = lead.strip()
        return (lead, *split_org_unit(lead), partners)
    if open_at == -1:
        return (text, *split_org_unit(text), [])
    lead = text[:open_at].strip()
    depth = 0
    end = len(text)
    for index in range(open_at, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                end = index
                break
    partners = split_top_level(text[open_at + 1 : end])
    trailing = text[end + 1 :].strip()
    if trailing:
        lead = f"{lead} {trailing}".strip()
    return (lead, *split_org_unit(lead), partners)


# --------------------------------------------------------------------------------------------
# Action cell


def _mark_html(cell: str) -> str:
    """Replace list and paragraph markup by sentinels; drop other tags."""

    def replace(match: re.Match[str]) -> str:
        closing, name = match.group(1), match.group(2).lower()
        if name in ("ul", "ol"):
            return _LIST_CLOSE if closing else _LIST_OPEN
        if name == "li":
            return " " if closing else _ITEM
        if name == "p":
            return _PARA_CLOSE if closing else _PARA_OPEN
        if name == "br":
            return " "
        return ""

    return _TAG_RE.sub(replace, cell)


@dataclass
class _Marker:
    start: int  # where the marker begins
    end: int  # where the item text begins
    kind: str


def _find_markers(text: str) -> list[_Marker]:
    markers: dict[int, _Marker] = {}

    for match in re.finditer(re.escape(_ITEM), text):
        markers[match.start()] = _Marker(match.start(), match.end(), "li")
    for match in re.finditer(r"[•▪◦●]\s*", text):
        markers[match.start()] = _Marker(match.start(), match.end(), "dot")

    list_context = (
        _LIST_OPEN in text
        or _ITEM in text
        or re.match(rf"[\s{_PARA_OPEN}{_PARA_CLOSE}]*-\s", text) is not None
        or re.search(rf"{_PARA_OPEN}\s*-\s", text) is not None
        or re.search(r":\s+-\s", text) is not None
    )
    if list_context:
        dash_patterns = [
            # at the start of the cell, a list or a paragraph
            rf"(?:^|(?<=[{_SENTINELS}]))\s*(-)\s+",
            # " - " between items
            r"(?<=\s)(-)\s+",
        ]
        if re.search(rf"{_LIST_OPEN}-\s", text):
            # Lists written without spaces ("...schorsen;- Bij ..."): a hyphen glued to the
            # previous word starts an item when a capital follows.
            dash_patterns.append(rf"(?<=[^\s{_SENTINELS}\-])(-)\s+(?=[{_UPPER}])")
        for pattern in dash_patterns:
            for match in re.finditer(pattern, text):
                start = match.start(1)
                markers.setdefault(start, _Marker(start, match.end(), "dash"))
    return sorted(markers.values(), key=lambda marker: marker.start)


@dataclass
class _Piece:
    text: str
    bullet: bool
    absorbed: bool = False  # sub-items were folded into this piece


def _pieces(cell: str) -> list[_Piece]:
    text = _mark_html(cell)
    markers = _find_markers(text)
    if not markers:
        cleaned = clean(text)
        return [_Piece(cleaned, bullet=False)] if cleaned else []
    primary = markers[0].kind
    top = {marker.start: marker for marker in markers if marker.kind == primary}

    # Boundaries: top-level markers, paragraphs that do not start with a marker, and text
    # after a closing outer list.
    boundaries: list[tuple[int, int, bool]] = [(m.start, m.end, True) for m in top.values()]
    depth = 0
    for index, ch in enumerate(text):
        if ch == _LIST_OPEN:
            depth += 1
        elif ch == _LIST_CLOSE:
            depth = max(depth - 1, 0)
            if depth == 0:
                boundaries.append((index, index + 1, False))
        elif ch == _PARA_OPEN:
            following = index + 1
            while following < len(text) and text[following].isspace():
                following += 1
            if following not in top:
                boundaries.append((index, index + 1, False))
    boundaries.sort()

    pieces: list[_Piece] = []
    intro = clean(text[: boundaries[0][0]])
    if intro:
        pieces.append(_Piece(intro, bullet=False))
    for position, (_, content_start, is_bullet) in enumerate(boundaries):
        stop = boundaries[position + 1][0] if position + 1 < len(boundaries) else len(text)
        content = clean(text[content_start:stop])
        if content:
            pieces.append(_Piece(content, bullet=is_bullet))
    return pieces


def _is_lead_in(text: str) -> bool:
    """An introduction that the following items complete ("Vormgeven en implementatie:")."""
    if text.endswith(":"):
        return True
    return len(text) <= 80 and text[-1] not in TERMINAL_PUNCTUATION


def split_actions(cell: str) -> list[str]:
    """Split an action cell into one text per action.

    Items are found from ``<li>`` tags, bullet characters (•) or ``- `` items (in an HTML list,
    at the start of the cell or after "...: "). The first kind of marker in the cell is the top
    level; other markers (nested "•" or "o" lists) stay inside their item.

    Items starting in lower case, or with a digit right after an item ending in ":", are
    sub-items and are folded into the item or introduction before them ("Informatiebijeenkomst
    over: - preventie - ontruimingsplannen" stays one action). An introduction that ends with
    ":" (or a short heading) is put in front of each of its items; an introduction that is a
    sentence of its own is an action of its own.
    """
    pieces = _pieces(cell)
    if not pieces:
        return []
    if not any(piece.bullet for piece in pieces):
        return [" ".join(piece.text for piece in pieces)]

    merged: list[_Piece] = []
    for piece in pieces:
        previous = merged[-1] if merged else None
        if piece.bullet and previous is not None:
            opens_list = previous.text.endswith(":") or previous.absorbed
            if (starts_lower(piece.text) and (opens_list or not previous.bullet)) or (
                starts_digit(piece.text) and opens_list
            ):
                previous.text = f"{previous.text} - {piece.text}"
                previous.absorbed = True
                continue
        merged.append(_Piece(piece.text, piece.bullet))

    actions: list[str] = []
    lead_in = ""
    for index, piece in enumerate(merged):
        if piece.bullet:
            if lead_in:
                joiner = " " if lead_in.endswith(":") else ": "
                actions.append(f"{lead_in}{joiner}{piece.text}")
            else:
                actions.append(piece.text)
            continue
        followed_by_items = index + 1 < len(merged) and merged[index + 1].bullet
        if followed_by_items and not piece.absorbed and _is_lead_in(piece.text):
            lead_in = piece.text
        else:
            lead_in = ""
            actions.append(piece.text)
    return actions


# --------------------------------------------------------------------------------------------
# Due cell


def due_parts(due: str) -> list[str]:
    text = clean(due)
    if not text:
        return []
    if re.match(r"-\s", text):
        return [part.strip() for part in re.split(r"(?:^|\s)-\s+", text) if part.strip()]
    return [part for part in split_due_cell(text) if part]


def due_groups(cell: str) -> list[list[str]]:
    """The due texts of a due cell, grouped by the paragraphs they were printed in.

    A PDF extraction keeps a cell's paragraphs as ``<p>...</p>``: "<p>Eerste kwartaal 2017
    Eerste kwartaal 2017</p> <p>Doorlopend</p>" is two groups. A cell without paragraphs is
    one group; so is a DOCX cell with one due text per line.
    """
    paragraphs = [part for part in _PARAGRAPH_RE.findall(cell) if clean(part)]
    if len(paragraphs) >= 2 and not clean(_PARAGRAPH_RE.sub(" ", cell)):
        return [group for group in (due_parts(part) for part in paragraphs) if group]
    if "\n" in cell:
        line_texts = lines(cell)
        if len(line_texts) > 1:
            return [[piece for line in line_texts for piece in due_parts(line)]]
    pieces = due_parts(cell.replace("\n", " "))
    return [pieces] if pieces else []


_PARAGRAPH_RE = re.compile(r"<\s*p\b[^>]*>(.*?)<\s*/\s*p\s*>", re.IGNORECASE | re.DOTALL)


@dataclass
class DueAlignment:
    """The due text of each action of a row; ``certain`` is False when the due cell did not
    hold one due text per action and the texts were placed by their position only."""

    texts: list[str]
    certain: bool = True


def align_due(cell: str, count: int) -> DueAlignment:
    """Give each of ``count`` actions (in order) its own due text from the due cell beside them.

    One due text per action: each its own. One due text for several actions: all share it.
    Otherwise the counts do not match and nothing tells which date belongs to which action; the
    cell's first paragraph is read from the first action down and its last paragraph from the
    last action up (cells are printed top-aligned, a paragraph apart means a gap), and the
    actions left over get no due text. A date cell is never copied to every action.
    """
    whole = clean(cell.replace("\n", " "))
    if count <= 1 or not whole:
        return DueAlignment([whole] * max(count, 1))
    line_texts = lines(cell) if "\n" in cell else []
    if len(line_texts) == count:
        return DueAlignment(line_texts)
    groups = due_groups(cell)
    pieces = [piece for group in groups for piece in group]
    if len(pieces) == count:
        return DueAlignment(pieces)
    if len(pieces) <= 1:
        return DueAlignment([whole] * count)
    texts = [""] * count
    first = groups[0][:count]
    texts[: len(first)] = first
    room = count - len(first)
    if len(groups) > 1 and room > 0:
        last = groups[-1][-room:]
        texts[count - len(last) :] = last
    return DueAlignment(texts, certain=False)


_SENTENCE_END_RE = re.compile(rf"(?<=[a-zà-ÿ)][.!?])\s+(?=[{_UPPER}])")


def split_sentences(text: str) -> list[str]:
    """The sentences of an action text ("Doorontwikkeling .... Evaluatie ...")."""
    return [part.strip() for part in _SENTENCE_END_RE.split(clean(text)) if part.strip()]


# --------------------------------------------------------------------------------------------
# Other cells

_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\+|\ben\b|\bmet\b)\s*", re.IGNORECASE)
_LEAD_LABEL_RE = re.compile(r"^(?:trekkers?|wie|regievoerder|actiehouder)\s*:\s*", re.I)
_LIST_ITEM_RE = re.compile(r"^\s*(?:[•▪◦●*–-]|\d+[.)])\s+")
BULLET = "• "

_STATUS_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cancelled", re.compile(r"vervallen|geannuleerd|gestopt|niet uitgevoerd|geschrapt")),
    ("planned", re.compile(r"nog niet gestart|gepland|niet gestart|nieuw|te starten|open")),
    ("done", re.compile(r"afgerond|gereed|klaar|uitgevoerd|voltooid|gerealiseerd")),
    ("delayed", re.compile(r"vertraagd|uitgesteld|achterstand|loopt achter")),
    ("in_progress", re.compile(r"loopt|lopend|in uitvoering|gestart|bezig|in behandeling")),
)


def normalise_header(text: str) -> str:
    """A header as the vocabularies write it: lower case, no accents, inner punctuation kept
    ("sub speerpunt/onderwerp")."""
    return fold_accents(clean(text)).lower().strip(" *:.?")


def normalise_text(text: str) -> str:
    """Words of a cell to compare (calendar entries with actions): the one name normaliser."""
    return normalise_name(clean(text))


def meeting_date(text: str, year: int | None) -> tuple[date, date | None] | None:
    """(date, document deadline) for a calendar header such as "11-2-2021 (28-1)"."""
    cleaned = " ".join(clean(text).split())
    if not cleaned or len(cleaned) > 60:
        return None
    try:
        return parse_meeting_date(cleaned, year)
    except (ValueError, TypeError):
        pass
    due = parse_due(re.sub(r"\([^)]*\)", "", cleaned), year)
    if due.understood and due.start is not None and due.start == due.end:
        return due.start, None
    return None


def single_date(text: str, year: int | None) -> date | None:
    due = parse_due(clean(text), year)
    if due.understood and due.start is not None and due.start == due.end:
        return due.start
    found = meeting_date(text, year)
    return found[0] if found else None


def status_of(text: str) -> str:
    normalised = normalise_header(text)
    for status, pattern in _STATUS_WORDS:
        if pattern.search(normalised):
            return status
    return ""


def prepare_action_cell(text: str) -> str:
    """Turn the line breaks of a DOCX/XLSX cell into markers ``split_actions`` understands.

    Bulleted lines stay items; other lines become paragraphs when the cell has bullets, and
    items of their own when it has none (a line break separates actions), except a line
    ending in ":" which introduces the lines after it.
    """
    if "\n" not in text:
        return text
    cell_lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(cell_lines) == 1:
        return cell_lines[0]
    has_bullets = any(_is_bulleted(line) for line in cell_lines)
    if not has_bullets:
        cell_lines = _join_wrapped_lines(cell_lines)
        if len(cell_lines) == 1:
            return cell_lines[0]
    return " ".join(_marked_line(line, has_bullets) for line in cell_lines)


def _is_bulleted(line: str) -> bool:
    return bool(_LIST_ITEM_RE.match(line)) or line.startswith("•")


def _join_wrapped_lines(cell_lines: list[str]) -> list[str]:
    """A line starting in lower case is the rest of the line before (a manual line break)."""
    joined: list[str] = []
    for line in cell_lines:
        if joined and starts_lower(line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _marked_line(line: str, has_bullets: bool) -> str:
    bullet = _LIST_ITEM_RE.match(line)
    if bullet or line.startswith("•"):
        body = line[bullet.end() :] if bullet else line.lstrip("• ")
        return f"{BULLET}{body}"
    if has_bullets or line.endswith(":"):
        return f"<p>{line}</p>"
    return f"{BULLET}{line}"


def lines(text: str) -> list[str]:
    """The lines of a cell without their bullets."""
    stripped = (
        _LIST_ITEM_RE.sub("", line).lstrip("• ").strip() for line in (text or "").split("\n")
    )
    return [line for line in stripped if line]


def split_names(text: str) -> list[str]:
    """Organisation names in "Oldebroek en politie", "Ermelo, Putten / OM"."""
    text = _LEAD_LABEL_RE.sub("", clean(text)).strip(" .;:-–")
    names = []
    for part in split_top_level(text, ","):
        for name in _NAME_SEPARATORS.split(part):
            name = name.strip(" .;:-–()")
            if name:
                names.append(name)
    return names


def split_due_and_leads(
    text: str, year: int | None, matcher: OrganisationMatcher | None
) -> tuple[str, list[str]]:
    """("9 september", ["Oldebroek", "politie"]) for "9 september Oldebroek en politie".

    The longest leading (or trailing) run of words that reads as a due expression is the due
    text; the rest are the leads. Without a readable date the whole text is the due text, unless
    it consists of organisation names only.
    """
    cleaned = clean(text)
    if not cleaned:
        return "", []
    if parse_due(cleaned, year).understood:
        return cleaned, []
    found = _due_with_leads(cleaned.split(), year, matcher)
    if found is not None:
        return found
    names = split_names(cleaned)
    if matcher is not None and names and all(matcher.looks_like_organisation(n) for n in names):
        return "", names
    return cleaned, []


def _names_in(rest: str, matcher: OrganisationMatcher | None) -> list[str] | None:
    names = split_names(rest)
    # With known organisations, the rest must name at least one of them: "na de zomer als
    # het kan" is a due text, not "na de zomer" led by "als het kan".
    if matcher is not None and not any(matcher.looks_like_organisation(n) for n in names):
        return None
    return names


def _due_with_leads(
    tokens: list[str], year: int | None, matcher: OrganisationMatcher | None
) -> tuple[str, list[str]] | None:
    for length in range(len(tokens) - 1, 0, -1):
        splits = (
            (tokens[:length], tokens[length:]),
            (tokens[len(tokens) - length :], tokens[: len(tokens) - length]),
        )
        for due_tokens, rest in splits:
            due = " ".join(due_tokens).strip(" ,;:-–")
            if due and parse_due(due, year).understood:
                names = _names_in(" ".join(rest), matcher)
                if names:
                    return due, names
    return None


_GLUED_DASH_RE = re.compile(rf"(?:^|\s)-\s*(?=[{_UPPER}])")


def split_calendar_cell(text: str) -> list[str]:
    """The entries of a meeting calendar cell: "-Evaluatie jeugdaanpak -Sluitingsbeleid" is two.

    Calendar cells list what a lead brings to a meeting as lines, bullets or dashes written
    against the next word.
    """
    entries = []
    for piece in split_actions(prepare_action_cell(text)):
        for part in _GLUED_DASH_RE.split(piece):
            part = part.strip(" -;,")
            if part:
                entries.append(part)
    return entries
