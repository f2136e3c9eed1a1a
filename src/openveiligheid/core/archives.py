"""Office files (DOCX, XLSX) are zip archives: their size on disk says little about what they
unpack to. A 644 KB DOCX can hold 200 MB of paragraphs, a 1 MB XLSX one shared string of 1 GB.
Every reader checks the archive here before it opens it, against limits that are settings.

Python's zipfile never unpacks a part beyond the size its header declares (it stops there and
checks the CRC), so the declared sizes are a safe bound."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from openveiligheid.core.limits import (
    ParseLimitExceeded,
    check_paragraphs,
    check_parse_time,
    check_rows,
)

# Parts this small are never the problem, whatever their compression ratio.
_RATIO_CHECKED_FROM = 1024 * 1024


# Parts read whole into memory by the readers (python-docx, openpyxl even in read-only mode).
_TEXT_PARTS = {
    "word/document.xml": "OPENVEILIGHEID_MAX_DOCUMENT_PART_BYTES",
    "xl/sharedStrings.xml": "OPENVEILIGHEID_MAX_SHARED_STRINGS_BYTES",
}


class UnsafeArchive(ParseLimitExceeded):
    """The archive exceeds a limit; the message names it, in Dutch."""


def check_office_archive(content: bytes) -> None:
    """Raise UnsafeArchive when the parts of the zip archive `content` unpack to more than
    OPENVEILIGHEID_MAX_UNPACKED_BYTES, hold more than OPENVEILIGHEID_MAX_ARCHIVE_PARTS parts or
    compress one part more than OPENVEILIGHEID_MAX_COMPRESSION_RATIO times. A file that is no
    zip archive is left to the reader, which reports it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        return
    with archive:
        parts = archive.infolist()
        _check_archive_sizes(parts)
        _count_rows_and_paragraphs(archive, parts)


def _check_archive_sizes(parts: list[zipfile.ZipInfo]) -> None:
    if len(parts) > settings.OPENVEILIGHEID_MAX_ARCHIVE_PARTS:
        raise UnsafeArchive(
            _("Het bestand bestaat uit %(parts)d delen; meer dan %(max)d wordt niet gelezen.")
            % {"parts": len(parts), "max": settings.OPENVEILIGHEID_MAX_ARCHIVE_PARTS}
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > settings.OPENVEILIGHEID_MAX_UNPACKED_BYTES:
        raise UnsafeArchive(
            _(
                "Uitgepakt is dit bestand %(size)s; de grens is %(max)s. Splits het bestand of "
                "sla het op als CSV."
            )
            % {
                "size": filesizeformat(unpacked),
                "max": filesizeformat(settings.OPENVEILIGHEID_MAX_UNPACKED_BYTES),
            }
        )
    ratio_limit = settings.OPENVEILIGHEID_MAX_COMPRESSION_RATIO
    for part in parts:
        if part.file_size >= _RATIO_CHECKED_FROM and part.file_size > ratio_limit * max(
            part.compress_size, 1
        ):
            raise UnsafeArchive(
                _(
                    "Het deel %(part)s van dit bestand is meer dan %(ratio)d keer samengeperst "
                    "(de grens OPENVEILIGHEID_MAX_COMPRESSION_RATIO); zo'n bestand wordt niet "
                    "gelezen."
                )
                % {"part": part.filename, "ratio": ratio_limit}
            )

    for part in parts:
        setting = _TEXT_PARTS.get(part.filename)
        if setting and part.file_size > getattr(settings, setting):
            raise UnsafeArchive(
                _(
                    "Het deel %(part)s van dit bestand is uitgepakt %(size)s; de grens is "
                    "%(max)s (%(setting)s). Splits het bestand in kleinere delen."
                )
                % {
                    "part": part.filename,
                    "size": filesizeformat(part.file_size),
                    "max": filesizeformat(getattr(settings, setting)),
                    "setting": setting,
                }
            )


# What marks a row, a cell or a paragraph in the XML of a sheet or a document (with the element's
# attributes or without).
_ROW_MARKS = (b"<row ", b"<row>")
_CELL_MARKS = (b"<c ", b"<c>")
_PARAGRAPH_MARKS = (b"<w:p ", b"<w:p>", b"<w:tr ", b"<w:tr>")


def _count_marks(archive: zipfile.ZipFile, part: zipfile.ZipInfo, marks: tuple[bytes, ...]):
    """How often each mark occurs in a part, unpacked in chunks (never whole in memory)."""
    counts = dict.fromkeys(marks, 0)
    overlap = max(len(mark) for mark in marks) - 1
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1024 * 1024):
            data = tail + chunk
            for mark in marks:
                # A mark in the overlap was counted with the previous chunk.
                counts[mark] += data.count(mark) - tail.count(mark)
            tail = data[-overlap:]
            check_parse_time()
    return counts


def _count_rows_and_paragraphs(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> None:
    """Rows and cells of every sheet, paragraphs and table rows of a document, counted in the
    XML before any reader builds them: a million rows is refused in a second, not after a
    minute of reading."""
    rows = cells = 0
    for part in parts:
        name = part.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            counts = _count_marks(archive, part, _ROW_MARKS + _CELL_MARKS)
            rows += sum(counts[mark] for mark in _ROW_MARKS)
            cells += sum(counts[mark] for mark in _CELL_MARKS)
            check_rows(rows)
            check_cell_count(cells)
        elif name == "word/document.xml":
            counts = _count_marks(archive, part, _PARAGRAPH_MARKS)
            check_paragraphs(sum(counts.values()))


def check_cell_count(cells: int) -> None:
    """Raise UnsafeArchive once a spreadsheet reader has read more than
    OPENVEILIGHEID_MAX_SPREADSHEET_CELLS cells (a small file can describe a million rows), or
    once the time to read the file has run out."""
    check_parse_time()
    if cells > settings.OPENVEILIGHEID_MAX_SPREADSHEET_CELLS:
        raise UnsafeArchive(
            _(
                "Dit werkblad heeft meer dan %(max)s cellen; splits het bestand of sla het op "
                "als CSV."
            )
            % {"max": f"{settings.OPENVEILIGHEID_MAX_SPREADSHEET_CELLS:,}".replace(",", ".")}
        )
