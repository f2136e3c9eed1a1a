"""How an indicator's status is shown: tiles with sparkline, target in words, chart points."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape

from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from openveiligheid.core.charts import ChartPointLike, sparkline, sparkline_from_summary
from openveiligheid.core.formats import format_value
from openveiligheid.indicators.models import Indicator, Target
from openveiligheid.indicators.selectors import NO_NORM, STATUS_LABELS, IndicatorStatus

CHANGE_SYMBOLS = {"up": "↑", "down": "↓", "flat": "→"}
# Status code -> modifier of the .ov-status badge in site.css.
STATUS_CSS = {
    "met": "target-met",
    "on_course": "on-course",
    "off_course": "off-course",
    "no_data": "no-data",
    "no_norm": "no-norm",
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
    main = [p for p in status.series if p.period.type == status.indicator.period_type]
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
    def has_norm(self) -> bool:
        """Whether the status judges the values (against a target or a direction); without a
        norm the tile shows the trend instead of a status badge."""
        return self.status.status != NO_NORM

    @property
    def start(self):
        return self.status.start


def sparkline_id(indicator: Indicator, id_prefix: str = "spark") -> str:
    return f"{id_prefix}-{indicator.pk}"


def _change_words(indicator: Indicator, change: str | None) -> tuple[str, str]:
    if change is None:
        return "", ""
    words = _words()
    label = words[f"change_{change}"]
    if change == "flat" or indicator.direction == Indicator.Direction.NONE:
        return label, ""
    good = (change == "up") == (indicator.direction == Indicator.Direction.UP)
    return label, words["favourable"] if good else words["unfavourable"]


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
    title = _words()["chart_title"] % {"name": indicator.name}
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


@lru_cache(maxsize=32)
def _words_in(language: str | None) -> dict[str, str]:
    """The fixed texts of a tile in one language. A dashboard renders some 60 tiles, each with
    about ten of these texts: translating them once per language (and process) instead of per
    tile takes gettext out of the cold dashboard's time."""
    return {
        "no_values": _("Nog geen metingen"),
        "per_thousand": _("per 1.000 inwoners"),
        "example": _("voorbeelddata"),
        "compared": _("%(change)s ten opzichte van %(previous)s"),
        "start": _("Startwaarde %(period)s: %(value)s"),
        "goal": _("Doel: %(target)s"),
        "chart_title": _("Verloop van %(name)s"),
        "change_up": _("gestegen"),
        "change_down": _("gedaald"),
        "change_flat": _("gelijk gebleven"),
        "favourable": _("gunstig"),
        "trend": _("Geen norm; trend: %(change)s"),
        "unfavourable": _("ongunstig"),
        **{f"status_{code}": str(label) for code, label in STATUS_LABELS.items()},
    }


def _words() -> dict[str, str]:
    return _words_in(translation.get_language())


def _tile_value_and_period(tile: IndicatorTile, words: dict[str, str]) -> str:
    """Escaped HTML (as format_html would give it, built with f-strings for speed)."""
    status, indicator = tile.status, tile.indicator
    latest = status.latest
    if latest is None:
        return (
            '<p class="ov-tile__value">–</p>\n  '
            f'<p class="ov-tile__meta">{escape(words["no_values"])}</p>'
        )
    unit = (
        f'<span class="ov-tile__unit">{escape(words["per_thousand"])}</span>'
        if indicator.unit == "rate"
        else ""
    )
    change = (
        f'<span class="ov-tile__unit"><span aria-hidden="true">{escape(tile.change_symbol)}'
        f'</span><span class="ov-visually-hidden">{escape(tile.change_label)}</span></span>'
        if tile.change_symbol
        else ""
    )
    example = f" – <strong>{escape(words['example'])}</strong>" if latest.is_example else ""
    compared = ""
    if tile.change_label:
        compared = "; " + words["compared"] % {
            "change": tile.change_label,
            "previous": status.previous.period.label,
        }
        if tile.change_assessment:
            compared += f" ({tile.change_assessment})"
    return (
        f'<p class="ov-tile__value">{escape(format_value(latest.value, indicator.unit))}{unit}'
        f'\n    {change}</p>\n  <p class="ov-tile__meta">{escape(latest.period.label)}{example}'
        f"{escape(compared)}</p>"
    )


def _tile_start_and_target(tile: IndicatorTile, words: dict[str, str]) -> str:
    start = tile.status.start
    lines = []
    if start is not None:
        lines.append(
            words["start"]
            % {
                "period": start.period.label,
                "value": format_value(start.value, tile.indicator.unit),
            }
        )
    if tile.target_text:
        lines.append(words["goal"] % {"target": tile.target_text})
    return f'<p class="ov-tile__meta">{"<br>".join(map(escape, lines))}</p>'


def _tile_status(tile: IndicatorTile, words: dict[str, str]) -> str:
    """The status badge, or for an indicator without a norm the trend in words (no badge: the
    plan makes no judgement to show)."""
    if tile.has_norm:
        return (
            f'<span class="ov-status ov-status--{tile.status_css}">'
            f"{escape(words['status_' + tile.status.status])}</span>"
        )
    change = tile.change_label or "–"
    return f'<span class="ov-tile__meta">{escape(words["trend"] % {"change": change})}</span>'


def render_tile(
    tile: IndicatorTile, plan_slug: str, level: int = 4, url: str | None = None
) -> SafeString:
    """One indicator as a dashboard tile (<li class="ov-tile">), with a heading of ``level``.

    Built in Python rather than a template: a dashboard renders some 60 of them whenever its
    data changed, and this is about ten times faster than an included template per tile. Every
    text is escaped. ``url`` is the indicator's page when the caller already knows it."""
    indicator, status = tile.indicator, tile.status
    words = _words()
    example_badge = (
        f'<span class="utrecht-badge-status ov-example-badge">{escape(words["example"])}</span>'
        if status.has_example_data
        else ""
    )
    if url is None:
        url = reverse("indicators:detail", args=[plan_slug, indicator.slug])
    level = int(level)
    return mark_safe(
        f'<li class="ov-tile">\n  <div class="ov-tile__header">\n'
        f'    <h{level} class="ov-tile__title"><a class="ov-tile__link" href="{escape(url)}">'
        f"{escape(indicator.name)}</a></h{level}>\n"
        f"    {_tile_status(tile, words)}\n  </div>\n"
        f"  {_tile_value_and_period(tile, words)}\n  {_tile_start_and_target(tile, words)}\n"
        f'  <div class="ov-tile__footer">\n    {conditional_escape(tile.sparkline)}\n'
        f"    {example_badge}\n  </div>\n</li>\n"
    )


_SLUG_PLACEHOLDER = "ov-indicator-slug"


def render_tiles(tiles, plan_slug: str, level: int = 4) -> SafeString:
    """The tiles as the items of a <ul class="ov-dashboard">. The indicator pages' address is
    reversed once (with a placeholder for the slug, which holds only URL-safe characters)."""
    before, after = reverse("indicators:detail", args=[plan_slug, _SLUG_PLACEHOLDER]).rsplit(
        _SLUG_PLACEHOLDER, 1
    )
    return mark_safe(
        "".join(
            render_tile(tile, plan_slug, level, url=f"{before}{tile.indicator.slug}{after}")
            for tile in tiles
        )
    )
