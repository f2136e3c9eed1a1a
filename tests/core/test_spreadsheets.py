"""Formula injection: no text cell of a CSV or XLSX export is run as a formula when opened."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from openveiligheid.core.spreadsheets import append_xlsx_row, csv_text, starts_like_formula

HOSTILE = [
    '=HYPERLINK("http://example.invalid","klik")',
    "=cmd|' /C calc'!A0",
    "+31 55 123",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_text_gets_a_leading_apostrophe(text):
    assert starts_like_formula(text)
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("value", ["Bewonerspanel", "", "7,6 = goed", 12, None, -3])
def test_other_values_are_unchanged(value):
    assert csv_text(value) == value


def test_xlsx_text_cells_are_strings_and_read_back_unchanged():
    workbook = Workbook()
    sheet = workbook.active
    append_xlsx_row(sheet, [*HOSTILE, -5, "gewoon"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    raw = buffer.getvalue()
    read = load_workbook(io.BytesIO(raw)).active
    cells = next(read.iter_rows())
    assert [cell.value for cell in cells] == [*HOSTILE, -5, "gewoon"]
    assert all(cell.data_type == "s" for cell in cells[: len(HOSTILE)])
    assert cells[len(HOSTILE)].data_type == "n"
    # Nothing in the sheet XML is a formula element.
    sheet_xml = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
