"""How an indicator's status is shown: tiles with sparkline, target in words, chart points."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from openveiligheid.core.charts import ChartPointLike, sparkline
from openveiligheid.core.formats import format_value
from openveiligheid.indicators.models import Indicator, Target
from openveiligheid.indicators.selectors import IndicatorStatus

CHANGE_SYMBOLS = {"up": "↑", "down": "↓", "flat": "→"}
# Status code -> modifier of the .ov-status badge in site.css.
STATUS_CSS = {
    "met": "target-met",
    "on_course": "on-course",
    "off_course": "off-course",
    "no_data": "no-data",
}


def target_text(target: Target | None, unit: str) -> str:
    """The target as the plan words it, or built from comparison and value."""
    if target is None:
        return ""
    if target.text:
        return target.text
    if target.value is not None:
        return f"{target.get_comparison_display()} {format_value(target.value, unit)}"
    return str(target.get_comparison_display())


def main_points(status: IndicatorStatus) -> list:
    """The points in the indicator's own frequency (the series may also hold yearly totals)."""
    main = [p for p in status.series if p.period.type == status.indicator.frequency]
    return main or list(status.series)


def chart_points(points) -> list[ChartPointLike]:
    """The series for the charts. A selectors.Point already offers label, value and is_example,
    and computes its Dutch label only when a chart shows it: a sparkline shows two of its ~60."""
    return list(points)


@dataclass
class IndicatorTile:
    indicator: Indicator
    status: IndicatorStatus
    target_text: str
    sparkline: SafeString
    change_symbol: str = ""
    change_label: str = ""
    # Whether the change is in the desired direction, in words: colour is never the only cue.
    change_assessment: str = ""

    @property
    def latest(self):
        return self.status.latest

    @property
    def status_css(self) -> str:
        return STATUS_CSS[self.status.status]

    @property
    def start(self):
        return self.status.start


def sparkline_id(indicator: Indicator, id_prefix: str = "spark") -> str:
    return f"{id_prefix}-{indicator.pk}"


def _change_words(indicator: Indicator, change: str | None) -> tuple[str, str]:
    if change is None:
        return "", ""
    label = {"up": _("gestegen"), "down": _("gedaald"), "flat": _("gelijk gebleven")}[change]
    if change == "flat" or indicator.direction == Indicator.Direction.NONE:
        return label, ""
    good = (change == "up") == (indicator.direction == Indicator.Direction.UP)
    return label, _("gunstig") if good else _("ongunstig")


def indicator_tile(
    status: IndicatorStatus, id_prefix: str = "spark", drawn_as: str | None = None
) -> IndicatorTile:
    """A tile with its sparkline; id_prefix keeps SVG ids unique when a page shows the same
    indicator twice (a headline figure also appears under its theme). For the second tile, pass
    the first one's sparkline_id as drawn_as: its sparkline then reuses the first drawing."""
    indicator = status.indicator

    def formatter(value):
        return format_value(value, indicator.unit)

    label, assessment = _change_words(indicator, status.change)
    return IndicatorTile(
        indicator=indicator,
        status=status,
        target_text=target_text(status.target, indicator.unit),
        sparkline=sparkline(
            chart_points(main_points(status)),
            title=_("Verloop van %(name)s") % {"name": indicator.name},
            formatter=formatter,
            chart_id=sparkline_id(indicator, id_prefix),
            drawn_as=drawn_as,
        ),
        change_symbol=CHANGE_SYMBOLS.get(status.change or "", ""),
        change_label=label,
        change_assessment=assessment,
    )
