"""The stored state of each indicator in its own area (models.IndicatorState), kept current on
every write of a measurement, so that a dashboard that is not cached reads one row per indicator
instead of thousands of measurements.

`refresh` recomputes the states of the (indicator, area) pairs a write touched, and of the derived
indicators computed from them, from the measurements: the same loading (`selectors._derive`) and
the same key points (`selectors.key_points`) as the live computation, so the stored state is what
the selectors would compute. The services call it in the transaction of the write; inside
`refresh_once()` (a batch such as an import) the pairs are collected and refreshed once at the
end. The state row is locked before the measurements are read, so two transactions writing
values of the same indicator cannot both store a state that misses the other's value.

This module reads with values() and plain rows, never with model methods: the data migration
that fills the table passes its historical models (`Models`).
"""

from __future__ import annotations

import contextvars
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import Min, Q

from openveiligheid.core.charts import SeriesSummary, sparkline_shape
from openveiligheid.core.periods import Period
from openveiligheid.indicators.models import period_type_of

# Plans per query when all states are computed (the data migration, the command).
PLANS_PER_BATCH = 20


class Models(NamedTuple):
    Plan: type
    Indicator: type
    Measurement: type
    IndicatorState: type


def current_models() -> Models:
    from openveiligheid.indicators.models import Indicator, IndicatorState, Measurement
    from openveiligheid.plans.models import Plan

    return Models(Plan, Indicator, Measurement, IndicatorState)


class IndicatorRow(NamedTuple):
    """What the computation needs of an indicator (key_points reads start_year and frequency)."""

    pk: int
    plan_id: int
    area_id: int
    frequency: str
    start_year: int | None
    numerator_id: int | None
    denominator_id: int | None
    per: int | None

    @property
    def is_derived(self) -> bool:
        return self.numerator_id is not None and self.denominator_id is not None

    @property
    def period_type(self) -> str:
        return period_type_of(self.frequency)


INDICATOR_FIELDS = IndicatorRow._fields


def basis_of(indicator) -> str:
    """The indicator's fields its state depends on, as text (a model instance, a historical
    model or an IndicatorRow)."""
    return (
        f"{indicator.frequency}|{indicator.start_year or ''}|{indicator.numerator_id or ''}|"
        f"{indicator.denominator_id or ''}|{indicator.per or ''}"
    )


def window_start(plan_period_start: int, start_years: Iterable[int | None]) -> date:
    """The first day the plan dashboard reads measurements from: the year before the plan, or
    the earliest start year of its indicators."""
    years = [plan_period_start - 1] + [year for year in start_years if year]
    return date(min(years), 1, 1)


# --- encoding ---------------------------------------------------------------------------------


def _point_fields(prefix: str, point) -> dict:
    if point is None:
        return {
            f"{prefix}_period_type": "",
            f"{prefix}_period_start": None,
            f"{prefix}_value": None,
            f"{prefix}_is_example": False,
        }
    return {
        f"{prefix}_period_type": point.period.type,
        f"{prefix}_period_start": point.period.start,
        f"{prefix}_value": point.value,
        f"{prefix}_is_example": point.is_example,
    }


def _encode_point(point) -> list:
    return [point.period.type, point.period.start.isoformat(), str(point.value), point.is_example]


def encode_summary(summary: SeriesSummary) -> list:
    if not summary.count:
        return []
    return [
        summary.count,
        _encode_point(summary.first),
        _encode_point(summary.last),
        str(summary.low),
        str(summary.high),
        summary.examples,
    ]


def decode_summary(data: list, point_class) -> SeriesSummary:
    """The summary stored by encode_summary, with points of ``point_class`` (selectors.Point)."""
    if not data:
        return SeriesSummary(0, None, None, None, None, 0)
    count, first, last, low, high, examples = data

    def point(item):
        kind, start, value, is_example = item
        return point_class(
            Period.trusted(kind, date.fromisoformat(start)), Decimal(value), is_example
        )

    return SeriesSummary(count, point(first), point(last), Decimal(low), Decimal(high), examples)


def state_fields(indicator, series: list, window: date) -> dict:
    """The stored fields of an indicator's state from its series (sorted by period start) in the
    dashboard window."""
    from openveiligheid.indicators.selectors import key_points

    points = key_points(indicator, series)
    return {
        "window_start": window,
        "basis": basis_of(indicator),
        **_point_fields("start", points.start),
        **_point_fields("latest", points.latest),
        **_point_fields("previous", points.previous),
        "has_example_data": any(point.is_example for point in series),
        "sparkline_summary": encode_summary(SeriesSummary.of(points.main)),
        "sparkline_shape": sparkline_shape(points.main),
    }


# --- computing ---------------------------------------------------------------------------------


def _series(models: Models, indicators: list[IndicatorRow], since: date) -> dict[int, list]:
    """Each indicator's series in its own area from ``since`` on, derived ones computed; the
    same rows and order as selectors.series_for."""
    # Imported here: selectors reads the stored states through this module.
    from openveiligheid.indicators.selectors import Point, assemble_series, points_needed

    pairs = points_needed(indicators)
    points: dict[tuple[int, int], list] = defaultdict(list)
    if pairs:
        # The models given (historical ones in a data migration), so not selectors._load_points.
        rows = (
            models.Measurement.objects.filter(
                indicator_id__in={i for i, _a in pairs},
                area_id__in={a for _i, a in pairs},
                period_start__gte=since,
            )
            .order_by("period_start")
            .values_list(
                "indicator_id", "area_id", "period_type", "period_start", "value", "is_example"
            )
        )
        for indicator_id, area_id, period_type, period_start, value, is_example in rows:
            key = (indicator_id, area_id)
            if key in pairs:
                points[key].append(
                    Point(Period.trusted(period_type, period_start), value, is_example)
                )
    return assemble_series(indicators, points)


def _windows(models: Models, plan_ids: set[int]) -> dict[int, date]:
    """The dashboard window of each plan, in one query."""
    rows = (
        models.Plan.objects.filter(pk__in=plan_ids)
        .annotate(earliest=Min("indicators__start_year"))
        .values_list("pk", "period_start", "earliest")
    )
    return {pk: window_start(period_start, [earliest]) for pk, period_start, earliest in rows}


def _store(models: Models, indicators: list[IndicatorRow]) -> None:
    """Compute and save the states of these indicators (their own area)."""
    if not indicators:
        return
    State = models.IndicatorState
    windows = _windows(models, {indicator.plan_id for indicator in indicators})
    # Lock the rows first (in id order, as every writer does): a concurrent write of the same
    # indicator waits here and then reads the measurements this transaction committed.
    existing = {
        state.indicator_id: state
        for state in State.objects.select_for_update()
        .filter(indicator_id__in=[indicator.pk for indicator in indicators])
        .order_by("pk")
    }
    by_window: dict[date, list[IndicatorRow]] = defaultdict(list)
    for indicator in indicators:
        by_window[windows[indicator.plan_id]].append(indicator)
    to_create, to_update = [], []
    fields = None
    for window, group in by_window.items():
        series = _series(models, group, window)
        for indicator in group:
            values = state_fields(indicator, series[indicator.pk], window)
            fields = fields or list(values)
            state = existing.get(indicator.pk)
            if state is None:
                to_create.append(
                    State(indicator_id=indicator.pk, area_id=indicator.area_id, **values)
                )
                continue
            state.area_id = indicator.area_id
            for name, value in values.items():
                setattr(state, name, value)
            to_update.append(state)
    if to_update:
        State.objects.bulk_update(to_update, [*fields, "area_id"], batch_size=500)
    if to_create:
        State.objects.bulk_create(to_create, batch_size=500)


def _indicator_rows(queryset) -> list[IndicatorRow]:
    return [IndicatorRow(*row) for row in queryset.values_list(*INDICATOR_FIELDS)]


_pending: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "openveiligheid_indicator_state_pending", default=None
)


def refresh(pairs: Iterable[tuple[int, int]], models: Models | None = None) -> None:
    """Renew the states after measurements of these (indicator id, area id) pairs changed:
    the indicators themselves where the area is their own, and the derived indicators computed
    from them in that area. Call inside the transaction of the write. Inside refresh_once() the
    pairs are only collected."""
    pairs = set(pairs)
    pending = _pending.get()
    if pending is not None:
        pending |= pairs
        return
    _refresh_now(pairs, models or current_models())


def _refresh_now(pairs: set[tuple[int, int]], models: Models) -> None:
    if not pairs:
        return
    ids = {indicator_id for indicator_id, _area in pairs}
    rows = _indicator_rows(
        models.Indicator.objects.filter(
            Q(pk__in=ids) | Q(numerator_id__in=ids) | Q(denominator_id__in=ids)
        ).order_by("pk"),
    )
    affected = [
        row
        for row in rows
        if (row.pk, row.area_id) in pairs
        or (
            row.is_derived
            and (
                (row.numerator_id, row.area_id) in pairs
                or (row.denominator_id, row.area_id) in pairs
            )
        )
    ]
    _store(models, affected)


@contextmanager
def refresh_once() -> Iterator[None]:
    """Collect the refreshes of the writes inside and do them once at the end (one query per
    kind instead of several per measurement). Nested use joins the outer one."""
    if _pending.get() is not None:
        yield
        return
    pending: set = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _refresh_now(pending, current_models())


def refresh_plan(plan_id: int, models: Models | None = None) -> None:
    """Renew the states of the plan's indicators whose window is no longer the plan's (after an
    indicator with an earlier start year was added, or the plan's period changed)."""
    models = models or current_models()
    window = _windows(models, {plan_id}).get(plan_id)
    if window is None:
        return
    stale = models.Indicator.objects.filter(plan_id=plan_id).exclude(
        pk__in=models.IndicatorState.objects.filter(
            indicator__plan_id=plan_id, window_start=window
        ).values("indicator_id")
    )
    _store(models, _indicator_rows(stale))


def refresh_all(models: Models | None = None, log=None) -> int:
    """Compute the state of every indicator (the data migration, the benchmark's generator), a
    few plans per transaction. Returns the number of indicators."""
    models = models or current_models()
    plan_ids = list(
        models.Indicator.objects.order_by("plan_id").values_list("plan_id", flat=True).distinct()
    )
    total = 0
    for offset in range(0, len(plan_ids), PLANS_PER_BATCH):
        rows = _indicator_rows(
            models.Indicator.objects.filter(
                plan_id__in=plan_ids[offset : offset + PLANS_PER_BATCH]
            ).order_by("pk"),
        )
        with transaction.atomic():  # a batch per transaction (its rows are locked first)
            _store(models, rows)
        total += len(rows)
        if log:
            log(total)
    return total
