"""Reads of indicators: series (typed or derived) and the status against start and target."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openveiligheid.areas.models import Area
from openveiligheid.core.charts import SeriesSummary
from openveiligheid.core.periods import YEAR, Period
from openveiligheid.indicators import state as stored
from openveiligheid.indicators.models import (
    Indicator,
    IndicatorState,
    Interpretation,
    Measurement,
    Target,
)

# How old the latest value may be before an indicator counts as "no recent data".
RECENT_LAG = {
    "year": timedelta(days=730 + 183),
    "half_year": timedelta(days=365 + 92),
    "quarter": timedelta(days=274),
    "month": timedelta(days=153),
    "two_years": timedelta(days=1095 + 183),
}

MET, ON_COURSE, OFF_COURSE, NO_DATA = "met", "on_course", "off_course", "no_data"
# Neither a target nor a desired direction: nothing to judge the values against, so no status is
# given; pages show the trend instead.
NO_NORM = "no_norm"
STATUS_LABELS = {
    MET: _("Doel gehaald"),
    ON_COURSE: _("Op koers"),
    OFF_COURSE: _("Niet op koers"),
    NO_DATA: _("Geen recente gegevens"),
    NO_NORM: _("Geen norm"),
}


class Point(NamedTuple):
    """One value of a series. A named tuple: immutable and cheap to build, which matters because
    a dashboard reads thousands of them per request."""

    period: Period
    value: Decimal
    is_example: bool = False

    @property
    def label(self) -> str:
        """The Dutch period label, computed only where a chart or text shows it (and then cached
        on the shared Period); a Point can be passed to the charts as it is."""
        return self.period.label


@dataclass(frozen=True)
class SparklineData:
    """A sparkline known by its summary and drawing (core.charts.sparkline_from_summary), as
    stored in an indicator's state."""

    summary: SeriesSummary
    shape: str


@dataclass
class IndicatorStatus:
    indicator: Indicator
    series: list[Point]
    start: Point | None
    latest: Point | None
    previous: Point | None
    target: Target | None
    status: str
    change: str | None  # "up", "down", "flat" against the previous value
    has_example_data: bool = field(default=False)
    # Read from the stored state: the sparkline without the series (which is then empty).
    sparkline: SparklineData | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _target_met(target: Target, value: Decimal, start: Decimal | None) -> bool | None:
    if target.comparison == Target.Comparison.AT_LEAST:
        return value >= target.value
    if target.comparison == Target.Comparison.AT_MOST:
        return value <= target.value
    if start is None:
        return None
    if target.comparison == Target.Comparison.NOT_ABOVE_START:
        return value <= start
    return value >= start


class KeyPoints(NamedTuple):
    """The points of a series that its status depends on."""

    main: list[Point]  # in the indicator's own frequency (all points when none is)
    start: Point | None
    latest: Point | None
    previous: Point | None


def key_points(indicator, series: list[Point]) -> KeyPoints:
    """Start, latest and previous value of a series sorted by period start. ``indicator`` needs
    only start_year and frequency (a historical model in a migration will do)."""
    start = None
    if indicator.start_year:
        in_start_year = [p for p in series if p.period.start.year == indicator.start_year]
        start = next((p for p in in_start_year if p.period.type == YEAR), None) or (
            in_start_year[0] if in_start_year else None
        )
    main = [p for p in series if p.period.type == indicator.period_type] or series
    latest = main[-1] if main else None
    # A series holds one point per period, so the same period means the same point.
    latest_is_start = latest is not None and start is not None and latest.period == start.period
    previous = main[-2] if len(main) > 1 else start if not latest_is_start else None
    if start is None and main:
        start = main[0]
    return KeyPoints(main, start, latest, previous)


def assess(
    indicator: Indicator,
    start: Point | None,
    latest: Point | None,
    previous: Point | None,
    target: Target | None,
    today: date,
) -> tuple[str, str | None]:
    """The status and the change against the previous value ("up", "down", "flat" or None)."""
    change = None
    if latest is not None and previous is not None:
        change = (
            "up"
            if latest.value > previous.value
            else "down"
            if latest.value < previous.value
            else "flat"
        )

    if (
        latest is None
        or (start is not None and latest.period == start.period)
        or latest.period.end < today - RECENT_LAG[indicator.frequency]
    ):
        status = NO_DATA
    else:
        met = _target_met(target, latest.value, start.value if start else None) if target else None
        if met:
            status = MET
        elif target is not None and target.value is not None and start is not None:
            closer = abs(latest.value - target.value) < abs(start.value - target.value)
            status = ON_COURSE if closer else OFF_COURSE
        elif indicator.direction == Indicator.Direction.UP and start is not None:
            status = ON_COURSE if latest.value >= start.value else OFF_COURSE
        elif indicator.direction == Indicator.Direction.DOWN and start is not None:
            status = ON_COURSE if latest.value <= start.value else OFF_COURSE
        elif target is None:
            status = NO_NORM
        else:
            status = ON_COURSE if met is None else OFF_COURSE
    return status, change


def evaluate(
    indicator: Indicator,
    series: list[Point],
    target: Target | None,
    today: date | None = None,
) -> IndicatorStatus:
    today = today or timezone.localdate()
    series = sorted(series, key=lambda point: point.period.start)
    points = key_points(indicator, series)
    status, change = assess(indicator, points.start, points.latest, points.previous, target, today)
    return IndicatorStatus(
        indicator=indicator,
        series=series,
        start=points.start,
        latest=points.latest,
        previous=points.previous,
        target=target,
        status=status,
        change=change,
        has_example_data=any(p.is_example for p in series),
    )


def _load_points(pairs: set[tuple[int, int]], since: date | None) -> dict[tuple[int, int], list]:
    """Measurements for (indicator id, area id) pairs in one query."""
    if not pairs:
        return {}
    rows = Measurement.objects.filter(
        indicator_id__in={i for i, _ in pairs}, area_id__in={a for _, a in pairs}
    )
    if since is not None:
        rows = rows.filter(period_start__gte=since)
    points: dict[tuple[int, int], list[Point]] = defaultdict(list)
    # Rows come from the database, where the unique constraint and the services guarantee valid
    # periods: build them with the trusted (unvalidated, shared) constructor.
    period_of = Period.trusted
    for indicator_id, area_id, period_type, period_start, value, is_example in rows.values_list(
        "indicator_id", "area_id", "period_type", "period_start", "value", "is_example"
    ).order_by("period_start"):
        key = (indicator_id, area_id)
        if key in pairs:
            points[key].append(Point(period_of(period_type, period_start), value, is_example))
    return points


def _derive(numerator: list[Point], denominator: list[Point], per: int) -> list[Point]:
    by_period = {p.period: p for p in denominator}
    yearly = {p.period.start.year: p for p in denominator if p.period.type == YEAR}
    derived = []
    for point in numerator:
        base = by_period.get(point.period) or yearly.get(point.period.start.year)
        if base is None or not base.value:
            continue
        value = (point.value / base.value * per).quantize(Decimal("0.01"))
        derived.append(Point(point.period, value, point.is_example or base.is_example))
    return derived


def points_needed(indicators, area_id: int | None = None) -> set[tuple[int, int]]:
    """The (indicator, area) series to load for these indicators: their own, or for a derived
    one its numerator's and denominator's. Indicators may be model instances or rows."""
    pairs: set[tuple[int, int]] = set()
    for indicator in indicators:
        area = area_id or indicator.area_id
        if indicator.is_derived:
            pairs |= {(indicator.numerator_id, area), (indicator.denominator_id, area)}
        else:
            pairs.add((indicator.pk, area))
    return pairs


def assemble_series(indicators, points: dict, area_id: int | None = None) -> dict[int, list]:
    """The series of each indicator from the loaded points (points_needed), derived ones
    computed."""
    result = {}
    for indicator in indicators:
        area = area_id or indicator.area_id
        if indicator.is_derived:
            result[indicator.pk] = _derive(
                points.get((indicator.numerator_id, area), []),
                points.get((indicator.denominator_id, area), []),
                indicator.per or 1000,
            )
        else:
            result[indicator.pk] = points.get((indicator.pk, area), [])
    return result


def series_for(
    indicators: list[Indicator], area_id: int | None = None, since: date | None = None
) -> dict[int, list[Point]]:
    """The series of each indicator for its own area (or the given area), derived ones computed."""
    points = _load_points(points_needed(indicators, area_id), since)
    return assemble_series(indicators, points, area_id)


def statuses_for(
    indicators: list[Indicator], today: date | None = None, since: date | None = None
) -> dict[int, IndicatorStatus]:
    """Status of many indicators with a fixed number of queries (targets must be selected)."""
    series = series_for(indicators, since=since)
    result = {}
    for indicator in indicators:
        try:
            target = indicator.target
        except Target.DoesNotExist:
            target = None
        result[indicator.pk] = evaluate(indicator, series[indicator.pk], target, today)
    return result


STATE_FIELDS = (
    "indicator_id",
    "area_id",
    "basis",
    "has_example_data",
    "sparkline_summary",
    "sparkline_shape",
    *(
        f"{point}_{part}"
        for point in ("start", "latest", "previous")
        for part in ("period_type", "period_start", "value", "is_example")
    ),
)


def _stored_point(period_type: str, period_start, value, is_example) -> Point | None:
    if not period_type:
        return None
    return Point(Period.trusted(period_type, period_start), value, is_example)


def statuses_from_states(
    indicators: list[Indicator], since: date, today: date | None = None
) -> dict[int, IndicatorStatus]:
    """The status of each indicator from its stored state (indicators.state) in one query, as
    statuses_for(indicators, since=since) computes it from the measurements, but without the
    series: the sparkline comes with it. Indicators whose state is missing or was computed for
    another window, area or definition (frequency, start year, derivation) are left out;
    compute those with statuses_for. Targets must be selected."""
    today = today or timezone.localdate()
    by_id = {indicator.pk: indicator for indicator in indicators}
    rows = IndicatorState.objects.filter(indicator_id__in=by_id, window_start=since).values_list(
        *STATE_FIELDS
    )
    result = {}
    for indicator_id, area_id, basis, has_example_data, summary, shape, *points in rows:
        indicator = by_id[indicator_id]
        if area_id != indicator.area_id or basis != stored.basis_of(indicator):
            continue
        start, latest, previous = (
            _stored_point(*points[0:4]),
            _stored_point(*points[4:8]),
            _stored_point(*points[8:12]),
        )
        try:
            target = indicator.target
        except Target.DoesNotExist:
            target = None
        status, change = assess(indicator, start, latest, previous, target, today)
        result[indicator_id] = IndicatorStatus(
            indicator=indicator,
            series=[],
            start=start,
            latest=latest,
            previous=previous,
            target=target,
            status=status,
            change=change,
            has_example_data=has_example_data,
            sparkline=SparklineData(stored.decode_summary(summary, Point), shape),
        )
    return result


def indicator_status(indicator: Indicator, today: date | None = None) -> IndicatorStatus:
    return statuses_for([indicator], today)[indicator.pk]


def indicators_with_targets(queryset):
    return queryset.select_related("target", "source", "area", "theme")


def areas_within(indicator: Indicator) -> QuerySet[Area]:
    """The areas inside the indicator's area (its districts and neighbourhoods, for a
    municipality), for which a measurement of the indicator may be recorded besides the area
    itself. indicators.services.record_measurement checks against this same list."""
    area_id = indicator.area_id
    return Area.objects.filter(
        Q(parent_id=area_id) | Q(parent__parent_id=area_id) | Q(parent__parent__parent_id=area_id)
    ).order_by("level", "name")


def stored_for_period(indicator: Indicator, period: Period, area: Area):
    """The measurement (for the area) and the duiding stored for a period, or None for each."""
    measurement = Measurement.objects.filter(
        indicator=indicator, area=area, period_type=period.type, period_start=period.start
    ).first()
    interpretation = Interpretation.objects.filter(
        indicator=indicator, period_type=period.type, period_start=period.start
    ).first()
    return measurement, interpretation
