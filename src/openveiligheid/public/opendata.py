"""Open data: one indicator's series as CSV and JSON, at a stable address per indicator.

The address names the municipality, the plan and the indicator by their slugs, which a new import
of the plan keeps (database ids do not survive one). Both files hold the same values as the public
page, with small counts suppressed. The CSV is plain machine CSV (comma, decimal point, UTF-8),
unlike the staff download, which is written for Dutch Excel; column names are fixed, in every
language, so that a script reading them keeps working.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.urls import reverse

from openveiligheid.core.spreadsheets import csv_text
from openveiligheid.indicators.models import Indicator
from openveiligheid.public.selectors import PublicValue, public_series, suppress_below

CSV_COLUMNS = (
    "periode",
    "periode_omschrijving",
    "waarde",
    "weergave",
    "onderdrukt",
    "voorbeelddata",
    "eenheid",
    "gebied_code",
    "gebied",
)


def number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral() else float(value)


def plain_decimal(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = value.normalize()
    if value == value.to_integral():
        value = value.quantize(Decimal(1))
    return format(value, "f")


def file_urls(indicator: Indicator) -> dict[str, str]:
    args = [indicator.plan.owner.slug, indicator.plan.slug, indicator.slug]
    return {
        output: reverse(f"public-api:indicator-{output}", args=args) for output in ("csv", "json")
    }


def series_csv(indicator: Indicator, series: list[PublicValue] | None = None) -> bytes:
    series = public_series(indicator) if series is None else series
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    area = indicator.area
    for value in series:
        # Names come from plans and CBS; a leading "=" must not become a formula.
        writer.writerow(
            [
                value.period.code,
                value.period_label,
                plain_decimal(value.value),
                value.display,
                "ja" if value.suppressed else "nee",
                "ja" if value.is_example else "nee",
                indicator.unit,
                area.code,
                csv_text(area.name),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def series_json(indicator: Indicator, series: list[PublicValue] | None = None) -> dict:
    series = public_series(indicator) if series is None else series
    plan = indicator.plan
    try:
        target = indicator.target
    except Indicator.target.RelatedObjectDoesNotExist:
        target = None
    return {
        "indicator": {
            "slug": indicator.slug,
            "name": indicator.name,
            "definition": indicator.definition,
            "unit": indicator.unit,
            "unit_label": str(indicator.get_unit_display()),
            "direction": indicator.direction,
            "frequency": indicator.frequency,
            "start_year": indicator.start_year,
            "source": indicator.source.name if indicator.source_id else "",
            "theme": indicator.theme.name if indicator.theme_id else "",
            "area": {"code": indicator.area.code, "name": indicator.area.name},
            "target": (
                {
                    "comparison": target.comparison,
                    "value": number(target.value),
                    "year": target.year,
                    "text": target.text,
                }
                if target is not None
                else None
            ),
        },
        "plan": {"slug": plan.slug, "title": plan.title, "period": plan.period_label},
        "organisation": {"slug": plan.owner.slug, "name": plan.owner.name},
        "suppressed_below": suppress_below() if indicator.unit == Indicator.Unit.COUNT else None,
        "values": [
            {
                "period": value.period.code,
                "period_label": value.period_label,
                "value": number(value.value),
                "display": value.display,
                "suppressed": value.suppressed,
                "is_example": value.is_example,
            }
            for value in series
        ],
    }
