"""Comparable forms of names: the one normaliser for areas, organisations, partners and headers.

Documents and exports spell the same name in many ways ("Súdwest-Fryslân", "Sudwest Fryslan",
"Gemeente Apeldoorn", "Apeldoorn (gemeente)", "Regio's", "RegioS"). Compare names only through
`normalise_name` (words) or `compact_key` (no separators) so that every place agrees on what
counts as the same name.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["compact_key", "fold_accents", "normalise_name", "strip_municipality"]

# Words before a name that only say it is a municipality or its board: "Gemeente Ermelo",
# "gem. Ermelo", "de gemeente Ermelo", "College van B&W Ermelo". Longest alternatives first.
_MUNICIPALITY_PREFIX = re.compile(
    r"^\s*(?:de\s+gemeente|college\s+van\s+b\s*(?:&|en)\s*w|gemeente|college|gem)\b[\s.:,-]*(?=\S)",
    re.IGNORECASE,
)
# CBS writes a municipality that shares its name with a region as "Utrecht (gemeente)".
_MUNICIPALITY_SUFFIX = re.compile(r"\s*\(\s*(?:gemeente|gem\.?)\s*\)\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def fold_accents(text: str) -> str:
    """The text without accents ("vóór" -> "voor"), with compatibility forms made plain (NFKD:
    PDF artefacts such as superscript letters and non-breaking spaces)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def strip_municipality(text: str) -> str:
    """The name without a "gemeente" prefix or "(gemeente)" suffix, otherwise as written;
    "Gemeente" alone stays."""
    return _MUNICIPALITY_PREFIX.sub("", _MUNICIPALITY_SUFFIX.sub("", text))


def normalise_name(text: object, *, separator: str = " ", drop_municipality: bool = False) -> str:
    """Comparable form of a name: lower case, no accents, "&" as "en", every run of punctuation
    and white space one `separator`. `drop_municipality` also leaves out a "gemeente" prefix or
    "(gemeente)" suffix (see strip_municipality), for texts that name an organisation."""
    value = "" if text is None else str(text)
    if drop_municipality:
        value = strip_municipality(value)
    folded = fold_accents(value).encode("ascii", "ignore").decode().lower()
    return separator.join(_SEPARATORS.sub(" ", folded.replace("&", " en ")).split())


def compact_key(text: object) -> str:
    """A name without any separator, for headers and keys: "Regio's", "RegioS" and "regios" are
    one key, as are "incident_type" and "incidenttype"."""
    return normalise_name(text, separator="")
