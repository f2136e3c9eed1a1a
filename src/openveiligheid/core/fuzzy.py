"""Fuzzy matching of names (typos in area and organisation names), on rapidfuzz.

Two measures, both from rapidfuzz (C-accelerated):
- `similar`: a similarity from 0 to 1 (2 x the longest common subsequence / both lengths, the
  measure difflib's ratio approximates), for "is this clearly the closest name" with a cutoff
  and a margin to the runner-up;
- `within_typos`: the number of typos (a letter inserted, left out, changed, or two neighbours
  swapped), for rules that allow a fixed number of typos by the length of a name.
Compare normalised names (`core.text.normalise_name`); these functions do not normalise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

__all__ = ["FuzzyMatch", "best_match", "similar", "within_typos"]


@dataclass(frozen=True)
class FuzzyMatch:
    choice: str
    score: float  # similarity 0-1 (similar, best_match) or number of typos (within_typos)


def similar(
    query: str, choices: Iterable[str], *, cutoff: float, margin: float = 0.0
) -> list[FuzzyMatch]:
    """The choices with a similarity of at least `cutoff` (0-1) and at most `margin` below the
    best one, best first; among equal scores in the order of `choices`."""
    found = process.extract(
        query, list(choices), scorer=fuzz.ratio, score_cutoff=cutoff * 100, limit=None
    )
    if not found:
        return []
    found.sort(key=lambda hit: (-hit[1], hit[2]))
    floor = found[0][1] - margin * 100
    return [FuzzyMatch(choice, score / 100) for choice, score, _ in found if score >= floor]


def best_match(query: str, choices: Iterable[str], *, cutoff: float) -> FuzzyMatch | None:
    """The most similar choice with a similarity of at least `cutoff` (0-1), or None."""
    found = similar(query, choices, cutoff=cutoff)
    return found[0] if found else None


def within_typos(query: str, choices: Iterable[str], max_typos: int) -> list[FuzzyMatch]:
    """The choices at most `max_typos` typos away (score: the number of typos), fewest first;
    among equal counts in the order of `choices`."""
    found = process.extract(
        query, list(choices), scorer=OSA.distance, score_cutoff=max_typos, limit=None
    )
    found.sort(key=lambda hit: (hit[1], hit[2]))
    return [FuzzyMatch(choice, distance) for choice, distance, _ in found]
