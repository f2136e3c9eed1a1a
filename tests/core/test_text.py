"""One comparable form of names (core.text)."""

import pytest

from openveiligheid.core.text import compact_key, normalise_name, strip_municipality


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apeldoorn", "apeldoorn"),
        ("Súdwest-Fryslân", "sudwest fryslan"),
        ("'s-Hertogenbosch", "s hertogenbosch"),
        ("’s-Gravenhage", "s gravenhage"),
        ("Bergen (NH.)", "bergen nh"),
        ("  Wijk 01   Centrum ", "wijk 01 centrum"),
        ("V&R", "v en r"),
        ("Gemeente Apeldoorn", "gemeente apeldoorn"),
        ("Apeldoorn (gemeente)", "apeldoorn gemeente"),
        ("Politie Oost-Nederland", "politie oost nederland"),
        ("", ""),
        (None, ""),
        (0, "0"),
    ],
)
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gemeente Súdwest-Fryslân", "sudwest fryslan"),
        ("gem. Harderwijk", "harderwijk"),
        ("Gem.Harderwijk", "harderwijk"),
        ("de gemeente Ermelo", "ermelo"),
        ("College van B&W Ermelo", "ermelo"),
        ("Gemeente-Ermelo", "ermelo"),
        ("Gemeente 's-Hertogenbosch", "s hertogenbosch"),
        ("Utrecht (gemeente)", "utrecht"),
        ("Epe (gem.)", "epe"),
        ("Gemeente", "gemeente"),
        ("Gemert-Bakel", "gemert bakel"),
        ("Gemeentewerf", "gemeentewerf"),
    ],
)
def test_normalise_name_without_municipality(text, expected):
    assert normalise_name(text, drop_municipality=True) == expected


def test_strip_municipality_keeps_the_rest_as_written():
    assert strip_municipality("Gemeente Bergen (NH.)") == "Bergen (NH.)"
    assert strip_municipality("Bergen (NH.) (gemeente)") == "Bergen (NH.)"
    assert strip_municipality("Bergen (NH.)") == "Bergen (NH.)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Regio's", "regios"),
        ("RegioS", "regios"),
        ("incident_type", "incidenttype"),
        ("Incident type", "incidenttype"),
        ("Perioden ", "perioden"),
        ("Niet in te delen", "nietintedelen"),
    ],
)
def test_compact_key(text, expected):
    assert compact_key(text) == expected
