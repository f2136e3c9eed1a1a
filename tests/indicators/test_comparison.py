"""An indicator beside the national figure, its size class, its region and a ranking."""

from decimal import Decimal

import pytest
from django.urls import reverse

from openveiligheid.indicators.comparison import SIZE_CLASSES, compare, size_class
from openveiligheid.indicators.services import record_measurement
from tests.indicators.factories import AreaFactory
from tests.permissions import PAGE, assert_matrix, login

pytestmark = pytest.mark.django_db


def comparison_url(indicator, **query):
    url = reverse("indicators:comparison", args=[indicator.plan.slug, indicator.slug])
    return url + (f"?periode={query['periode']}" if query else "")


def test_size_classes_follow_cbs():
    assert size_class(None) is None
    assert size_class(4_999) == 0
    assert size_class(166_000) == 6
    assert str(SIZE_CLASSES[6][1]) == "150.000 tot 250.000 inwoners"
    assert size_class(900_000) == 7


@pytest.fixture
def compared(world):
    """Indicator a (Gemeente A, 100.000 inwoners) with values of four other municipalities and
    of the Netherlands in 2022; Gemeente B is in the same region as A."""
    indicator = world.objects["a"]["indicator"]
    world.region.members.add(world.municipality_b)
    others = [
        (AreaFactory(code="GM9102"), 95),  # Gemeente B, same size class and region
        (AreaFactory(code="GM9201", name="Klein", population=8_000), 30),
        (AreaFactory(code="GM9202", name="Even groot", population=120_000), 150),
        (AreaFactory(code="GM9203", name="Groot", population=400_000), 300),
        (AreaFactory(code="NL01", name="Nederland", level="country", population=None), 800_000),
    ]
    for area, value in others:
        record_measurement(
            indicator=indicator, period="2022", value=value, area=area, comparison_area=True
        )
    return indicator


def test_compare_gives_national_size_class_region_and_ranking(compared):
    result = compare(compared)

    assert result.period.code == "2022"
    assert result.national == 800_000
    assert [item.name for item in result.ranking] == [
        "Klein",
        "Gemeente B",
        "Gemeente A",
        "Even groot",
        "Groot",
    ]
    assert (result.own.value, result.own.rank) == (120, 3)  # lower is better
    assert result.size_class.label == "Gemeenten met 100.000 tot 150.000 inwoners"
    assert sorted(item.name for item in result.size_class.members) == [
        "Even groot",
        "Gemeente A",
        "Gemeente B",
    ]
    assert result.size_class.median == 120
    (region,) = result.regions
    assert region.label == "Regio R"
    assert sorted(item.name for item in region.members) == ["Gemeente A", "Gemeente B"]


def test_a_derived_indicator_is_compared_on_its_computed_rates(world):
    from openveiligheid.indicators.models import Indicator
    from tests.indicators.factories import IndicatorFactory

    own = world.objects["a"]["indicator"]
    plan = own.plan
    crimes = IndicatorFactory(plan=plan, theme=None, area=own.area, slug="misdrijven")
    people = IndicatorFactory(plan=plan, theme=None, area=own.area, slug="inwoners")
    rate = IndicatorFactory(
        plan=plan,
        theme=None,
        area=own.area,
        slug="per-1000",
        unit=Indicator.Unit.RATE,
        numerator=crimes,
        denominator=people,
        per=1000,
    )
    other = AreaFactory(code="GM9202", name="Even groot", population=120_000)
    for area, count, population in ((own.area, 5000, 100_000), (other, 3000, 120_000)):
        extra = area != own.area
        record_measurement(
            indicator=crimes, period="2023", value=count, area=area, comparison_area=extra
        )
        record_measurement(
            indicator=people, period="2023", value=population, area=area, comparison_area=extra
        )

    result = compare(rate)

    assert [(item.name, item.value) for item in result.ranking] == [
        ("Even groot", Decimal(25)),
        ("Gemeente A", Decimal(50)),
    ]


def test_comparison_page_matrix(client, world, compared):
    assert_matrix(client, world, "GET", comparison_url(compared), PAGE.read_published_a)
    draft = world.objects["draft_a"]["indicator"]
    assert_matrix(client, world, "GET", comparison_url(draft), PAGE.read_draft_a)


def test_comparison_page_shows_the_groups_and_is_linked_from_the_indicator(
    client, world, compared, django_assert_max_num_queries
):
    login(client, world.users["programme_manager"])
    detail = client.get(reverse("indicators:detail", args=[compared.plan.slug, compared.slug]))
    assert comparison_url(compared) in detail.content.decode()

    with django_assert_max_num_queries(25):
        page = client.get(comparison_url(compared, periode="2022")).content.decode()

    assert "plaats 3 van 5" in page
    assert "Gemeenten met 100.000 tot 150.000 inwoners" in page
    assert "Regio R" in page
    assert "800.000" in page


def test_without_other_municipalities_the_page_says_how_to_get_them(client, world):
    login(client, world.users["programme_manager"])
    page = client.get(comparison_url(world.objects["a"]["indicator"])).content.decode()
    assert "data-no-comparison" in page
