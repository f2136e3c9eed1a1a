"""The veiligheidsanalyse that opens the next cycle: four-year trends per theme, the indicators
beside comparable municipalities and the national figure, and the points the council may want to
prioritise, found by a stated rule from the figures (never written text).

Like the rest of a report's content it is plain JSON with formatted texts, so that a published
analysis is frozen in its snapshot."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from openveiligheid.core.formats import format_number, format_percentage, format_value
from openveiligheid.core.periods import YEAR, Period
from openveiligheid.indicators.bbv_definitions import BBV_RATE_SLUGS
from openveiligheid.indicators.comparison import Comparison, compare
from openveiligheid.indicators.models import Indicator, Measurement
from openveiligheid.indicators.selectors import OFF_COURSE

TREND_YEARS = 4
# At most this many points to prioritise: a list for the council to discuss, not a ranking of all.
MAX_PRIORITIES = 8


def trend_years(period: Period) -> list[int]:
    """The four years that end with the report's year."""
    last = period.start.year
    return list(range(last - TREND_YEARS + 1, last + 1))


def _value_in_year(indicator: Indicator, series: list, year: int):
    """The year's value: the yearly figure, else the last value in the indicator's own
    frequency within that year (its period label then says which)."""
    in_year = [point for point in series if point.period.start.year == year]
    yearly = next((point for point in in_year if point.period.type == YEAR), None)
    if yearly is not None:
        return yearly
    own = [point for point in in_year if point.period.type == indicator.period_type]
    return own[-1] if own else None


def _worsening(indicator: Indicator, first, last) -> Decimal | None:
    """How much worse the last value is than the first, in percent of the first (positive is
    worse, given the desired direction); None without a direction or a first value of zero."""
    if indicator.direction not in (Indicator.Direction.UP, Indicator.Direction.DOWN):
        return None
    if first is None or last is None or first.period == last.period or first.value == 0:
        return None
    change = (last.value - first.value) / abs(first.value) * 100
    return -change if indicator.direction == Indicator.Direction.UP else change


def _trend_row(indicator: Indicator, series: list, years: list[int]) -> dict:
    points = [_value_in_year(indicator, series, year) for year in years]
    present = [point for point in points if point is not None]
    first, last = (present[0], present[-1]) if present else (None, None)
    worsening = _worsening(indicator, first, last)
    return {
        "name": indicator.name,
        "slug": indicator.slug,
        "unit": indicator.unit,
        "values": [
            None
            if point is None
            else {
                "display": format_value(point.value, indicator.unit),
                # Said only when the value is not the yearly figure.
                "period_label": "" if point.period.type == YEAR else point.period.label,
                "is_example": point.is_example,
            }
            for point in points
        ],
        "first_year": first.period.start.year if first else None,
        "last_year": last.period.start.year if last else None,
        "worsening": None if worsening is None else format(worsening.quantize(Decimal("0.1")), "f"),
        "has_example_data": any(point.is_example for point in present),
    }


def _priority_reasons(row: dict, status: str | None, years: list[int]) -> list[str]:
    reasons = []
    if row["worsening"] is not None and Decimal(row["worsening"]) > 0:
        reasons.append(
            _("%(percentage)s verslechterd van %(first)s tot %(last)s")
            % {
                "percentage": format_percentage(Decimal(row["worsening"]), 1),
                "first": row["first_year"],
                "last": row["last_year"],
            }
        )
    if status == OFF_COURSE:
        reasons.append(_("niet op koers in %(year)s") % {"year": years[-1]})
    return reasons


def priorities_rule() -> str:
    return _(
        "Een indicator staat hier als hij in de vier jaar van deze analyse de ongewenste kant "
        "op is gegaan (van de eerste tot de laatste waarde, in procenten van de eerste) of als "
        "hij aan het eind van de periode niet op koers is voor zijn doel of startwaarde. De "
        "grootste verslechtering staat bovenaan; indicatoren zonder voorkeursrichting tellen "
        "niet mee. Hoogstens %(max)s punten."
    ) % {"max": MAX_PRIORITIES}


def _comparison_row(comparison: Comparison) -> dict:
    unit = comparison.indicator.unit

    def shown(value) -> str:
        return "–" if value is None else format_value(value, unit)

    size_class = comparison.size_class
    return {
        "name": comparison.indicator.name,
        "slug": comparison.indicator.slug,
        "period_label": comparison.period.label if comparison.period else "",
        "own": shown(comparison.own.value if comparison.own else None),
        "rank": (
            _("%(rank)s van %(count)s")
            % {"rank": comparison.own.rank, "count": len(comparison.ranking)}
            if comparison.own
            else "–"
        ),
        "size_class_label": size_class.label if size_class else "",
        "size_class_average": shown(size_class.average if size_class else None),
        "size_class_count": len(size_class.members) if size_class else 0,
        "national": shown(comparison.national),
    }


def _comparison_for(indicator: Indicator, period: Period) -> Comparison:
    """The comparison for the report's year, else the latest year before the period's end."""
    comparison = compare(indicator, period.code)
    if comparison.period is None or comparison.period.end <= period.end:
        return comparison
    earlier = [
        candidate
        for candidate in comparison.periods
        if candidate.end <= period.end and candidate.type == YEAR
    ]
    return compare(indicator, earlier[0].code) if earlier else comparison


def comparable_indicators(indicators: list[Indicator]) -> list[Indicator]:
    """The BBV rates and every indicator with values for other areas than its own."""
    sources = {i.pk for i in indicators} | {i.numerator_id for i in indicators if i.is_derived}
    with_others = set(
        Measurement.objects.filter(indicator__in=sources)
        .exclude(area_id__isnull=True)
        .values_list("indicator_id", "area_id")
        .distinct()
    )
    areas_per_indicator: dict[int, set[int]] = {}
    for indicator_id, area_id in with_others:
        areas_per_indicator.setdefault(indicator_id, set()).add(area_id)

    def source_of(indicator: Indicator) -> int:
        return indicator.numerator_id if indicator.is_derived else indicator.pk

    return [
        indicator
        for indicator in indicators
        if indicator.slug in BBV_RATE_SLUGS
        or len(areas_per_indicator.get(source_of(indicator), set()) - {indicator.area_id}) > 0
    ]


def safety_analysis(
    themes: list[dict],
    indicators: list[Indicator],
    series: dict[int, list],
    statuses: dict[int, str | None],
    period: Period,
) -> dict:
    """The analysis part of the content. ``themes`` are the report's theme dicts (for names and
    order), ``statuses`` the status of each indicator at the end of the period."""
    years = trend_years(period)
    by_theme: dict[int | None, list[Indicator]] = {}
    for indicator in indicators:
        by_theme.setdefault(indicator.theme_id, []).append(indicator)
    groups = [(None, _("Kerncijfers"))] + [(theme["id"], theme["name"]) for theme in themes]
    trends, candidates = [], []
    for theme_id, theme_name in groups:
        rows = []
        for indicator in by_theme.get(theme_id, []):
            row = _trend_row(indicator, series[indicator.pk], years)
            if not any(row["values"]):
                continue
            rows.append(row)
            reasons = _priority_reasons(row, statuses.get(indicator.pk), years)
            if reasons:
                worsening = Decimal(row["worsening"]) if row["worsening"] is not None else None
                candidates.append((worsening, theme_name, row, reasons))
        if rows:
            trends.append({"theme": theme_name, "indicators": rows})
    # Largest worsening first; off course without a measurable worsening after those.
    candidates.sort(key=lambda item: (item[0] is None, -(item[0] or 0), item[1], item[2]["name"]))
    priorities = [
        {
            "theme": theme_name,
            "indicator": row["name"],
            "reasons": reasons,
            "text": f"{row['name']} ({theme_name}): " + "; ".join(reasons) + ".",
        }
        for _worse, theme_name, row, reasons in candidates[:MAX_PRIORITIES]
    ]
    comparisons = []
    for indicator in comparable_indicators(indicators):
        comparison = _comparison_for(indicator, period)
        # A BBV indicator is always listed (the budget must show it), others only with figures.
        if indicator.slug in BBV_RATE_SLUGS or comparison.own or comparison.national is not None:
            comparisons.append(_comparison_row(comparison))
    return {
        "years": years,
        "trends": trends,
        "comparisons": comparisons,
        "priorities": priorities,
        "priorities_rule": priorities_rule(),
        "candidate_count": format_number(len(candidates)),
    }
