"""Typo matching of names (core.fuzzy, on rapidfuzz)."""

import pytest

from openveiligheid.core.fuzzy import best_match, similar, within_typos

NAMES = ["apeldoorn", "apeldoorn zuid", "ede", "epe", "harderwijk", "ermelo", "elburg"]


@pytest.mark.parametrize(
    ("query", "cutoff", "expected"),
    [
        ("apeldorn", 0.88, "apeldoorn"),
        ("harderwjik", 0.88, "harderwijk"),
        ("ede", 0.88, "ede"),
        ("edo", 0.88, None),  # "ede" and "epe" are another town, not a typo
        ("amsterdam", 0.88, None),
        ("ermleo", 0.8, "ermelo"),
    ],
)
def test_best_match(query, cutoff, expected):
    found = best_match(query, NAMES, cutoff=cutoff)
    assert (found.choice if found else None) == expected


def test_best_match_scores_from_zero_to_one():
    assert best_match("apeldoorn", NAMES, cutoff=0.5).score == 1.0
    assert best_match("apeldorn", NAMES, cutoff=0.5).score == pytest.approx(16 / 17)


def test_similar_keeps_runners_up_within_the_margin_best_first():
    found = similar("bergn", ["bergen", "berg", "bergum"], cutoff=0.7, margin=0.1)
    assert [hit.choice for hit in found] == ["bergen", "berg"]
    assert similar("bergn", ["bergen", "berg", "bergum"], cutoff=0.7) == found[:1]


@pytest.mark.parametrize(
    ("query", "max_typos", "expected"),
    [
        ("harderwjik", 2, [("harderwijk", 1)]),  # two neighbours swapped is one typo
        ("hardewijk", 1, [("harderwijk", 1)]),
        ("ermleo", 1, [("ermelo", 1)]),
        ("ermelo", 1, [("ermelo", 0)]),
        ("ermelo", 2, [("ermelo", 0)]),
        ("edo", 1, [("ede", 1)]),
        ("eda", 2, [("ede", 1), ("epe", 2)]),
        ("woonoverlast", 2, []),
    ],
)
def test_within_typos(query, max_typos, expected):
    assert [(hit.choice, hit.score) for hit in within_typos(query, NAMES, max_typos)] == expected
