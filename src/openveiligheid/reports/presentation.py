"""How a report's content (a snapshot or the live content) is drawn: charts per indicator.

The page and the standalone HTML carry each chart as inline SVG (an image for assistive
technology with its title and description). The PDF gets the same SVG as an image of its own
(an <img> with the description as alternative text): WeasyPrint then draws it as vector graphics
without running the page's style sheets over every line and label of 40 charts, which was a
third of a full plan's build time. The DOCX gets it as a PNG (render_png)."""

from __future__ import annotations

import base64
import copy
import functools
from decimal import Decimal
from io import BytesIO

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from openveiligheid.core.charts import ChartPoint, ReferenceLine, describe_line_chart, line_chart
from openveiligheid.core.formats import format_value
from openveiligheid.reports.selectors import organisation_of

# The size at which documents print a chart (millimetres), and the PNG's pixels for the DOCX:
# 800 px over 120 mm is about 170 dpi: sharp on screen and on paper, small in the file.
CHART_PRINT_WIDTH_MM = 120
CHART_PNG_WIDTH_PX = 800


def _chart_input(row: dict) -> dict:
    points = [
        ChartPoint(point["period_label"], Decimal(point["value"]), point["is_example"])
        for point in row["series"]
    ]
    start = row["start"]
    start_line = (
        ReferenceLine(
            _("Startwaarde %(period)s") % {"period": start["period_label"]}, Decimal(start["value"])
        )
        if start is not None
        else None
    )
    target_line = (
        ReferenceLine(_("Doel"), Decimal(row["target_value"]))
        if row.get("target_value") is not None
        else None
    )
    unit = row["unit"]
    return {
        "points": points,
        "formatter": lambda value: format_value(value, unit),
        "start": start_line,
        "target": target_line,
    }


def _chart(row: dict, chart_id: str, *, tooltips: bool) -> tuple[str, str, str]:
    """The chart's SVG, its title and its text version."""
    drawing = _chart_input(row)
    title = _("Verloop van %(name)s") % {"name": row["name"]}
    svg = line_chart(
        drawing["points"],
        title=title,
        chart_id=chart_id,
        tooltips=tooltips,
        **_without_points(drawing),
    )
    description = describe_line_chart(drawing["points"], **_without_points(drawing))
    return svg, title, description


def _without_points(drawing: dict) -> dict:
    return {key: value for key, value in drawing.items() if key != "points"}


def _as_image(svg: str, alt: str) -> str:
    source = base64.b64encode(svg.encode()).decode("ascii")
    return mark_safe(
        f'<img class="ov-chart-image" src="data:image/svg+xml;base64,{source}" alt="{escape(alt)}">'
    )


@functools.lru_cache(maxsize=512)
def render_png(svg: str) -> bytes:
    """The chart as PNG: drawn by cairosvg (the system's Cairo) on white, then stored with a
    palette of 32 colours. A chart has a handful of colours plus their anti-aliased edges, so
    the palette keeps it sharp at a sixth of the size, and Pillow writes it several times
    faster than Cairo's own PNG writer, which took most of a DOCX's build time.

    Drawn once per process for the same SVG (about 10 kB per chart kept): a published report's
    charts never change, and its DOCX is downloaded again and again."""
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface
    from PIL import Image

    drawn = PNGSurface(
        Tree(bytestring=svg.encode()),
        None,
        96,
        output_width=CHART_PNG_WIDTH_PX,
        background_color="white",
    ).cairo
    drawn.flush()
    image = Image.frombuffer(
        "RGBA",
        (drawn.get_width(), drawn.get_height()),
        bytes(drawn.get_data()),
        "raw",
        "BGRA",
        drawn.get_stride(),
        1,
    )
    image = image.convert("RGB").quantize(colors=32, method=Image.Quantize.FASTOCTREE)
    buffer = BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def with_charts(content: dict, *, as_images: bool = False) -> dict:
    """A copy of the content with an SVG chart (series, start line, target line) on every
    indicator row that has values. Chart ids follow the row's place, so the same content always
    draws the same markup. With as_images (the PDF) each chart is an <img> of the same SVG.
    Every row keeps its chart's SVG (chart_svg) and text version (chart_alt) for the DOCX."""
    drawn = copy.deepcopy(content)
    drawn["organisation"] = organisation_of(content)
    groups = [("plan", drawn.get("plan_indicators", []))] + [
        (str(index), theme["indicators"]) for index, theme in enumerate(drawn["themes"])
    ]
    for theme in drawn["themes"]:
        theme["caption_id"] = f"thema-{theme['id']}-caption"
    for group, rows in groups:
        for index, row in enumerate(rows):
            row["chart_id"] = f"report-chart-{group}-{index}"
            if not row["series"]:
                row["chart"] = row["chart_svg"] = row["chart_alt"] = ""
                continue
            svg, title, description = _chart(row, row["chart_id"], tooltips=not as_images)
            row["chart_svg"] = svg
            row["chart_alt"] = f"{title}. {description}"
            row["chart"] = _as_image(svg, row["chart_alt"]) if as_images else svg
    return drawn
