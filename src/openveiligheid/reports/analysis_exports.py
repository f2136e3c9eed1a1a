"""The parts of a report file that only some reports have: the cooperation examples of a
strategic theme and the veiligheidsanalyse (reports.analysis), as DOCX and as an XLSX sheet.
Kept beside exports.py, which calls them, so that each part is drawn in one place."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl.styles import Font

from openveiligheid.core.documents import add_row, add_table, bold_cell, set_font_size
from openveiligheid.core.spreadsheets import append_xlsx_row


def _paragraphs(document, text: str) -> None:
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph.strip())


def cooperation_docx(document, theme: dict) -> None:
    """The cooperation examples of a strategic theme (older snapshots have none)."""
    if not theme.get("is_strategic"):
        return
    document.add_heading(_("Voorbeelden van samenwerking"), level=3)
    _paragraphs(
        document, theme.get("cooperation_examples") or _("Nog geen voorbeelden van samenwerking.")
    )


def _trend_cell(value: dict | None) -> str:
    if value is None:
        return "–"
    text = value["display"]
    if value["period_label"]:
        text += f" ({value['period_label']})"
    return f"{text} {_('voorbeelddata')}" if value["is_example"] else text


def analysis_docx(document, analysis: dict | None) -> None:
    if not analysis:
        return
    document.add_heading(_("Veiligheidsanalyse"), level=2)
    document.add_heading(_("Punten die de raad kan prioriteren"), level=3)
    document.add_paragraph(analysis["priorities_rule"])
    if analysis["priorities"]:
        for point in analysis["priorities"]:
            document.add_paragraph(point["text"], style="List Number")
    else:
        document.add_paragraph(_("Volgens deze regel is er geen indicator die om voorrang vraagt."))
    document.add_heading(_("Vergelijking met andere gemeenten"), level=3)
    if analysis["comparisons"]:
        table = add_table(
            document,
            [
                _("Indicator"),
                _("Periode"),
                _("Eigen gemeente"),
                _("Plaats"),
                _("Gemiddelde grootteklasse"),
                _("Nederland"),
            ],
            [50, 16, 22, 20, 26, 22],
        )
        for row in analysis["comparisons"]:
            cells = add_row(table)
            bold_cell(cells[0], row["name"])
            cells[1].text = row["period_label"] or "–"
            cells[2].text = row["own"]
            cells[3].text = row["rank"]
            cells[4].text = row["size_class_average"]
            cells[5].text = row["national"]
        set_font_size(table, 8)
        label = analysis["comparisons"][0]["size_class_label"]
        if label:
            document.add_paragraph(
                _("Grootteklasse: %(group)s. De plaats telt vanaf de beste waarde.")
                % {"group": label}
            )
    else:
        document.add_paragraph(
            _("Er zijn nog geen cijfers van andere gemeenten om mee te vergelijken.")
        )
    years = analysis["years"]
    document.add_heading(
        _("Verloop per thema, %(first)s–%(last)s") % {"first": years[0], "last": years[-1]},
        level=3,
    )
    if not analysis["trends"]:
        document.add_paragraph(_("Er zijn nog geen waarden in deze vier jaar."))
    for group in analysis["trends"]:
        document.add_paragraph(group["theme"], style="Caption")
        table = add_table(document, [_("Indicator"), *map(str, years)], [50] + [30] * len(years))
        for row in group["indicators"]:
            cells = add_row(table)
            bold_cell(cells[0], row["name"])
            for index, value in enumerate(row["values"], start=1):
                cells[index].text = _trend_cell(value)
        set_font_size(table, 8)


def analysis_xlsx(workbook, analysis: dict | None) -> None:
    """The trends per year, the comparison and the points to prioritise on a sheet of their own."""
    if not analysis:
        return
    sheet = workbook.create_sheet(_("Veiligheidsanalyse"))
    years = analysis["years"]
    header = append_xlsx_row(sheet, [_("Thema"), _("Indicator"), *years, _("Voorbeelddata")])
    for cell in header:
        cell.font = Font(bold=True)
    for group in analysis["trends"]:
        for row in group["indicators"]:
            append_xlsx_row(
                sheet,
                [
                    group["theme"],
                    row["name"],
                    *(_trend_cell(value) if value else "" for value in row["values"]),
                    _("ja") if row["has_example_data"] else _("nee"),
                ],
            )
    sheet.append([])
    header = append_xlsx_row(
        sheet,
        [
            _("Indicator"),
            _("Periode"),
            _("Eigen gemeente"),
            _("Plaats"),
            _("Gemiddelde grootteklasse"),
            _("Nederland"),
        ],
    )
    for cell in header:
        cell.font = Font(bold=True)
    for row in analysis["comparisons"]:
        append_xlsx_row(
            sheet,
            [
                row["name"],
                row["period_label"],
                row["own"],
                row["rank"],
                row["size_class_average"],
                row["national"],
            ],
        )
    sheet.append([])
    append_xlsx_row(sheet, [_("Punten die de raad kan prioriteren")])[0].font = Font(bold=True)
    append_xlsx_row(sheet, [analysis["priorities_rule"]])
    for point in analysis["priorities"]:
        append_xlsx_row(sheet, [point["text"]])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 40
