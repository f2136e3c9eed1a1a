"""The action list as an XLSX workbook (same filters as the page, every row, no pagination), and
reading such a workbook back after it was edited in Excel.

The workbook carries what is needed to import it again: hidden "Id" and "Versie" columns with
each action's id and the version it was exported at (so that the import does not undo a change
made in the product after the export, see core.concurrency), and a hidden sheet naming the action
plans the rows come from. Rows without an id are new actions.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from openveiligheid.actions.models import ActionStatus
from openveiligheid.actions.selectors import lead_label, partners_label
from openveiligheid.core.archives import UnsafeArchive, check_cell_count, check_office_archive
from openveiligheid.core.dutch import parse_date, parse_number
from openveiligheid.core.numbers import database_id
from openveiligheid.core.spreadsheets import append_xlsx_row

SHEET_TITLE = "Acties"
META_SHEET_TITLE = "Gegevens"
FORMAT_VERSION = 1
ID_HEADER = "Id"
VERSION_HEADER = "Versie"
# (header, width in characters); the last two, the technical id and version, are hidden.
COLUMNS = (
    ("Thema", 28),
    ("Onderwerp", 30),
    ("Actie", 60),
    ("Trekker", 28),
    ("Partners", 36),
    ("Wanneer", 22),
    ("Van", 12),
    ("Tot", 12),
    ("Status", 15),
    ("Voortgang", 11),
    ("Nieuw", 8),
    ("Onvoorzien", 11),
    ("Onvoorzien sinds", 14),
    (ID_HEADER, 8),
    (VERSION_HEADER, 8),
)
DATE_COLUMNS = (7, 8, 13)
VISIBLE_COLUMNS = len(COLUMNS) - 2
DATE_FORMAT = "DD-MM-YYYY"
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
# The shading plan 001 prints new actions with.
NEW_FILL = PatternFill("solid", fgColor="EEF5E6")

# Header (lower case) -> field key of a read row.
READ_HEADERS = {
    "thema": "theme",
    "onderwerp": "subject",
    "actie": "description",
    "trekker": "lead",
    "partners": "partners",
    "wanneer": "due_text",
    "van": "due_start",
    "tot": "due_end",
    "status": "status",
    "voortgang": "progress",
    "nieuw": "is_new",
    "onvoorzien": "is_unplanned",
    "onvoorzien sinds": "unplanned_since",
    "id": "id",
    "versie": "version",
}


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def actions_workbook(actions) -> bytes:
    """Rows for an iterable of actions fetched with selectors.with_related (no extra queries)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([header for header, _width in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)

    action_plan_ids: set[int] = set()
    for action in actions:
        action_plan_ids.add(action.action_plan_id)
        append_xlsx_row(
            sheet,
            [
                action.theme.name if action.theme_id else "",
                action.subject,
                action.description,
                lead_label(action),
                partners_label(action),
                action.due_text,
                action.due_start,
                action.due_end,
                str(ActionStatus(action.status).label),
                action.progress / 100,
                _yes_no(action.is_new),
                _yes_no(action.is_unplanned),
                action.unplanned_since,
                action.pk,
                action.version,
            ],
        )
        row = sheet.max_row
        for column in DATE_COLUMNS:
            sheet.cell(row=row, column=column).number_format = DATE_FORMAT
        sheet.cell(row=row, column=10).number_format = "0%"
        for column in (2, 3, 5):
            sheet.cell(row=row, column=column).alignment = Alignment(vertical="top", wrap_text=True)
        for cell in sheet[row]:
            if action.is_new and cell.column <= VISIBLE_COLUMNS:
                cell.fill = NEW_FILL

    for index, (_header, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for column in range(VISIBLE_COLUMNS + 1, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(column)].hidden = True
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(VISIBLE_COLUMNS)}{max(sheet.max_row, 1)}"

    meta = workbook.create_sheet(META_SHEET_TITLE)
    meta.append(["formaat", FORMAT_VERSION])
    meta.append(["actieplannen", ",".join(str(pk) for pk in sorted(action_plan_ids))])
    meta.sheet_state = "hidden"

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Reading an edited workbook back


@dataclass
class SheetRow:
    number: int  # the row number as Excel shows it
    values: dict  # field key -> raw cell value, only for columns the sheet has
    errors: list[str] = field(default_factory=list)


@dataclass
class ReadWorkbook:
    columns: set[str]
    rows: list[SheetRow]
    action_plan_ids: set[int]


def read_actions_workbook(content: bytes) -> ReadWorkbook:
    """The rows of an action workbook by field key. Raises ValidationError (Dutch) when the file
    is no workbook or lacks the "Actie" column."""
    try:
        check_office_archive(content)
    except UnsafeArchive as error:
        raise ValidationError(str(error)) from error
    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationError(_("Dit is geen leesbaar Excelbestand (.xlsx).")) from error
    try:
        sheet = (
            workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
        )
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        keys = [READ_HEADERS.get(str(value or "").strip().lower()) for value in header]
        if "description" not in keys:
            raise ValidationError(
                _("Het bestand heeft geen kolom 'Actie'. Gebruik een export van deze lijst.")
            )
        read: list[SheetRow] = []
        for number, values in enumerate(rows, start=2):
            try:
                check_cell_count(number * len(keys))
            except UnsafeArchive as error:
                raise ValidationError(str(error)) from error
            row = {key: value for key, value in zip(keys, values, strict=False) if key}
            if all(_blank(value) for value in row.values()):
                continue
            read.append(SheetRow(number, row))
        action_plan_ids: set[int] = set()
        if META_SHEET_TITLE in workbook.sheetnames:
            for name, value, *_rest in workbook[META_SHEET_TITLE].iter_rows(values_only=True):
                if name == "actieplannen" and value:
                    ids = (database_id(part) for part in str(value).split(","))
                    action_plan_ids = {pk for pk in ids if pk is not None}
        return ReadWorkbook({key for key in keys if key}, read, action_plan_ids)
    finally:
        workbook.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_date(value) -> date | None:
    """A date cell, or text such as 31-12-2018 or 2018-12-31. Raises ValueError otherwise."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value))


def cell_percentage(value) -> int:
    """0.45 (a cell formatted as percentage), "45%" or "45,5 %" -> whole percent. ValueError
    otherwise. A bare number above 1 counts as a percentage already (45 -> 45)."""
    if _blank(value):
        return 0
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number = float(value) * 100 if value <= 1 else float(value)
    else:
        number = float(parse_number(value))
        if not str(value).strip().endswith("%") and number <= 1:
            number *= 100
    return round(number)


def cell_yes_no(value) -> bool:
    text = cell_text(value).lower()
    if text in ("ja", "j", "yes", "waar", "true", "1", "x"):
        return True
    if text in ("", "nee", "n", "no", "onwaar", "false", "0"):
        return False
    raise ValueError(text)


def cell_status(value) -> str:
    """A status by its label (in Dutch, or the language the file was exported in) or code."""
    text = cell_text(value).lower()
    with translation.override("nl"):
        dutch = {str(status.label).lower(): status.value for status in ActionStatus}
    for status in ActionStatus:
        if text in (status.value, str(status.label).lower()):
            return status.value
    if text in dutch:
        return dutch[text]
    raise ValueError(text)
