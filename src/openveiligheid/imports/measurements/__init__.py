"""Readers for exports of figures (police, CBS, surveys): pure Python, no database.

See readers.py for the formats; the import service matches the observations to areas and
indicators."""

from .base import FORMATS, Observation, ParsedTable, UnreadableFile
from .readers import detect_format, read_table

__all__ = [
    "FORMATS",
    "Observation",
    "ParsedTable",
    "UnreadableFile",
    "detect_format",
    "read_table",
]
