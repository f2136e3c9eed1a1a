"""Counts of meldpunt reports per category and period: what feeds the plan's indicators
(indicators.services.record_signal_counts). Only numbers leave this module, never a report."""

from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from openveiligheid.core.periods import MONTH, Period
from openveiligheid.signals.models import Category, Report

_MONTHS = {"year": 12, "half_year": 6, "quarter": 3, "month": 1}


def period_containing(day: date, period_type: str) -> Period:
    months = _MONTHS[period_type]
    first_month = (day.month - 1) // months * months + 1
    return Period(period_type, date(day.year, first_month, 1))


def next_period(period: Period) -> Period:
    month_index = period.start.month - 1 + _MONTHS[period.type]
    return Period(period.type, date(period.start.year + month_index // 12, month_index % 12 + 1, 1))


def report_counts(
    category: Category, period_type: str, *, first: date | None = None, today: date | None = None
) -> dict[Period, int]:
    """The reports received in `category` per period of `period_type` (by the day they came in,
    in the product's time zone), for every ended period from the one holding the first report
    (or `first`, when that is later) up to the last one that ended before `today`; a period
    without reports counts 0. The running period is left out: its count is not final yet."""
    today = today or timezone.localdate()
    current = period_containing(today, period_type)
    per_month = (
        Report.objects.filter(category=category)
        .annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(reports=Count("pk"))
        .order_by("month")
    )
    counts: dict[Period, int] = {}
    for row in per_month:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        period = period_containing(Period(MONTH, month).start, period_type)
        counts[period] = counts.get(period, 0) + row["reports"]
    if not counts:
        return {}
    period = min(counts)
    if first is not None:
        period = max(period, period_containing(first, period_type))
    result = {}
    while period < current:
        result[period] = counts.get(period, 0)
        period = next_period(period)
    return result
