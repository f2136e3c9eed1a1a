"""Downloads of an indicator's series as CSV and XLSX.

The CSV is written the way Dutch Excel opens it with a double click: semicolon separated, decimal
comma, UTF-8 with a byte order mark (without it Excel reads the file as Windows-1252).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from openveiligheid.core.spreadsheets import append_xlsx_row, csv_row
from openveiligheid.indicators.models import Indicator, Measurement
from openveiligheid.indicators.selectors import series_for
from openveiligheid.organisations.scoping import VIEW

COLUMNS = ("Periode", "Waarde", "Gebied", "Bron", "Voorbeelddata", "Toelichting")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Row:
    period: str
    value: Decimal
    area: str
    source: str
    is_example: bool
    note: str


def series_rows(indicator: Indicator, user) -> list[Row]:
    """The rows of the download: the measurements the user may see, or the computed series of a
    derived indicator."""
    if indicator.is_derived:
        note = _("Berekend: %(numerator)s per %(per)s %(denominator)s") % {
            "numerator": indicator.numerator.name,
            "per": indicator.per or 1000,
            "denominator": indicator.denominator.name,
        }
        points = series_for([indicator])[indicator.pk]
        return [
            Row(p.period.label, p.value, indicator.area.name, _("Berekend"), p.is_example, note)
            for p in points
        ]
    measurements = (
        Measurement.objects.restrict(user, VIEW)
        .filter(indicator=indicator)
        .select_related("area", "source")
        .order_by("period_start", "period_type", "area__code")
    )
    return [
        Row(
            m.period.label,
            m.value,
            m.area.name,
            m.source.name if m.source else "",
            m.is_example,
            m.note,
        )
        for m in measurements
    ]


def dutch_decimal(value: Decimal) -> str:
    """Plain decimal comma, no thousands separator: Excel reads '23555' and '7,6' as numbers."""
    number = value.normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return format(number, "f").replace(".", ",")


def _filename(indicator: Indicator, extension: str) -> str:
    return f"{indicator.plan.slug}-{indicator.slug}.{extension}"


def csv_response(indicator: Indicator, rows: list[Row]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        # The value is a number in Dutch notation (a minus sign is no formula); the texts
        # were typed or imported by people and are escaped.
        writer.writerow(
            [
                row.period,
                dutch_decimal(row.value),
                *csv_row([row.area, row.source, "ja" if row.is_example else "nee", row.note]),
            ]
        )
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(indicator, "csv")}"'
    return response


def _number_format(unit: str, value: Decimal) -> str:
    if unit in (Indicator.Unit.GRADE,):
        return "0.0"
    if unit == Indicator.Unit.EURO:
        return '"€" #,##0'
    if value == value.to_integral():
        return "#,##0"
    return "#,##0.0#"


def xlsx_response(indicator: Indicator, rows: list[Row]) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Reeks")
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_xlsx_row(
            sheet,
            [
                row.period,
                row.value,
                row.area,
                row.source,
                "ja" if row.is_example else "nee",
                row.note,
            ],
        )
        sheet.cell(row=sheet.max_row, column=2).number_format = _number_format(
            indicator.unit, row.value
        )
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", (18, 14, 24, 28, 14, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.auto_filter.ref = sheet.dimensions
    # Context for whoever opens the file later, away from the data columns.
    info = workbook.create_sheet(_("Toelichting"))
    for key, value in (
        (_("Indicator"), indicator.name),
        (_("Plan"), indicator.plan.title),
        (_("Eenheid"), indicator.get_unit_display()),
        (_("Gewenste richting"), indicator.get_direction_display()),
        (_("Definitie"), indicator.definition),
    ):
        info.append([key, value])
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(indicator, "xlsx")}"'
    return response
