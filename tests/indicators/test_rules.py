"""One rule, one place: the rules of a measurement (its area lies within the indicator's, its
period has begun) and of an indicator (theme of the plan, goal of the theme) live in the model or
indicators.services; the page, the API and the figures import refuse the same invalid input
with the same message."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openveiligheid.areas.matching import AreaMatcher
from openveiligheid.imports.services import preview_measurement_import
from openveiligheid.indicators import services
from openveiligheid.indicators.models import Measurement
from openveiligheid.indicators.selectors import areas_within
from tests.indicators.factories import AreaFactory, IndicatorFactory
from tests.permissions import login
from tests.plans.factories import GoalFactory, ThemeFactory

pytestmark = pytest.mark.django_db

OUTSIDE = "Gemeente A ligt niet in Centrum, het gebied van deze indicator."
FUTURE = "2099 is nog niet begonnen; een meting kan pas achteraf."


@pytest.fixture
def district_indicator(world):
    """An indicator of municipality A's plan for its district Centrum (with one neighbourhood)."""
    municipality = world.objects["a"]["indicator"].area
    district = AreaFactory(code="WK910101", name="Centrum", level="district", parent=municipality)
    AreaFactory(code="BU91010101", name="Binnenstad", level="neighbourhood", parent=district)
    AreaMatcher.clear_cache()
    yield IndicatorFactory(
        plan=world.plan_a,
        theme=world.objects["a"]["theme"],
        area=district,
        name="Woninginbraken Centrum",
        slug="inbraken-centrum",
    )
    AreaMatcher.clear_cache()


def _refusal(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def _page(client, world, indicator, data):
    login(client, world.users["programme_manager"])
    return client.post(
        reverse("indicators:add-measurement", args=["plan-a", indicator.slug]),
        {"value": "4", **data},
    )


def _api(client, world, indicator, data):
    login(client, world.users["programme_manager"])
    return client.post(
        reverse("measurement-list"),
        {"indicator": indicator.pk, "value": "4", **data},
        content_type="application/json",
    )


def _import(indicator, rows: str):
    """A figures file for municipality A with the rows ``code;jaar;value``, its measure mapped to
    ``indicator``: the preview's refusals as {area code and period: reason}."""
    content = ("code;jaar;Woninginbraken\n" + rows).encode()
    preview = preview_measurement_import(
        name="inbraken.csv",
        content=content,
        organisation=indicator.plan.owner,
        mapping_overrides={"Woninginbraken": f"{indicator.plan.slug}/{indicator.slug}"},
        dry_run=True,
    )
    return preview, [row.reason for row in preview.unmatched]


def test_areas_within_is_the_choice_list_of_sub_areas(world, district_indicator):
    municipality_indicator = world.objects["a"]["indicator"]
    assert [area.code for area in areas_within(municipality_indicator)] == [
        "WK910101",
        "BU91010101",
    ]
    assert [area.code for area in areas_within(district_indicator)] == ["BU91010101"]


def test_service_refuses_an_area_outside_the_indicator_area(world, district_indicator):
    municipality = world.objects["a"]["indicator"].area
    refused = _refusal(
        lambda: services.record_measurement(
            indicator=district_indicator, period="2023", value=4, area=municipality
        )
    )
    assert refused == {"area": [OUTSIDE]}
    neighbourhood = areas_within(district_indicator).get()
    services.record_measurement(
        indicator=district_indicator, period="2023", value=4, area=neighbourhood
    )
    # A comparison area is written only when the caller says so (the figures import's mapping).
    services.record_measurement(
        indicator=district_indicator,
        period="2023",
        value=4,
        area=municipality,
        comparison_area=True,
    )
    assert district_indicator.measurements.count() == 2


def test_page_api_and_import_refuse_an_area_outside_the_indicator_area_alike(
    client, world, district_indicator
):
    municipality = world.objects["a"]["indicator"].area
    page = _page(client, world, district_indicator, {"period": "2023", "area": municipality.pk})
    assert page.status_code == 200
    assert page.context["form"].errors["area"] == [OUTSIDE]

    api = _api(client, world, district_indicator, {"period": "2023", "area": "GM9101"})
    assert api.status_code == 400
    assert api.json() == {"area": [OUTSIDE]}

    preview, reasons = _import(district_indicator, "GM9101;2023;12\n")
    assert reasons == [OUTSIDE]
    assert preview.rows == []
    assert not Measurement.objects.filter(indicator=district_indicator).exists()


def test_service_refuses_a_period_that_has_not_begun(world):
    indicator = world.objects["a"]["indicator"]
    refused = _refusal(
        lambda: services.record_measurement(indicator=indicator, period="2099", value=4)
    )
    assert refused == {"period": [FUTURE]}


def test_page_api_and_import_refuse_a_period_that_has_not_begun_alike(client, world):
    indicator = world.objects["a"]["indicator"]
    page = _page(client, world, indicator, {"period": "2099"})
    assert page.status_code == 200
    assert page.context["form"].errors["period"] == [FUTURE]

    api = _api(client, world, indicator, {"period": "2099"})
    assert api.status_code == 400
    assert api.json() == {"period": [FUTURE]}

    AreaMatcher.clear_cache()
    try:
        preview, reasons = _import(indicator, "GM9101;2099;12\n")
    finally:
        AreaMatcher.clear_cache()
    assert reasons == [FUTURE]
    assert preview.rows == []
    assert indicator.measurements.count() == 1  # the start value of the world


def test_indicator_theme_and_goal_belong_to_its_plan_and_theme(world):
    plan, theme = world.plan_a, world.objects["a"]["theme"]
    other_theme = ThemeFactory(plan=plan, slug="zorg", name="Zorg")
    area = world.objects["a"]["indicator"].area
    common = {"plan": plan, "unit": "count", "direction": "down", "frequency": "year", "area": area}
    refused = _refusal(
        lambda: services.create_indicator(
            name="Elders", theme=world.objects["b"]["theme"], **common
        )
    )
    assert refused == {"theme": ["Dit thema hoort niet bij het plan van de indicator."]}
    refused = _refusal(
        lambda: services.create_indicator(
            name="Ander doel", theme=theme, goal=GoalFactory(theme=other_theme), **common
        )
    )
    assert refused == {"goal": ["Dit doel hoort niet bij het thema van de indicator."]}
    indicator = services.create_indicator(
        name="Past", theme=theme, goal=GoalFactory(theme=theme), **common
    )
    assert indicator.goal.theme == theme
