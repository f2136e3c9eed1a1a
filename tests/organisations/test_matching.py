"""Organisation name matching: spelling variants, typos, generic partner names."""

import pytest

from openveiligheid.organisations.matching import (
    Candidate,
    OrganisationMatcher,
    normalise_name,
)
from tests.organisations.factories import OrganisationFactory, PartnerFactory


@pytest.fixture
def matcher():
    return OrganisationMatcher(
        [
            Candidate("Harderwijk", pk=1, kind="municipality", cbs_code="GM0243"),
            Candidate("Ermelo", pk=2, kind="municipality", cbs_code="GM0233"),
            Candidate("Súdwest-Fryslân", pk=3, kind="municipality", cbs_code="GM1900"),
            Candidate("'s-Hertogenbosch", pk=4, kind="municipality", aliases=("Den Bosch",)),
            Candidate("Politie Noord-Veluwe", pk=5, kind="partner", partner_type="police"),
            Candidate("Epe", kind="municipality", cbs_code="GM0232"),
        ]
    )


@pytest.mark.parametrize(
    ("text", "name", "method"),
    [
        ("Harderwijk", "Harderwijk", "exact"),
        ("Gemeente Harderwijk", "Harderwijk", "exact"),
        ("gem. Harderwijk", "Harderwijk", "exact"),
        ("Harderwjik", "Harderwijk", "typo"),
        ("Hardewijk", "Harderwijk", "typo"),
        ("Ermleo", "Ermelo", "typo"),
        ("Sudwest Fryslan", "Súdwest-Fryslân", "exact"),
        ("Den Bosch", "'s-Hertogenbosch", "alias"),
        ("politie", "Politie Noord-Veluwe", "generic"),
        ("Politie basisteam", "Politie Noord-Veluwe", "generic"),
        ("OM", "Openbaar Ministerie", "generic"),
        ("Epe", "Epe", "exact"),
    ],
)
def test_matches(matcher, text, name, method):
    found = matcher.match(text)
    assert found is not None
    assert (found.name, found.method) == (name, method)


@pytest.mark.parametrize("text", ["Ede", "Thor", "SWT", "Woonoverlast", ""])
def test_no_match_for_short_or_unknown_names(matcher, text):
    assert matcher.match(text) is None


def test_match_prefix_returns_the_rest(matcher):
    found, rest = matcher.match_prefix("Gemeente Ermelo VTH")
    assert found.name == "Ermelo"
    assert rest == "VTH"


def test_normalise_name_drops_the_municipality_prefix():
    assert normalise_name("Gemeente Súdwest-Fryslân") == "sudwest fryslan"
    assert normalise_name("V&R") == "v en r"


def test_from_database_prefers_region_members(db):
    region = OrganisationFactory(kind="region", name="Regio", slug="regio", cbs_code=None)
    member_police = PartnerFactory(name="Basisteam Noord", slug="bt-noord", partner_type="police")
    PartnerFactory(name="Basisteam Zuid", slug="bt-zuid", partner_type="police")
    region.members.add(member_police)
    municipality = OrganisationFactory(
        name="Oldebroek", slug="oldebroek", cbs_code="GM0269", aliases=["Gem. Oldebroek (Wezep)"]
    )
    matcher = OrganisationMatcher.from_database(region=region)
    assert matcher.match("politie").pk == member_police.pk
    assert matcher.match("Oldenbroek").pk == municipality.pk
    assert matcher.match("oldebroek").pk == municipality.pk
    assert matcher.match("Gem. Oldebroek (Wezep)").method == "alias"
    # Without a region two police organisations are ambiguous: the generic partner is named.
    assert OrganisationMatcher.from_database().match("politie").pk is None
