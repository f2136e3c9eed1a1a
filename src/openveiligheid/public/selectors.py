"""What the pages without login may show: a municipality's adopted plans, its published reports
and the aggregated figures of the adopted plans' indicators, with small counts suppressed.

Nothing here is scoped to a user: every read is limited to what is public by its filter (an
adopted plan, a published report) and never to less. Drafts, concept plans, measurements per
district or neighbourhood and everything person-level stay out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.http import Http404

from openveiligheid.core.formats import format_value
from openveiligheid.core.periods import Period
from openveiligheid.indicators.models import Indicator
from openveiligheid.indicators.presentation import STATUS_CSS, indicator_tile
from openveiligheid.indicators.selectors import (
    NO_NORM,
    IndicatorStatus,
    Point,
    indicators_with_targets,
    series_for,
    statuses_for,
)
from openveiligheid.organisations.models import Organisation
from openveiligheid.plans.models import Plan
from openveiligheid.reports.models import Report, ReportStatus


def suppress_below() -> int:
    """Counts below this number are shown as "< n" (0: nothing suppressed)."""
    return max(0, int(settings.OPENVEILIGHEID_PUBLIC_SUPPRESS_BELOW))


def municipality(slug: str) -> Organisation:
    try:
        return Organisation.objects.get(slug=slug, kind=Organisation.Kind.MUNICIPALITY)
    except Organisation.DoesNotExist as error:
        raise Http404 from error


def adopted_plans(organisation: Organisation):
    return (
        Plan.objects.filter(owner=organisation, status=Plan.Status.ADOPTED)
        .select_related("owner")
        .order_by("-period_start", "title")
    )


def adopted_plan(organisation: Organisation, slug: str) -> Plan:
    try:
        return adopted_plans(organisation).get(slug=slug)
    except Plan.DoesNotExist as error:
        raise Http404 from error


def published_reports(organisation: Organisation):
    """Every published version, newest period first; a corrected version stays listed."""
    return (
        Report.objects.filter(
            plan__owner=organisation,
            plan__status=Plan.Status.ADOPTED,
            status=ReportStatus.PUBLISHED,
        )
        .select_related("plan__owner")
        .order_by("-period_start", "report_type", "-version")
    )


def published_report(organisation: Organisation, pk: int) -> Report:
    try:
        return published_reports(organisation).get(pk=pk)
    except Report.DoesNotExist as error:
        raise Http404 from error


# --- figures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicValue:
    """One value as it may be shown: ``value`` is None when it is suppressed."""

    period: Period
    value: Decimal | None
    display: str
    suppressed: bool
    is_example: bool

    @property
    def period_label(self) -> str:
        return self.period.label


def public_value(point: Point, unit: str, threshold: int | None = None) -> PublicValue:
    threshold = suppress_below() if threshold is None else threshold
    if unit == Indicator.Unit.COUNT and point.value < threshold:
        return PublicValue(point.period, None, f"< {threshold}", True, point.is_example)
    return PublicValue(
        point.period, point.value, format_value(point.value, unit), False, point.is_example
    )


def _optional(point: Point | None, unit: str, threshold: int) -> PublicValue | None:
    return None if point is None else public_value(point, unit, threshold)


@dataclass
class PublicIndicator:
    indicator: Indicator
    status: IndicatorStatus
    start: PublicValue | None
    latest: PublicValue | None
    previous: PublicValue | None
    series: list[PublicValue]
    target_text: str
    change_symbol: str
    change_label: str
    change_assessment: str
    # The sparkline only when no value in it is suppressed: its drawing holds every value.
    sparkline: str

    @property
    def has_norm(self) -> bool:
        return self.status.status != NO_NORM

    @property
    def status_css(self) -> str:
        return STATUS_CSS[self.status.status]

    @property
    def has_example_data(self) -> bool:
        return self.status.has_example_data

    @property
    def any_suppressed(self) -> bool:
        return any(value.suppressed for value in self.series)


def public_indicators(plan: Plan) -> list[PublicIndicator]:
    """The plan's indicators with their status, start, latest and previous value, target and
    series for the plan's own area (aggregated: no district or neighbourhood figures), in the
    plan's order. A fixed number of queries whatever the number of indicators."""
    threshold = suppress_below()
    indicators = list(
        indicators_with_targets(Indicator.objects.filter(plan=plan)).order_by(
            "theme__order", "theme_id", "order", "id"
        )
    )
    for indicator in indicators:
        indicator.plan = plan  # the addresses of the open data name the plan and its owner
    statuses = statuses_for(indicators)
    result = []
    for indicator in indicators:
        status = statuses[indicator.pk]
        unit = indicator.unit
        main = [p for p in status.series if p.period.type == indicator.period_type]
        series = [public_value(point, unit, threshold) for point in main or status.series]
        latest = _optional(status.latest, unit, threshold)
        previous = _optional(status.previous, unit, threshold)
        tile = indicator_tile(status, id_prefix="public")
        # A change between two suppressed counts would tell more than "< n" does.
        hide_change = any(value is not None and value.suppressed for value in (latest, previous))
        result.append(
            PublicIndicator(
                indicator=indicator,
                status=status,
                start=_optional(status.start, unit, threshold),
                latest=latest,
                previous=previous,
                series=series,
                target_text=tile.target_text,
                change_symbol="" if hide_change else tile.change_symbol,
                change_label="" if hide_change else tile.change_label,
                change_assessment="" if hide_change else tile.change_assessment,
                sparkline="" if any(value.suppressed for value in series) else tile.sparkline,
            )
        )
    return result


def public_indicator(plan: Plan, slug: str) -> Indicator:
    try:
        return indicators_with_targets(Indicator.objects.filter(plan=plan)).get(slug=slug)
    except Indicator.DoesNotExist as error:
        raise Http404 from error


def public_series(indicator: Indicator) -> list[PublicValue]:
    """The series an open-data file holds: the indicator's own area, in its own frequency (or
    every point when it has none in it), suppressed as on the page."""
    points = series_for([indicator])[indicator.pk]
    main = [p for p in points if p.period.type == indicator.period_type] or points
    threshold = suppress_below()
    return [public_value(point, indicator.unit, threshold) for point in main]


def themes_with_indicators(plan: Plan, rows: list[PublicIndicator]) -> list[dict]:
    """The rows grouped under the plan's themes (in the plan's order); the plan's own key
    figures, outside any theme, first."""
    groups: dict[int | None, list[PublicIndicator]] = {}
    for row in rows:
        groups.setdefault(row.indicator.theme_id, []).append(row)
    themes = [{"theme": None, "rows": groups[None]}] if None in groups else []
    for theme in plan.themes.order_by("order", "id"):
        if theme.pk in groups:
            themes.append({"theme": theme, "rows": groups[theme.pk]})
    return themes
