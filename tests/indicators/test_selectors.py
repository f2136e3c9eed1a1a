from datetime import date
from decimal import Decimal

import pytest

from openveiligheid.core.periods import Period, parse_period
from openveiligheid.indicators.models import Indicator, Target
from openveiligheid.indicators.selectors import (
    MET,
    NO_DATA,
    OFF_COURSE,
    ON_COURSE,
    Point,
    evaluate,
    indicators_with_targets,
    statuses_for,
)
from tests.indicators.factories import (
    AreaFactory,
    IndicatorFactory,
    MeasurementFactory,
    TargetFactory,
)
from tests.plans.factories import PlanFactory

TODAY = date(2025, 3, 1)


def indicator(direction=Indicator.Direction.UP, frequency="year", start_year=2022):
    return Indicator(
        name="Rapportcijfer veiligheid",
        unit=Indicator.Unit.GRADE,
        direction=direction,
        frequency=frequency,
        start_year=start_year,
    )


def series(*pairs, example=()):
    return [
        Point(parse_period(code), Decimal(str(value)), code in example) for code, value in pairs
    ]


def target(comparison, value=None):
    return Target(comparison=comparison, value=None if value is None else Decimal(str(value)))


@pytest.mark.parametrize(
    ("comparison", "target_value", "latest", "expected"),
    [
        # "7,6 or higher" from a start of 7,0
        (Target.Comparison.AT_LEAST, "7.6", "7.8", MET),
        (Target.Comparison.AT_LEAST, "7.6", "7.6", MET),
        (Target.Comparison.AT_LEAST, "7.6", "7.3", ON_COURSE),
        (Target.Comparison.AT_LEAST, "7.6", "6.8", OFF_COURSE),
        # "at most 6" from a start of 7,0
        (Target.Comparison.AT_MOST, "6", "5.5", MET),
        (Target.Comparison.AT_MOST, "6", "6.5", ON_COURSE),
        (Target.Comparison.AT_MOST, "6", "7.5", OFF_COURSE),
        # "equal or lower" / "equal or higher" than the start value (7,0)
        (Target.Comparison.NOT_ABOVE_START, None, "6.9", MET),
        (Target.Comparison.NOT_ABOVE_START, None, "7.0", MET),
        (Target.Comparison.NOT_BELOW_START, None, "7.1", MET),
    ],
)
def test_status_for_each_comparison(comparison, target_value, latest, expected):
    points = series(("2022", "7.0"), ("2023", "7.1"), ("2024", latest))
    status = evaluate(indicator(), points, target(comparison, target_value), TODAY)
    assert status.status == expected


def test_not_above_start_missed_is_off_course_when_lower_is_better():
    points = series(("2022", "120"), ("2024", "130"))
    status = evaluate(
        indicator(Indicator.Direction.DOWN),
        points,
        target(Target.Comparison.NOT_ABOVE_START),
        TODAY,
    )
    assert status.status == OFF_COURSE
    assert status.status_label == "Niet op koers"


def test_not_below_start_missed_is_off_course_when_higher_is_better():
    points = series(("2022", "50"), ("2024", "45"))
    status = evaluate(indicator(), points, target(Target.Comparison.NOT_BELOW_START), TODAY)
    assert status.status == OFF_COURSE


@pytest.mark.parametrize(
    ("direction", "latest", "expected"),
    [
        (Indicator.Direction.UP, "8", ON_COURSE),
        (Indicator.Direction.UP, "6", OFF_COURSE),
        (Indicator.Direction.DOWN, "6", ON_COURSE),
        (Indicator.Direction.DOWN, "8", OFF_COURSE),
    ],
)
def test_without_target_the_desired_direction_decides(direction, latest, expected):
    points = series(("2022", "7"), ("2024", latest))
    assert evaluate(indicator(direction), points, None, TODAY).status == expected


def test_no_data_without_measurements_with_only_the_start_or_when_outdated():
    goal = target(Target.Comparison.AT_LEAST, "7.6")
    empty = evaluate(indicator(), [], goal, TODAY)
    assert empty.status == NO_DATA and empty.latest is None
    assert empty.status_label == "Geen recente gegevens"
    only_start = evaluate(indicator(), series(("2022", "7.0")), goal, TODAY)
    assert only_start.status == NO_DATA
    old = evaluate(indicator(), series(("2022", "7.0"), ("2023", "8")), goal, date(2030, 1, 1))
    assert old.status == NO_DATA


def test_start_latest_previous_and_change_direction():
    points = series(("2022", "120"), ("2023", "110"), ("2024", "95"))
    status = evaluate(indicator(Indicator.Direction.DOWN), points, None, TODAY)
    assert status.start.value == Decimal("120")
    assert status.latest.value == Decimal("95")
    assert status.previous.value == Decimal("110")
    assert status.change == "down"
    up = evaluate(indicator(), series(("2022", "1"), ("2023", "2")), None, TODAY)
    assert up.change == "up"
    flat = evaluate(indicator(), series(("2022", "2"), ("2023", "2")), None, TODAY)
    assert flat.change == "flat"


def test_monthly_series_uses_the_yearly_start_and_the_latest_month():
    points = series(("2022", "100"), ("2024-11", "9"), ("2024-12", "7"))
    status = evaluate(indicator(Indicator.Direction.DOWN, "month"), points, None, TODAY)
    assert status.start.period == Period("year", date(2022, 1, 1))
    assert status.latest.period.code == "2024-12"
    assert status.previous.period.code == "2024-11"


def test_example_data_is_flagged():
    points = series(("2022", "7"), ("2024", "8"), example={"2024"})
    status = evaluate(indicator(), points, None, TODAY)
    assert status.has_example_data
    assert status.latest.is_example


@pytest.mark.django_db
def test_statuses_for_many_indicators_with_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    plan = PlanFactory()
    area = AreaFactory(population=115000)
    indicators = []
    for n in range(5):
        item = IndicatorFactory(plan=plan, theme__plan=plan, area=area, direction="down")
        TargetFactory(indicator=item, comparison=Target.Comparison.AT_MOST, value=100)
        MeasurementFactory(indicator=item, period_start=date(2022, 1, 1), value=120)
        MeasurementFactory(indicator=item, period_start=date(2024, 1, 1), value=90 + n * 10)
        indicators.append(item)
    loaded = list(indicators_with_targets(Indicator.objects.filter(plan=plan)))
    with django_assert_num_queries(1):
        statuses = statuses_for(loaded, today=TODAY)
    assert [statuses[i.pk].status for i in indicators] == [
        MET,  # 90
        MET,  # 100
        ON_COURSE,  # 110: closer to 100 than the start of 120
        OFF_COURSE,  # 120: no closer
        OFF_COURSE,  # 130
    ]


@pytest.mark.django_db
def test_derived_indicator_per_1000_inhabitants():
    plan = PlanFactory()
    area = AreaFactory(population=115000)
    crimes = IndicatorFactory(plan=plan, theme__plan=plan, area=area, name="Misdrijven")
    inhabitants = IndicatorFactory(plan=plan, theme=crimes.theme, area=area, name="Inwoners")
    rate = IndicatorFactory(
        plan=plan,
        theme=crimes.theme,
        area=area,
        unit=Indicator.Unit.RATE,
        numerator=crimes,
        denominator=inhabitants,
        per=1000,
    )
    for year, count, people in ((2022, 230, 115000), (2023, 207, 115000)):
        MeasurementFactory(indicator=crimes, period_start=date(year, 1, 1), value=count)
        MeasurementFactory(indicator=inhabitants, period_start=date(year, 1, 1), value=people)
    # A year without inhabitants yields no derived value rather than a wrong one.
    MeasurementFactory(indicator=crimes, period_start=date(2024, 1, 1), value=200)
    status = statuses_for([rate], today=TODAY)[rate.pk]
    assert [(p.period.code, p.value) for p in status.series] == [
        ("2022", Decimal("2.00")),
        ("2023", Decimal("1.80")),
    ]
    assert status.change == "down"
    assert status.status == ON_COURSE  # lower is better and 1,8 is below the start of 2,0
