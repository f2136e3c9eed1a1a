"""A report as a file: standalone HTML, PDF (WeasyPrint, charts as SVG) and DOCX (python-docx),
and its data annex (every indicator row) as XLSX and CSV.

Every file is built from the report's content, and for a published report that is its snapshot;
the build is deterministic (fixed dates in the PDF, DOCX and XLSX metadata, fixed times in the
DOCX and XLSX archives), so a published report's files stay byte-for-byte the same.
"""

from __future__ import annotations

import base64
import csv
import zipfile
from datetime import UTC, datetime, time
from decimal import Decimal
from io import BytesIO, StringIO

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from docx.shared import Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from openveiligheid.core.documents import (
    DOCX_CONTENT_TYPE,
    add_picture,
    add_row,
    add_styled_paragraph,
    add_table,
    bold_cell,
    docx_bytes,
    new_document,
    pdf_from_html,
    set_font_size,
)
from openveiligheid.core.spreadsheets import append_xlsx_row, csv_text
from openveiligheid.indicators.exports import dutch_decimal
from openveiligheid.reports.analysis_exports import analysis_docx, analysis_xlsx, cooperation_docx
from openveiligheid.reports.models import Report
from openveiligheid.reports.presentation import CHART_PRINT_WIDTH_MM, render_png, with_charts
from openveiligheid.reports.selectors import content_for, organisation_of

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": DOCX_CONTENT_TYPE,
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
ANNEX_OUTPUTS = ("xlsx", "csv")
LOGO_MAX_WIDTH_MM, LOGO_MAX_HEIGHT_MM = 70, 18
# The fixed time of every entry in a DOCX archive (ZIP's earliest date).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def file_name(report: Report, output: str) -> str:
    name = slugify(f"{report.plan.slug} {report.report_type} {report.period.code}")
    if output in ANNEX_OUTPUTS:
        name += "-" + slugify(_("bijlage"))
    if report.version > 1:
        name += f"-v{report.version}"
    return f"{name}.{output}"


def document_date(report: Report) -> datetime:
    """The date a file carries: its publication, or for a draft the end of its period (so that
    a draft's file, too, depends on its content only)."""
    if report.published_at is not None:
        return report.published_at.astimezone(UTC).replace(microsecond=0)
    return datetime.combine(report.period.end, time(), tzinfo=UTC)


def build(report: Report, output: str) -> bytes:
    content = content_for(report)
    if output == "html":
        return render_html(content).encode()
    if output == "pdf":
        return render_pdf(content, document_date(report))
    if output == "docx":
        return render_docx(content, document_date(report))
    if output == "xlsx":
        return render_xlsx(content, document_date(report))
    if output == "csv":
        return render_csv(content)
    raise ValueError(f"Onbekend formaat: {output}")


def render_html(content: dict, *, for_print: bool = False) -> str:
    """The standalone page; for_print draws the charts as images of their SVG (presentation)."""
    return render_to_string(
        "reports/document.html", {"content": with_charts(content, as_images=for_print)}
    )


def render_pdf(content: dict, when: datetime) -> bytes:
    return pdf_from_html(
        render_html(content, for_print=True), stamp=when.strftime("%Y-%m-%dT%H:%M:%SZ")
    )


def _point_text(point: dict | None) -> str:
    if point is None:
        return "–"
    text = f"{point['display']} ({point['period_label']})"
    return f"{text} {_('voorbeelddata')}" if point["is_example"] else text


def _change_text(row: dict) -> str:
    if not row["change_symbol"]:
        return "–"
    text = f"{row['change_symbol']} {row['change_label']}"
    return f"{text} ({row['change_assessment']})" if row["change_assessment"] else text


def _indicator_table(document, rows: list[dict]) -> None:
    table = add_table(
        document,
        [
            _("Indicator"),
            _("Startwaarde"),
            _("Vorige periode"),
            _("Deze periode"),
            _("Verandering"),
            _("Doel"),
            _("Status"),
        ],
        [40, 18, 18, 20, 20, 22, 16],
    )
    for row in rows:
        cells = add_row(table)
        bold_cell(cells[0], row["name"])
        cells[1].text = _point_text(row["start"])
        cells[2].text = _point_text(row["previous"])
        cells[3].text = _point_text(row["current"])
        cells[4].text = _change_text(row)
        cells[5].text = row["target"] or "–"
        cells[6].text = row["status_label"] or "–"
    set_font_size(table, 8)
    for row in rows:
        if row.get("chart_svg"):
            _chart_docx(document, row)


def _chart_docx(document, row: dict) -> None:
    """An indicator's chart as a picture (the PDF's SVG drawn as PNG) with its text version as
    alternative text, and the chart's data as a table below it."""
    caption = add_styled_paragraph(document, "Caption")
    caption.add_run(row["name"]).bold = True
    if row["has_example_data"]:
        caption.add_run(f" ({_('voorbeelddata')})")
    add_picture(
        document,
        render_png(row["chart_svg"]),
        width_mm=CHART_PRINT_WIDTH_MM,
        description=row["chart_alt"],
        name=_("Grafiek van %(name)s") % {"name": row["name"]},
    )
    table = add_table(document, [_("Periode"), _("Waarde")], [30, 45], fill=False)
    for point in row["series"]:
        cells = add_row(table)
        cells[0].text = point["period_label"]
        cells[1].text = (
            f"{point['display']} {_('voorbeelddata')}" if point["is_example"] else point["display"]
        )
    set_font_size(table, 8)


def render_docx(content: dict, when: datetime) -> bytes:
    content = with_charts(content, as_images=True)
    title = f"{content['title']} – {content['plan']['title']}"
    document = new_document(title)
    document.core_properties.created = when.replace(tzinfo=None)
    document.core_properties.modified = when.replace(tzinfo=None)
    document.core_properties.last_printed = when.replace(tzinfo=None)
    document.core_properties.author = content["plan"]["owner"]
    document.core_properties.last_modified_by = content["plan"]["owner"]
    document.core_properties.revision = content["version"]
    _title_page_masthead(document, organisation_of(content))
    heading = document.add_heading(content["title"], level=1)
    _colour_runs(heading, organisation_of(content))
    lead = (
        f"{content['plan']['title']} ({content['plan']['period_label']}), "
        f"{content['plan']['owner']}. {_('Periode')}: {content['period']['label']}."
    )
    if content["version"] > 1:
        lead += " " + _("Versie %(version)s.") % {"version": content["version"]}
    if content.get("published_on"):
        lead += " " + _("Gepubliceerd op %(date)s.") % {"date": content["published_on"]}
    document.add_paragraph(lead)
    if content.get("scope_note"):
        document.add_paragraph(content["scope_note"])
    if content["correction_reason"]:
        document.add_paragraph(f"{_('Correctie')}: {content['correction_reason']}")
    if content["has_example_data"]:
        document.add_paragraph(
            _(
                "Deze rapportage bevat voorbeelddata: gegenereerde waarden die geen echte "
                "metingen zijn. Ze zijn overal gemarkeerd met ‘voorbeelddata’."
            )
        )
    if content["plan_indicators"]:
        document.add_heading(_("Kerncijfers"), level=2)
        _indicator_table(document, content["plan_indicators"])
    for theme in content["themes"]:
        document.add_heading(theme["name"], level=2)
        if theme["goals"]:
            document.add_heading(_("Doelen"), level=3)
            for goal in theme["goals"]:
                text = f"{goal['text']} ({goal['target']})" if goal["target"] else goal["text"]
                document.add_paragraph(text, style="List Bullet")
        document.add_heading(_("Indicatoren"), level=3)
        if theme["indicators"]:
            _indicator_table(document, theme["indicators"])
        else:
            document.add_paragraph(_("Dit thema heeft geen indicatoren."))
        document.add_heading(_("Duiding"), level=3)
        for paragraph in (theme["interpretation"] or _("Nog geen duiding.")).split("\n\n"):
            document.add_paragraph(paragraph.strip())
        cooperation_docx(document, theme)
        document.add_heading(_("Acties"), level=3)
        actions = theme["actions"]
        document.add_paragraph(
            _("Afgerond: %(done)s. Op koers: %(on_course)s. Te laat: %(late)s.")
            % {"done": actions["done"], "on_course": actions["on_course"], "late": actions["late"]}
        )
        for action in actions["late_actions"]:
            text = action["subject"]
            if action["lead"]:
                text += f" – {action['lead']}"
            if action["due"]:
                text += f", {action['due']}"
            document.add_paragraph(f"{text} ({action['status_label']})", style="List Bullet")
    analysis_docx(document, content.get("analysis"))
    if content["programme"]:
        _programme_docx(document, content["programme"])
    return _stable_zip(docx_bytes(document))


def _colour_runs(paragraph, organisation: dict) -> None:
    if organisation["brand_colour"]:
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor.from_string(organisation["brand_colour"][1:].upper())


def _title_page_masthead(document, organisation: dict) -> None:
    """The organisation's logo and its name in its house colour above the title, as on the
    printed pages."""
    logo = organisation["logo"]
    if logo:
        # At most 18 mm high and 70 mm wide, as the PDF prints it.
        width_mm = min(LOGO_MAX_WIDTH_MM, LOGO_MAX_HEIGHT_MM * logo["width"] / logo["height"])
        add_picture(
            document,
            base64.b64decode(logo["data"]),
            width_mm=width_mm,
            description=_("Logo van %(name)s") % {"name": organisation["name"]},
            name=_("Logo"),
        )
    paragraph = document.add_paragraph()
    run = paragraph.add_run(organisation["name"])
    run.bold = True
    run.font.size = Pt(14)
    _colour_runs(paragraph, organisation)


def _programme_docx(document, programme: dict) -> None:
    document.add_heading(programme["title"], level=2)
    document.add_heading(_("Opgaves"), level=3)
    table = add_table(
        document, [_("Opgave"), _("Pijler"), _("Aanpak"), _("Wanneer")], [45, 30, 20, 30]
    )
    for assignment in programme["assignments"]:
        cells = add_row(table)
        number = f"{assignment['number']} " if assignment["number"] else ""
        bold_cell(cells[0], number + assignment["title"])
        cells[1].text = assignment["pillar"]
        cells[2].text = assignment["approach"]
        cells[3].text = assignment["when"] or "–"
    set_font_size(table, 8)
    document.add_heading(_("Begroting"), level=3)
    for budget in programme["budget_tables"]:
        document.add_paragraph(budget["section"], style="Caption")
        years = [str(year) for year in budget["years"]]
        table = add_table(
            document, [_("Post"), *years, _("Totaal")], [40] + [18] * len(years) + [20]
        )
        for row in budget["rows"]:
            cells = add_row(table)
            cells[0].text = row["item"]
            for index, amount in enumerate(row["amounts"], start=1):
                cells[index].text = amount or "–"
            cells[-1].text = row["total"]
        cells = add_row(table)
        bold_cell(cells[0], _("Totaal (berekend)"))
        for index, total in enumerate(budget["totals"], start=1):
            bold_cell(cells[index], total)
        bold_cell(cells[-1], budget["computed_total"])
        if budget.get("printed_year_totals"):
            cells = add_row(table)
            bold_cell(cells[0], _("Totaal per jaar volgens het document"))
            for index, total in enumerate(budget["printed_year_totals"], start=1):
                cells[index].text = total or "–"
        if budget["printed_total"]:
            cells = add_row(table)
            bold_cell(cells[0], _("Totaal volgens het document"))
            text = budget["printed_total"]
            if budget["difference"]:
                text += (
                    " (" + _("verschil %(difference)s") % {"difference": budget["difference"]} + ")"
                )
            cells[-1].text = text
        set_font_size(table, 8)
        if budget.get("year_differences"):
            document.add_paragraph(
                _("Het document telt anders op dan de regels:")
                + " "
                + "; ".join(budget["year_differences"])
                + "."
            )


def _stable_zip(data: bytes) -> bytes:
    """The same archive with a fixed time on every entry: python-docx stamps the current time."""
    source = zipfile.ZipFile(BytesIO(data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()


# --- the data annex: every indicator row as a spreadsheet -------------------------------------


def annex_columns() -> list[str]:
    return [
        _("Thema"),
        _("Indicator"),
        _("Eenheid"),
        _("Startwaarde"),
        _("Startperiode"),
        _("Vorige periode: waarde"),
        _("Vorige periode"),
        _("Deze periode: waarde"),
        _("Deze periode"),
        _("Verandering"),
        _("Doel"),
        _("Status"),
        _("Voorbeelddata"),
    ]


def _annex_rows(content: dict) -> list[tuple[str, dict]]:
    """(theme name, indicator row) for every indicator of the report, in the report's order."""
    rows = [(_("Kerncijfers"), row) for row in content.get("plan_indicators", [])]
    for theme in content["themes"]:
        rows += [(theme["name"], row) for row in theme["indicators"]]
    return rows


def _annex_values(theme: str, row: dict, number) -> list[object]:
    """One row of the annex; ``number`` turns a stored value text into the cell's value."""

    def point(key: str) -> list[object]:
        found = row[key]
        if found is None:
            return ["", ""]
        return [number(found["value"]), found["period_label"]]

    return [
        theme,
        row["name"],
        row["unit_label"],
        *point("start"),
        *point("previous"),
        *point("current"),
        _change_text(row) if row["change_symbol"] else "",
        row["target"] or "",
        row["status_label"] or "",
        _("ja") if row["has_example_data"] else _("nee"),
    ]


def render_csv(content: dict) -> bytes:
    """The annex as CSV for Dutch Excel: semicolons, decimal commas, a BOM, escaped texts."""
    buffer = StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(annex_columns())
    for theme, row in _annex_rows(content):
        values = _annex_values(theme, row, lambda text: dutch_decimal(Decimal(text)))
        # The values are numbers in Dutch notation (a minus sign is no formula); every other
        # cell is text that people typed or imported.
        writer.writerow(
            [
                value if index in _NUMBER_COLUMNS else csv_text(value)
                for index, value in enumerate(values)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Where the annex has its numbers (start, previous, this period).
_NUMBER_COLUMNS = frozenset({3, 5, 7})


def render_xlsx(content: dict, when: datetime) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Bijlage")
    sheet.append(annex_columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for theme, row in _annex_rows(content):
        append_xlsx_row(sheet, _annex_values(theme, row, Decimal))
    sheet.freeze_panes = "C2"
    for index, width in enumerate((30, 40, 14, 12, 14, 12, 14, 12, 14, 24, 28, 16, 14), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.auto_filter.ref = sheet.dimensions
    analysis_xlsx(workbook, content.get("analysis"))
    info = workbook.create_sheet(_("Toelichting"))
    for key, value in (
        (_("Rapportage"), content["title"]),
        (_("Plan"), content["plan"]["title"]),
        (_("Organisatie"), content["plan"]["owner"]),
        (_("Periode"), content["period"]["label"]),
        (_("Versie"), content["version"]),
    ):
        append_xlsx_row(info, [key, value])
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 80
    stamp = when.astimezone(UTC).replace(tzinfo=None)
    workbook.properties.creator = content["plan"]["owner"]
    workbook.properties.lastModifiedBy = content["plan"]["owner"]
    workbook.properties.title = content["title"]
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    buffer = BytesIO()
    # openpyxl's save() stamps the current time as modified; its writer leaves ours.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return _stable_zip(buffer.getvalue())
