"""Hostile files (small on disk, large inside) are refused with a clear Dutch message before any
reader unpacks them; generated here, never committed."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from openpyxl import Workbook

from openveiligheid.actions.exports import read_actions_workbook
from openveiligheid.core.archives import UnsafeArchive, check_office_archive
from openveiligheid.imports.measurements.base import UnreadableFile
from openveiligheid.imports.measurements.formats.xlsx import workbook_grids
from openveiligheid.imports.plans.readers import UnreadableDocument, read_document

MB = 1024 * 1024


def bomb(kind: str, unpacked_mb: int) -> bytes:
    """A DOCX- or XLSX-shaped zip whose one big part is zeros: a few hundred KB on disk."""
    buffer = io.BytesIO()
    big = "word/document.xml" if kind == "docx" else "xl/sharedStrings.xml"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(big, "w") as part:
            chunk = b"\0" * MB
            for _ in range(unpacked_mb):
                part.write(chunk)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def docx_bomb():
    return bomb("docx", 200)


def test_the_bomb_is_small_on_disk(docx_bomb):
    assert len(docx_bomb) < 1 * MB


def test_a_zip_bomb_plan_document_is_refused(docx_bomb):
    with pytest.raises(UnreadableDocument) as error:
        read_document(docx_bomb, "plan.docx")
    message = str(error.value).replace("\xa0", " ")
    assert "Uitgepakt is dit bestand 200,0 MB; de grens is 150,0 MB" in message


@override_settings(OPENVEILIGHEID_MAX_UNPACKED_BYTES=500 * MB)
def test_a_highly_compressed_part_is_refused_below_the_size_limit(docx_bomb):
    with pytest.raises(UnsafeArchive) as error:
        check_office_archive(docx_bomb)
    assert "word/document.xml" in str(error.value) and "100 keer" in str(error.value)


@override_settings(OPENVEILIGHEID_MAX_UNPACKED_BYTES=10 * MB)
def test_a_huge_shared_string_table_is_refused_for_figures_and_action_sheets():
    content = bomb("xlsx", 20)
    with pytest.raises(UnreadableFile) as error:
        workbook_grids(content)
    assert "de grens is 10,0 MB" in str(error.value).replace("\xa0", " ")
    with pytest.raises(ValidationError) as refused:
        read_actions_workbook(content)
    assert "de grens is 10,0 MB" in refused.value.messages[0].replace("\xa0", " ")


@override_settings(OPENVEILIGHEID_MAX_SPREADSHEET_CELLS=1000)
def test_a_sheet_with_too_many_cells_is_refused_while_streaming():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Actie", "Wanneer"])
    for row in range(800):
        sheet.append([f"actie {row}", "2024"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    with pytest.raises(UnreadableFile) as error:
        workbook_grids(content)
    assert "meer dan 1.000 cellen" in str(error.value)
    with pytest.raises(UnreadableDocument):
        read_document(content, "plan.xlsx")
    with pytest.raises(ValidationError):
        read_actions_workbook(content)


def test_ordinary_office_files_pass():
    workbook = Workbook()
    workbook.active.append(["Periode", "Waarde"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    check_office_archive(buffer.getvalue())
    check_office_archive(b"not a zip at all")  # left to the reader, which reports it
