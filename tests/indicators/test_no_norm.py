"""Status only against a norm: without a target and without a desired direction an indicator
gets no status (no "Op koers"); its pages show the trend instead."""

from datetime import date

import pytest
from django.urls import reverse

from openveiligheid.indicators.models import Indicator, Target
from openveiligheid.indicators.presentation import indicator_tile, render_tile
from openveiligheid.indicators.selectors import NO_NORM, OFF_COURSE, ON_COURSE, indicator_status
from tests.indicators.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.permissions import login

pytestmark = pytest.mark.django_db

LAST_YEAR = date.today().year - 1


def _indicator(direction, values=(100, 130), **fields):
    indicator = IndicatorFactory(direction=direction, **fields)
    for year, value in zip((2022, LAST_YEAR), values, strict=True):
        MeasurementFactory(indicator=indicator, period_start=date(year, 1, 1), value=value)
    return indicator


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        (Indicator.Direction.NONE, NO_NORM),
        (Indicator.Direction.UP, ON_COURSE),
        (Indicator.Direction.DOWN, OFF_COURSE),
    ],
)
def test_status_needs_a_direction_or_target(direction, expected):
    assert indicator_status(_indicator(direction)).status == expected


def test_a_target_is_a_norm_too():
    indicator = _indicator(Indicator.Direction.NONE)
    TargetFactory(indicator=indicator, comparison=Target.Comparison.AT_MOST, value=90)
    indicator.refresh_from_db()
    assert indicator_status(indicator).status == OFF_COURSE


def test_tile_without_norm_shows_the_trend_not_a_badge():
    indicator = _indicator(Indicator.Direction.NONE, name="Waardebeslag")
    html = render_tile(indicator_tile(indicator_status(indicator)), indicator.plan.slug)
    assert "ov-status" not in html
    assert "Op koers" not in html and "Niet op koers" not in html
    assert "Geen norm; trend: gestegen" in html


def test_indicator_page_without_norm_says_there_is_no_status(client, world):
    indicator = _indicator(
        Indicator.Direction.NONE, plan=world.plan_a, area=world.objects["a"]["indicator"].area
    )
    login(client, world.users["council_member"])
    url = reverse("indicators:detail", args=["plan-a", indicator.slug])
    html = client.get(url).content.decode()
    assert "Op koers" not in html
    assert "Geen norm; trend: gestegen" in html
    assert "het plan geeft geen streefwaarde en geen gewenste richting" in html
