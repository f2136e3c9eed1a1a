"""Bounds on the work of reading an uploaded file, for every format we read (CSV, JSON, PDF,
DOCX, XLSX, plain text). A small file can describe a million rows, a deep JSON, a thousand PDF
pages or one line of 100 MB; every reader checks its counts here while it reads, and the whole
reading runs within one time limit (``parse_time_limit``), so that no upload can hold a worker.

Every limit is a setting (config/settings.py, ``OPENVEILIGHEID_MAX_*``); every refusal is a
``ParseLimitExceeded`` whose Dutch message names the limit. The office archives' own limits
(unpacked size, parts, compression) are in core.archives."""

from __future__ import annotations

import contextvars
import json
import time
from contextlib import contextmanager

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class ParseLimitExceeded(ValueError):
    """Reading the file would exceed a limit; the message names it, in Dutch."""


def dutch_count(number: int) -> str:
    """1.000.000 (the dot groups thousands in Dutch)."""
    return f"{number:,}".replace(",", ".")


# --------------------------------------------------------------------------------------------
# Time

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "openveiligheid_parse_deadline", default=None
)


@contextmanager
def parse_time_limit(seconds: float | None = None):
    """Within this block every ``check_parse_time()`` refuses once OPENVEILIGHEID_MAX_PARSE_SECONDS
    (or ``seconds``) have passed. Nested blocks keep the earliest deadline."""
    limit = settings.OPENVEILIGHEID_MAX_PARSE_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + limit
    outer = _deadline.get()
    token = _deadline.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_parse_time() -> None:
    """Called by the readers between rows, pages and paragraphs: cheap, so call it often."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise ParseLimitExceeded(
            _(
                "Het lezen van dit bestand duurde langer dan %(seconds)s seconden (de grens "
                "OPENVEILIGHEID_MAX_PARSE_SECONDS). Splits het bestand in kleinere delen."
            )
            % {"seconds": dutch_count(int(settings.OPENVEILIGHEID_MAX_PARSE_SECONDS))}
        )


# --------------------------------------------------------------------------------------------
# Counts


def check_rows(rows: int) -> None:
    """At most OPENVEILIGHEID_MAX_ROWS rows (CSV lines, spreadsheet rows, text lines)."""
    limit = settings.OPENVEILIGHEID_MAX_ROWS
    if rows > limit:
        raise ParseLimitExceeded(
            _(
                "Dit bestand heeft meer dan %(max)s regels (de grens OPENVEILIGHEID_MAX_ROWS). "
                "Splits het bestand in kleinere delen."
            )
            % {"max": dutch_count(limit)}
        )
    if not rows % 1000:
        check_parse_time()


def check_line_length(length: int, line: int) -> None:
    """No line or field longer than OPENVEILIGHEID_MAX_LINE_CHARS characters."""
    limit = settings.OPENVEILIGHEID_MAX_LINE_CHARS
    if length > limit:
        raise ParseLimitExceeded(
            _(
                "Regel %(line)s is langer dan %(max)s tekens (de grens "
                "OPENVEILIGHEID_MAX_LINE_CHARS); zo'n bestand wordt niet gelezen."
            )
            % {"line": dutch_count(line), "max": dutch_count(limit)}
        )


def check_text_size(chars: int) -> None:
    """At most OPENVEILIGHEID_MAX_TEXT_CHARS characters of text from one document."""
    limit = settings.OPENVEILIGHEID_MAX_TEXT_CHARS
    if chars > limit:
        raise ParseLimitExceeded(
            _(
                "Dit document bevat meer dan %(max)s tekens tekst (de grens "
                "OPENVEILIGHEID_MAX_TEXT_CHARS). Splits het document in kleinere delen."
            )
            % {"max": dutch_count(limit)}
        )


def check_paragraphs(paragraphs: int) -> None:
    """At most OPENVEILIGHEID_MAX_PARAGRAPHS paragraphs and table rows in one document."""
    limit = settings.OPENVEILIGHEID_MAX_PARAGRAPHS
    if paragraphs > limit:
        raise ParseLimitExceeded(
            _(
                "Dit document heeft meer dan %(max)s alinea's en tabelrijen (de grens "
                "OPENVEILIGHEID_MAX_PARAGRAPHS). Splits het document in kleinere delen."
            )
            % {"max": dutch_count(limit)}
        )
    if not paragraphs % 200:
        check_parse_time()


def check_pdf_pages(pages: int) -> None:
    """At most OPENVEILIGHEID_MAX_PDF_PAGES pages in a PDF."""
    limit = settings.OPENVEILIGHEID_MAX_PDF_PAGES
    if pages > limit:
        raise ParseLimitExceeded(
            _(
                "Dit PDF-bestand heeft %(pages)s pagina's; de grens is %(max)s "
                "(OPENVEILIGHEID_MAX_PDF_PAGES). Splits het bestand in kleinere delen."
            )
            % {"pages": dutch_count(pages), "max": dutch_count(limit)}
        )


# --------------------------------------------------------------------------------------------
# JSON


def load_json(text: str | bytes):
    """``json.loads`` within OPENVEILIGHEID_MAX_JSON_BYTES, OPENVEILIGHEID_MAX_JSON_ITEMS values
    and OPENVEILIGHEID_MAX_JSON_DEPTH levels of nesting. Raises ParseLimitExceeded, or
    json.JSONDecodeError for text that is no JSON."""
    size = len(text.encode() if isinstance(text, str) else text)
    if size > settings.OPENVEILIGHEID_MAX_JSON_BYTES:
        raise ParseLimitExceeded(
            _(
                "Dit JSON-bestand is %(size)s groot; de grens is %(max)s "
                "(OPENVEILIGHEID_MAX_JSON_BYTES)."
            )
            % {
                "size": filesizeformat(size),
                "max": filesizeformat(settings.OPENVEILIGHEID_MAX_JSON_BYTES),
            }
        )
    # Every value but the last in an array or object follows a comma: counted before parsing
    # (in C, fast), so a file of millions of tiny values never becomes millions of objects.
    separators = text.count("," if isinstance(text, str) else b",")
    items_limit = settings.OPENVEILIGHEID_MAX_JSON_ITEMS
    if separators > items_limit:
        raise ParseLimitExceeded(
            _(
                "Dit JSON-bestand bevat meer dan %(max)s waarden (de grens "
                "OPENVEILIGHEID_MAX_JSON_ITEMS). Splits het bestand in kleinere delen."
            )
            % {"max": dutch_count(items_limit)}
        )
    depth_refusal = ParseLimitExceeded(
        _(
            "Dit JSON-bestand is dieper genest dan %(max)s niveaus (de grens "
            "OPENVEILIGHEID_MAX_JSON_DEPTH); zo'n bestand wordt niet gelezen."
        )
        % {"max": settings.OPENVEILIGHEID_MAX_JSON_DEPTH}
    )
    try:
        data = json.loads(text)
    except RecursionError as error:
        raise depth_refusal from error
    if _depth(data) > settings.OPENVEILIGHEID_MAX_JSON_DEPTH:
        raise depth_refusal
    return data


def _depth(data) -> int:
    """Nesting depth without recursion (a deep file must not exhaust the stack here either)."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in value if isinstance(child, dict | list))
    return deepest


def check_text_lines(text: str) -> None:
    """Rows and line lengths of a whole text (CSV, plain text) before it is split or parsed:
    counted in C, so that a refusal costs no more than the upload itself."""
    lines = text.count("\n") + 1
    check_rows(lines)
    limit = settings.OPENVEILIGHEID_MAX_LINE_CHARS
    if len(text) <= limit:
        return
    start = 0
    for number in range(1, lines + 1):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        check_line_length(end - start, number)
        start = end + 1
        if not number % 10000:
            check_parse_time()
