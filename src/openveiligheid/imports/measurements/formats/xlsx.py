"""Excel workbooks (.xlsx): every sheet that holds a table is read as a plain table (or as a
StatLine export, which StatLine also offers as Excel)."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openveiligheid.core.archives import UnsafeArchive, check_cell_count, check_office_archive
from openveiligheid.core.limits import ParseLimitExceeded, check_rows

from ..base import UnreadableFile
from ..common import column_letter
from .tables import Grid


def _where(sheet: str):
    def where(line: int, column: int | None) -> str:
        text = f"blad '{sheet}', regel {line}"
        return text if column is None else f"{text}, kolom {column_letter(column)}"

    return where


def workbook_grids(content: bytes) -> list[Grid]:
    import openpyxl  # imported here: reading CSV or JSON does not need it

    try:
        check_office_archive(content)
    except UnsafeArchive as error:
        raise UnreadableFile(str(error)) from error
    try:
        # Streamed (read-only): a small file can describe a million rows, and only the limits
        # checked while reading (core.limits) keep that from taking the memory.
        workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=True, read_only=True)
    except Exception as error:  # openpyxl raises many kinds for broken files
        raise UnreadableFile(
            f"Dit Excel-bestand kan niet worden geopend ({error}). Sla het opnieuw op als .xlsx "
            "of als CSV."
        ) from error
    grids = []
    cells_read = 0
    try:
        for sheet in workbook.worksheets:
            rows: list[tuple[int, list[object]]] = []
            percent: set[tuple[int, int]] = set()
            for line, row in enumerate(sheet.iter_rows(), start=1):
                cells_read += len(row)
                try:
                    check_rows(line)
                    check_cell_count(cells_read)
                except ParseLimitExceeded as error:
                    raise UnreadableFile(str(error)) from error
                cells: list[object] = []
                for column, cell in enumerate(row):
                    value = cell.value
                    if value is None:
                        cells.append("")
                    elif isinstance(value, bool):
                        cells.append(str(value))
                    elif isinstance(value, int | float):
                        number = Decimal(str(value))
                        if "%" in (getattr(cell, "number_format", "") or ""):
                            number *= 100
                            percent.add((line, column))
                        cells.append(number)
                    elif isinstance(value, datetime | date):
                        cells.append(value.strftime("%Y-%m-%d"))
                    else:
                        cells.append(str(value))
                while cells and cells[-1] == "":
                    cells.pop()
                rows.append((line, cells))
            grids.append(
                Grid(
                    rows=rows,
                    where=_where(sheet.title),
                    decimal_comma=True,
                    sheet=sheet.title,
                    percent_cells=percent,
                )
            )
    finally:
        workbook.close()
    return grids
