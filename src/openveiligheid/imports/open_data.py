"""Name normalisation for open-data region names (the demo loader matches partner names with it).

Reading open-data exports lives in `imports.measurements.readers`; importing them in
`imports.services`."""

from __future__ import annotations

import re
import unicodedata


def normalise_name(name: str) -> str:
    """Comparable form of a municipality name: no accents, case, '(gemeente)' or punctuation."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\((gemeente|gem\.)\)", "", text)
    text = re.sub(r"[^a-z0-9()]+", " ", text)
    return " ".join(text.split())
