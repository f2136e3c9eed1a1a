"""How a report's content (a snapshot or the live content) is drawn: charts per indicator."""

from __future__ import annotations

import copy
from decimal import Decimal

from django.utils.translation import gettext as _

from openveiligheid.core.charts import ChartPoint, ReferenceLine, line_chart
from openveiligheid.core.formats import format_value
from openveiligheid.reports.selectors import organisation_of


def _chart(row: dict, chart_id: str):
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
    return line_chart(
        points,
        title=_("Verloop van %(name)s") % {"name": row["name"]},
        formatter=lambda value: format_value(value, unit),
        start=start_line,
        target=target_line,
        chart_id=chart_id,
    )


def with_charts(content: dict) -> dict:
    """A copy of the content with an SVG chart (series, start line, target line) on every
    indicator row that has values. Chart ids follow the row's place, so the same content always
    draws the same markup."""
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
            row["chart"] = _chart(row, row["chart_id"]) if row["series"] else ""
    return drawn
