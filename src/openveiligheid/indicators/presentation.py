"""How an indicator's status is shown: tiles with sparkline, target in words, chart points."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from openveiligheid.core.charts import ChartPointLike, sparkline, sparkline_from_summary
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
    title = _("Verloop van %(name)s") % {"name": indicator.name}
    chart_id = sparkline_id(indicator, id_prefix)
    if status.sparkline is not None:  # from the stored state: the same markup, no series
        drawing = sparkline_from_summary(
            status.sparkline.summary,
            status.sparkline.shape,
            title=title,
            formatter=formatter,
            chart_id=chart_id,
            drawn_as=drawn_as,
        )
    else:
        drawing = sparkline(
            chart_points(main_points(status)),
            title=title,
            formatter=formatter,
            chart_id=chart_id,
            drawn_as=drawn_as,
        )
    return IndicatorTile(
        indicator=indicator,
        status=status,
        target_text=target_text(status.target, indicator.unit),
        sparkline=drawing,
        change_symbol=CHANGE_SYMBOLS.get(status.change or "", ""),
        change_label=label,
        change_assessment=assessment,
    )


def _tile_value_and_period(tile: IndicatorTile) -> SafeString:
    status, indicator = tile.status, tile.indicator
    latest = status.latest
    if latest is None:
        return format_html(
            '<p class="ov-tile__value">–</p>\n  <p class="ov-tile__meta">{}</p>',
            _("Nog geen metingen"),
        )
    unit = (
        format_html('<span class="ov-tile__unit">{}</span>', _("per 1.000 inwoners"))
        if indicator.unit == "rate"
        else ""
    )
    change = (
        format_html(
            '<span class="ov-tile__unit"><span aria-hidden="true">{}</span>'
            '<span class="ov-visually-hidden">{}</span></span>',
            tile.change_symbol,
            tile.change_label,
        )
        if tile.change_symbol
        else ""
    )
    example = format_html(" – <strong>{}</strong>", _("voorbeelddata")) if latest.is_example else ""
    compared = ""
    if tile.change_label:
        compared = "; " + _("%(change)s ten opzichte van %(previous)s") % {
            "change": tile.change_label,
            "previous": status.previous.period.label,
        }
        if tile.change_assessment:
            compared += f" ({tile.change_assessment})"
    return format_html(
        '<p class="ov-tile__value">{}{}\n    {}</p>\n  <p class="ov-tile__meta">{}{}{}</p>',
        format_value(latest.value, indicator.unit),
        unit,
        change,
        latest.period.label,
        example,
        compared,
    )


def _tile_start_and_target(tile: IndicatorTile) -> SafeString:
    start = tile.status.start
    lines = []
    if start is not None:
        lines.append(
            _("Startwaarde %(period)s: %(value)s")
            % {
                "period": start.period.label,
                "value": format_value(start.value, tile.indicator.unit),
            }
        )
    if tile.target_text:
        lines.append(_("Doel: %(target)s") % {"target": tile.target_text})
    return format_html(
        '<p class="ov-tile__meta">{}</p>', mark_safe("<br>".join(map(conditional_escape, lines)))
    )


def render_tile(tile: IndicatorTile, plan_slug: str, level: int = 4) -> SafeString:
    """One indicator as a dashboard tile (<li class="ov-tile">), with a heading of ``level``.

    Built in Python rather than a template: a dashboard renders some 60 of them whenever its
    data changed, and this is about ten times faster than an included template per tile."""
    indicator, status = tile.indicator, tile.status
    example_badge = (
        format_html(
            '<span class="utrecht-badge-status ov-example-badge">{}</span>', _("voorbeelddata")
        )
        if status.has_example_data
        else ""
    )
    return format_html(
        '<li class="ov-tile">\n  <div class="ov-tile__header">\n'
        '    <h{level} class="ov-tile__title"><a class="ov-tile__link" href="{url}">{name}</a>'
        "</h{level}>\n"
        '    <span class="ov-status ov-status--{css}">{status}</span>\n  </div>\n'
        "  {value}\n  {start}\n"
        '  <div class="ov-tile__footer">\n    {sparkline}\n    {example}\n  </div>\n</li>\n',
        level=int(level),
        url=reverse("indicators:detail", args=[plan_slug, indicator.slug]),
        name=indicator.name,
        css=tile.status_css,
        status=status.status_label,
        value=_tile_value_and_period(tile),
        start=_tile_start_and_target(tile),
        sparkline=tile.sparkline,
        example=example_badge,
    )


def render_tiles(tiles, plan_slug: str, level: int = 4) -> SafeString:
    """The tiles as the items of a <ul class="ov-dashboard">."""
    return mark_safe("".join(render_tile(tile, plan_slug, level) for tile in tiles))
