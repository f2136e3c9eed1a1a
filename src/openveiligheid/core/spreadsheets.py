"""Cells that spreadsheet programs must never run as formulas (CSV and formula injection).

A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken by Excel,
LibreOffice and Google Sheets as the start of a formula when the file is opened. Notes and
descriptions are typed by users (or imported from files others made), so every CSV and XLSX
export writes its text cells through this module:

- CSV has no cell types: such a text gets a leading apostrophe, which the programs show as text
  and do not evaluate (OWASP's advice).
- XLSX has cell types: the text is stored as a string cell, never as a formula, so it reads back
  exactly as it was written (the action sheet round trip depends on that).

Numbers and dates are written as typed values and are not text, so a negative number stays a
number.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_text(value: object) -> object:
    """The value as a CSV cell that no spreadsheet program evaluates."""
    if starts_like_formula(value):
        return "'" + value
    return value


def csv_row(values: Iterable[object]) -> list[object]:
    return [csv_text(value) for value in values]


def append_xlsx_row(sheet, values: Iterable[object]):
    """Append a row to an openpyxl sheet with every text cell stored as text; returns the row."""
    sheet.append(list(values))
    row = sheet[sheet.max_row]
    for cell in row:
        if starts_like_formula(cell.value):
            cell.data_type = "s"
    return row
