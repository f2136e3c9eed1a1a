"""The stored state of an indicator (indicators.state) equals what the selectors compute from the
measurements, after every kind of write, and the dashboard renders the same with it as without."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openveiligheid.areas.models import Area
from openveiligheid.dashboards import fragments
from openveiligheid.dashboards.selectors import _since, plan_tiles
from openveiligheid.indicators import services, state
from openveiligheid.indicators.models import Indicator, IndicatorState, Measurement
from openveiligheid.indicators.presentation import indicator_tile, render_tile
from openveiligheid.indicators.selectors import statuses_for, statuses_from_states
from openveiligheid.plans.models import Theme
from tests.indicators.factories import AreaFactory
from tests.organisations.factories import UserFactory
from tests.permissions import login
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


@pytest.fixture
def plan_with_indicators():
    plan = PlanFactory(period_start=2023, period_end=2026)
    theme = Theme.objects.create(plan=plan, kind="priority", name="Ondermijning", slug="onder")
    area = AreaFactory()
    common = {"plan": plan, "theme": theme, "area": area}
    yearly = services.create_indicator(
        name="Woninginbraken",
        unit="count",
        direction="down",
        frequency="year",
        start_year=2022,
        target={"comparison": "lte", "value": 100},
        **common,
    )
    monthly = services.create_indicator(
        name="Meldingen overlast",
        unit="count",
        direction="down",
        frequency="month",
        is_headline=True,
        **common,
    )
    population = services.create_indicator(
        name="Inwoners", unit="count", direction="none", frequency="year", **common
    )
    rate = services.create_indicator(
        name="Inbraken per 1.000 inwoners",
        unit="rate",
        direction="down",
        frequency="year",
        start_year=2022,
        numerator=yearly,
        denominator=population,
        per=1000,
        **common,
    )
    return plan, area, [yearly, monthly, population, rate]


def tiles_html(statuses) -> list[str]:
    return [
        render_tile(indicator_tile(status, drawn_as=None), "plan")
        for _pk, status in sorted(statuses.items())
    ]


def assert_state_matches_measurements(plan):
    indicators = list(Indicator.objects.filter(plan=plan).select_related("target"))
    since = _since(plan, indicators)
    stored = statuses_from_states(indicators, since, today=TODAY)
    computed = statuses_for(indicators, today=TODAY, since=since)
    assert set(stored) == {indicator.pk for indicator in indicators}
    for pk, status in computed.items():
        mine = stored[pk]
        assert (mine.start, mine.latest, mine.previous) == (
            status.start,
            status.latest,
            status.previous,
        )
        assert (mine.status, mine.change, mine.has_example_data) == (
            status.status,
            status.change,
            status.has_example_data,
        )
    # The tiles, sparklines included, are the same markup.
    assert tiles_html(stored) == tiles_html(computed)


def test_state_follows_create_update_delete_and_batch(plan_with_indicators):
    plan, area, (yearly, monthly, population, rate) = plan_with_indicators
    assert IndicatorState.objects.filter(indicator__plan=plan).count() == 4
    assert_state_matches_measurements(plan)

    for year, value in ((2022, 130), (2023, 120), (2024, 125)):
        services.record_measurement(indicator=yearly, period=str(year), value=value)
        services.record_measurement(indicator=population, period=str(year), value=50000 + year)
    for month in range(1, 13):
        services.record_measurement(
            indicator=monthly, period=f"2024-{month:02d}", value=40 + month, is_example=month > 9
        )
    assert_state_matches_measurements(plan)
    latest = IndicatorState.objects.get(indicator=yearly)
    assert (latest.latest_period_start, latest.latest_value) == (date(2024, 1, 1), 125)

    # Update: the latest value, and with it the derived rate.
    services.record_measurement(indicator=yearly, period="2024", value=90)
    assert_state_matches_measurements(plan)
    assert IndicatorState.objects.get(indicator=yearly).latest_value == 90

    # Delete: the previous value becomes the latest.
    services.delete_measurement(
        Measurement.objects.get(indicator=yearly, period_start=date(2024, 1, 1))
    )
    assert_state_matches_measurements(plan)
    assert IndicatorState.objects.get(indicator=yearly).latest_period_start == date(2023, 1, 1)

    # Batch (an import): one refresh at the end, the same result.
    results = services.record_measurements(
        [
            {"indicator": yearly, "period": "2025", "value": 95},
            {"indicator": population, "period": "2025", "value": 51000},
            {"indicator": monthly, "period": "2025-01", "value": 30},
            # Another area (a district) leaves the state of the indicator's own area alone.
            {
                "indicator": monthly,
                "period": "2025-02",
                "value": 3,
                "area": AreaFactory(level=Area.Level.DISTRICT, parent=monthly.area),
            },
        ]
    )
    assert [changed for _measurement, changed in results] == [True, True, True, True]
    assert_state_matches_measurements(plan)
    assert IndicatorState.objects.get(indicator=monthly).latest_period_start == date(2025, 1, 1)


def test_batch_refreshes_once(plan_with_indicators, django_assert_max_num_queries):
    _plan, _area, (yearly, _monthly, population, _rate) = plan_with_indicators
    items = [{"indicator": yearly, "period": str(year), "value": 100} for year in range(2010, 2025)]
    items += [{"indicator": population, "period": "2024", "value": 5000}]
    # Per new value: look-up, insert in a savepoint (two statements: a concurrent insert of the
    # same measurement becomes an update), change log, ...; the states once at the end.
    with django_assert_max_num_queries(16 * 7 + 8):
        services.record_measurements(items)


def test_earlier_start_year_moves_the_window_of_the_whole_plan(plan_with_indicators):
    plan, area, (yearly, *_rest) = plan_with_indicators
    services.record_measurement(indicator=yearly, period="2019", value=150)
    services.create_indicator(
        plan=plan,
        name="Oudere reeks",
        unit="count",
        direction="down",
        frequency="year",
        area=area,
        start_year=2018,
    )
    assert set(
        IndicatorState.objects.filter(indicator__plan=plan).values_list("window_start", flat=True)
    ) == {date(2018, 1, 1)}
    assert_state_matches_measurements(plan)


def test_dashboard_is_the_same_with_and_without_states(plan_with_indicators):
    plan, _area, (yearly, monthly, population, _rate) = plan_with_indicators
    for year, value in ((2021, 140), (2022, 130), (2023, 120), (2024, 99)):
        services.record_measurement(indicator=yearly, period=str(year), value=value)
        services.record_measurement(indicator=population, period=str(year), value=50000)
    for month in range(1, 13):
        services.record_measurement(indicator=monthly, period=f"2024-{month:02d}", value=month)
    indicators = list(Indicator.objects.filter(plan=plan).select_related("target"))
    themes = set(Theme.objects.filter(plan=plan).values_list("pk", flat=True))
    theme_ids = sorted(themes)

    def rendered():
        tiles = plan_tiles(plan, indicators, themes, today=TODAY)
        result = fragments.render_tiles(plan, tiles, theme_ids)
        return result.headline, result.themes, result.other, result.has_example_data

    with_states = rendered()
    IndicatorState.objects.all().delete()
    assert rendered() == with_states

    # A state for another window (the plan's period changed outside the services) is not used.
    state.refresh_all()
    IndicatorState.objects.filter(indicator=yearly).update(window_start=date(2000, 1, 1))
    assert rendered() == with_states

    # Nor one computed before the indicator's definition was edited outside the services.
    state.refresh_all()
    Indicator.objects.filter(pk=monthly.pk).update(frequency="year")
    indicators = list(Indicator.objects.filter(plan=plan).select_related("target"))
    edited = rendered()
    IndicatorState.objects.all().delete()
    assert rendered() == edited


def test_dashboard_page_reads_states_not_measurements(client, plan_with_indicators):
    plan, _area, (yearly, *_rest) = plan_with_indicators
    services.record_measurement(indicator=yearly, period="2024", value=99)
    login(client, UserFactory(is_superuser=True))
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/plannen/{plan.slug}/")
    assert response.status_code == 200
    assert "Woninginbraken" in response.content.decode()
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "indicators_indicatorstate" in tables
    assert "indicators_measurement" not in tables


def test_data_migration_fills_the_states(plan_with_indicators):
    plan, _area, (yearly, monthly, *_rest) = plan_with_indicators
    services.record_measurement(indicator=yearly, period="2023", value=120)
    services.record_measurement(indicator=monthly, period="2024-05", value=12)
    IndicatorState.objects.all().delete()
    migration = importlib.import_module(
        "openveiligheid.indicators.migrations.0006_fill_indicator_states"
    )
    migration.fill_states(apps, None)
    assert_state_matches_measurements(plan)


@pytest.mark.django_db(transaction=True)
def test_refresh_all_runs_outside_a_transaction():
    """As the benchmark's generator calls it: each batch opens its own transaction."""
    indicator = services.create_indicator(
        plan=PlanFactory(),
        name="Woninginbraken",
        unit="count",
        direction="down",
        frequency="year",
        area=AreaFactory(),
    )
    services.record_measurement(indicator=indicator, period="2024", value=10)
    IndicatorState.objects.all().delete()
    assert state.refresh_all() == 1
    assert IndicatorState.objects.get(indicator=indicator).latest_value == 10
