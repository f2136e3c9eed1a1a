"""Server-side SVG charts: a sparkline for tiles and a time-series line chart for indicator pages.

Rendered on the server so the figures show without JavaScript and in printed reports. Both charts
are images for assistive technology (role="img" with <title> and <desc>); the page must also offer
the numbers as a table. Example values (voorbeelddata) are drawn with another shape and a dashed
line, never by colour alone, and the line chart's legend explains every mark it uses.

The module knows no domain: callers pass labelled values and a formatter for the axis labels.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from openveiligheid.core.formats import format_number

Formatter = Callable[[Decimal], str]

# Colours meet a 3:1 contrast against white (WCAG 1.4.11 non-text contrast).
LINE_COLOUR = "#154273"
EXAMPLE_COLOUR = "#8a4b00"
START_COLOUR = "#555555"
TARGET_COLOUR = "#1a7a33"
GRID_COLOUR = "#d4d4d4"
TEXT_COLOUR = "#1a1a1a"


@dataclass(frozen=True)
class ChartPoint:
    label: str
    value: Decimal
    is_example: bool = False


class ChartPointLike(Protocol):
    """What the charts read from a point. Any object with these attributes will do, so callers
    can pass their own points and compute a label only when a chart shows it (the sparkline
    shows only the first and the last)."""

    @property
    def label(self) -> str: ...

    @property
    def value(self) -> Decimal: ...

    @property
    def is_example(self) -> bool: ...


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal line such as the start value or the target."""

    label: str
    value: Decimal


def _fmt(value: float) -> str:
    """Coordinates with at most two decimals keep the SVG small."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _new_id(prefix: str | None) -> str:
    return prefix or f"ov-chart-{uuid.uuid4().hex[:8]}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks (steps of 1, 2, 2.5 or 5 times a power of ten) that cover low..high."""
    if math.isclose(low, high):
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    steps = int(round((last - first) / step))
    return [round(first + i * step, 10) for i in range(steps + 1)]


def _as_decimal(value: float) -> Decimal:
    return Decimal(str(value)).normalize()


def _svg_open(chart_id: str, width: int, height: int, title: str, desc: str, css_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _example_mark(x: float, y: float, size: float, label: str = "") -> str:
    """A hollow square: voorbeelddata differ in shape, not only in colour."""
    half = size / 2
    tooltip = f"<title>{escape(label)}</title>" if label else ""
    return (
        f'<rect x="{_fmt(x - half)}" y="{_fmt(y - half)}" width="{_fmt(size)}" '
        f'height="{_fmt(size)}" fill="#ffffff" stroke="{EXAMPLE_COLOUR}" stroke-width="1.5">'
        f"{tooltip}</rect>"
    )


def _real_mark(x: float, y: float, radius: float, label: str = "") -> str:
    tooltip = f"<title>{escape(label)}</title>" if label else ""
    return (
        f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(radius)}" fill="{LINE_COLOUR}">'
        f"{tooltip}</circle>"
    )


def _series_paths(coords: list[tuple[float, float]], points: Sequence[ChartPointLike]) -> str:
    """The line through the points as at most two <path> elements: one solid for real values and
    one dashed (another colour) for every segment with an example value at either end. One path
    per kind instead of an element per segment keeps a 60-point sparkline small."""
    solid: list[str] = []
    dashed: list[str] = []
    flags = [p.is_example for p in points]
    xy = [f"{x:.1f} {y:.1f}" for x, y in coords]
    previous_kind = None
    for index in range(1, len(xy)):
        example = flags[index - 1] or flags[index]
        path = dashed if example else solid
        if previous_kind is example:
            path.append(f"L{xy[index]}")  # continues the previous segment of this kind
        else:
            path.append(f"M{xy[index - 1]}L{xy[index]}")
        previous_kind = example
    parts = []
    if solid:
        parts.append(
            f'<path d="{"".join(solid)}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2" '
            'stroke-linejoin="round"/>'
        )
    if dashed:
        parts.append(
            f'<path class="ov-chart-example" d="{"".join(dashed)}" fill="none" '
            f'stroke="{EXAMPLE_COLOUR}" stroke-width="2" stroke-dasharray="4 3"/>'
        )
    return "".join(parts)


@dataclass(frozen=True)
class SeriesSummary:
    """What the text version of a series says about it: its length, first and last point, range
    and number of example values. Small enough to store, so that a chart's description can be
    written without the points (see indicators.state)."""

    count: int
    first: ChartPointLike | None
    last: ChartPointLike | None
    low: Decimal | None
    high: Decimal | None
    examples: int

    @classmethod
    def of(cls, points: Sequence[ChartPointLike]) -> SeriesSummary:
        if not points:
            return cls(0, None, None, None, None, 0)
        values = [p.value for p in points]
        return cls(
            count=len(points),
            first=points[0],
            last=points[-1],
            low=min(values),
            high=max(values),
            examples=sum(1 for p in points if p.is_example),
        )


def describe_series(points: Sequence[ChartPointLike], formatter: Formatter = format_number) -> str:
    """A one-paragraph text version of the series for <desc>."""
    return describe_summary(SeriesSummary.of(points), formatter)


def describe_summary(summary: SeriesSummary, formatter: Formatter = format_number) -> str:
    """describe_series from a series' summary."""
    if not summary.count:
        return _("Nog geen metingen.")
    first, last = summary.first, summary.last
    if summary.count == 1:
        text = _("Eén meting: %(label)s %(value)s.") % {
            "label": first.label,
            "value": formatter(first.value),
        }
    else:
        text = _(
            "%(count)s metingen van %(first_label)s tot %(last_label)s: van %(first)s naar "
            "%(last)s. Laagste waarde %(low)s, hoogste waarde %(high)s."
        ) % {
            "count": summary.count,
            "first_label": first.label,
            "last_label": last.label,
            "first": formatter(first.value),
            "last": formatter(last.value),
            "low": formatter(summary.low),
            "high": formatter(summary.high),
        }
    if summary.examples:
        text += " " + _("%(count)s van de %(total)s waarden zijn voorbeelddata.") % {
            "count": summary.examples,
            "total": summary.count,
        }
    return text


SPARKLINE_WIDTH, SPARKLINE_HEIGHT = 120, 32


def sparkline_shape(
    points: Sequence[ChartPointLike], width: int = SPARKLINE_WIDTH, height: int = SPARKLINE_HEIGHT
) -> str:
    """The drawing of a sparkline (its paths and marks) without the surrounding <svg> and ids:
    it depends on the values and example flags only, so it can be computed when the series
    changes and stored (see indicators.state). Empty series give ""."""
    if not points:
        return ""
    pad = 4.0
    values = [float(p.value) for p in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / (len(points) - 1) if len(points) > 1 else 0.0
    scale = (height - 2 * pad) / span

    if high == low:
        coords = [(pad + index * step, height / 2) for index in range(len(values))]
    else:
        coords = [(pad + index * step, pad + (high - v) * scale) for index, v in enumerate(values)]
    if len(points) == 1:
        coords = [(width / 2, coords[0][1])]
    parts = [_series_paths(coords, points)]
    for (x, y), point in zip(coords, points, strict=True):
        if point.is_example:
            parts.append(_example_mark(x, y, 5))
    last_x, last_y = coords[-1]
    if not points[-1].is_example:
        parts.append(_real_mark(last_x, last_y, 2.5))
    return "".join(parts)


def sparkline(
    points: Sequence[ChartPointLike],
    *,
    title: str,
    formatter: Formatter = format_number,
    width: int = SPARKLINE_WIDTH,
    height: int = SPARKLINE_HEIGHT,
    chart_id: str | None = None,
    drawn_as: str | None = None,
) -> SafeString:
    """A small trend line without axes; the latest point is marked. Empty series give "".

    The drawing sits in a group with the id "<chart_id>-shape". When a page shows the same series
    twice, pass the first sparkline's chart_id as drawn_as: the second one then refers to that
    drawing (<use>) instead of repeating it, and keeps its own title and description.
    """
    return sparkline_from_summary(
        SeriesSummary.of(points),
        "" if drawn_as or not points else sparkline_shape(points, width, height),
        title=title,
        formatter=formatter,
        width=width,
        height=height,
        chart_id=chart_id,
        drawn_as=drawn_as,
    )


def sparkline_from_summary(
    summary: SeriesSummary,
    shape: str,
    *,
    title: str,
    formatter: Formatter = format_number,
    width: int = SPARKLINE_WIDTH,
    height: int = SPARKLINE_HEIGHT,
    chart_id: str | None = None,
    drawn_as: str | None = None,
) -> SafeString:
    """The sparkline of a series known by its summary and drawing (sparkline_shape), the same
    markup as sparkline() gives for the points themselves."""
    if not summary.count:
        return mark_safe("")
    chart_id = _new_id(chart_id)
    opening = _svg_open(
        chart_id, width, height, title, describe_summary(summary, formatter), "ov-sparkline"
    )
    if drawn_as:
        return mark_safe(f'{opening}<use href="#{escape(drawn_as)}-shape"/></svg>')
    return mark_safe(f'{opening}<g id="{chart_id}-shape">{shape}</g></svg>')


def describe_line_chart(
    points: Sequence[ChartPointLike],
    *,
    formatter: Formatter = format_number,
    start: ReferenceLine | None = None,
    target: ReferenceLine | None = None,
) -> str:
    """The text version of a line chart (its <desc>, and the alternative text of the chart as
    an image in a document)."""
    desc = describe_series(points, formatter)
    for line in (start, target):
        if line is not None:
            desc += " " + _("%(label)s: %(value)s.") % {
                "label": line.label,
                "value": formatter(line.value),
            }
    return desc


def line_chart(
    points: Sequence[ChartPointLike],
    *,
    title: str,
    formatter: Formatter = format_number,
    start: ReferenceLine | None = None,
    target: ReferenceLine | None = None,
    width: int = 640,
    height: int = 300,
    chart_id: str | None = None,
    tooltips: bool = True,
) -> SafeString:
    """A time series with evenly spaced periods, a y axis with Dutch number labels, optional
    start and target lines and a legend below the plot.

    tooltips=False leaves out each point's own <title> (a tooltip on screen, nothing on paper):
    a document draws the same chart from fewer elements."""
    chart_id = _new_id(chart_id)
    margin_left, margin_right, margin_top = 72.0, 24.0, 16.0
    axis_height, legend_height = 40.0, 28.0
    plot_width = width - margin_left - margin_right
    plot_height = height - margin_top - axis_height - legend_height
    plot_bottom = margin_top + plot_height

    desc = describe_line_chart(points, formatter=formatter, start=start, target=target)
    parts = [_svg_open(chart_id, width, height, title, desc, "ov-line-chart")]

    if not points:
        parts.append(
            f'<text x="{_fmt(width / 2)}" y="{_fmt(height / 2)}" text-anchor="middle" '
            f'fill="{TEXT_COLOUR}" font-size="14">{escape(_("Nog geen metingen."))}</text></svg>'
        )
        return mark_safe("".join(parts))

    values = [float(p.value) for p in points]
    references = [float(line.value) for line in (start, target) if line is not None]
    low, high = min(values + references), max(values + references)
    # Counts and shares read honestly from zero unless the values sit far above it.
    if low >= 0 and low <= high * 0.5:
        low = 0.0
    elif high > low:
        # A little room below the lowest value or line, so that a target or start line on the
        # lowest tick is not hidden by the axis (never below zero for values that are not).
        padded = low - (high - low) * 0.05
        low = max(padded, 0.0) if low >= 0 else padded
    ticks = nice_ticks(low, high)
    axis_low, axis_high = ticks[0], ticks[-1]
    axis_span = (axis_high - axis_low) or 1.0

    def y_of(value: float) -> float:
        return margin_top + (axis_high - value) / axis_span * plot_height

    slot = plot_width / len(points)

    def x_of(index: int) -> float:
        return margin_left + slot * (index + 0.5)

    # Grid and y labels.
    parts.append(f'<g class="ov-chart-axis" font-size="12" fill="{TEXT_COLOUR}">')
    # The grid as one path: one element to draw instead of one per tick.
    grid = "".join(
        f"M{_fmt(margin_left)} {_fmt(y_of(tick))}H{_fmt(width - margin_right)}" for tick in ticks
    )
    parts.append(f'<path d="{grid}" stroke="{GRID_COLOUR}" stroke-width="1" fill="none"/>')
    for tick in ticks:
        parts.append(
            f'<text x="{_fmt(margin_left - 8)}" y="{_fmt(y_of(tick) + 4)}" text-anchor="end">'
            f"{escape(formatter(_as_decimal(tick)))}</text>"
        )
    # X labels, thinned so they do not overlap (about 56 px per label).
    every = max(1, math.ceil(len(points) / max(1, int(plot_width // 56))))
    for index, point in enumerate(points):
        if index % every and index != len(points) - 1:
            continue
        parts.append(
            f'<text x="{_fmt(x_of(index))}" y="{_fmt(plot_bottom + 18)}" '
            f'text-anchor="middle">{escape(point.label)}</text>'
        )
    parts.append(
        f'<line x1="{_fmt(margin_left)}" y1="{_fmt(plot_bottom)}" '
        f'x2="{_fmt(width - margin_right)}" y2="{_fmt(plot_bottom)}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/></g>'
    )

    # Reference lines: start dashed grey, target dash-dot green, each labelled at the right.
    for line, colour, dash, css in (
        (start, START_COLOUR, "6 4", "ov-chart-start"),
        (target, TARGET_COLOUR, "10 4 2 4", "ov-chart-target"),
    ):
        if line is None:
            continue
        y = y_of(float(line.value))
        parts.append(
            f'<g class="{css}"><line x1="{_fmt(margin_left)}" y1="{_fmt(y)}" '
            f'x2="{_fmt(width - margin_right)}" y2="{_fmt(y)}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/>'
            f'<text x="{_fmt(width - margin_right)}" y="{_fmt(y - 5)}" text-anchor="end" '
            f'font-size="12" fill="{colour}">'
            f"{escape(line.label)}: {escape(formatter(line.value))}</text></g>"
        )

    coords = [(x_of(i), y_of(v)) for i, v in enumerate(values)]
    parts.append(f'<g class="ov-chart-series">{_series_paths(coords, points)}')
    example_word = _("voorbeelddata")
    for (x, y), point in zip(coords, points, strict=True):
        label = f"{point.label}: {formatter(point.value)}" if tooltips else ""
        if point.is_example:
            parts.append(_example_mark(x, y, 9, f"{label} ({example_word})" if label else ""))
        else:
            parts.append(_real_mark(x, y, 4, label))
    parts.append("</g>")

    # Legend.
    legend_y = height - legend_height / 2
    items = [("real", _("Meting"))]
    if any(p.is_example for p in points):
        items.append(("example", _("Voorbeelddata")))
    if start is not None:
        items.append(("start", start.label))
    if target is not None:
        items.append(("target", target.label))
    parts.append(f'<g class="ov-chart-legend" font-size="12" fill="{TEXT_COLOUR}">')
    x = margin_left
    for kind, text in items:
        # Each mark with a stretch of its line (solid or dashed), so that the legend reads in
        # black and white too.
        if kind == "real":
            parts.append(
                f'<line x1="{_fmt(x - 4)}" y1="{_fmt(legend_y)}" x2="{_fmt(x + 16)}" '
                f'y2="{_fmt(legend_y)}" stroke="{LINE_COLOUR}" stroke-width="2"/>'
            )
            parts.append(_real_mark(x + 6, legend_y, 4))
        elif kind == "example":
            parts.append(
                f'<line x1="{_fmt(x - 4)}" y1="{_fmt(legend_y)}" x2="{_fmt(x + 16)}" '
                f'y2="{_fmt(legend_y)}" stroke="{EXAMPLE_COLOUR}" stroke-width="2" '
                'stroke-dasharray="4 3"/>'
            )
            parts.append(_example_mark(x + 6, legend_y, 9))
        else:
            colour, dash = (START_COLOUR, "6 4") if kind == "start" else (TARGET_COLOUR, "10 4 2 4")
            parts.append(
                f'<line x1="{_fmt(x - 4)}" y1="{_fmt(legend_y)}" x2="{_fmt(x + 16)}" '
                f'y2="{_fmt(legend_y)}" stroke="{colour}" stroke-width="2" '
                f'stroke-dasharray="{dash}"/>'
            )
        parts.append(f'<text x="{_fmt(x + 20)}" y="{_fmt(legend_y + 4)}">{escape(text)}</text>')
        # Rough text width: 7 px per character at 12 px.
        x += 36 + len(text) * 7
    parts.append("</g></svg>")
    return mark_safe("".join(parts))
