"""Samples written for the tests (the real exports are files in data/)."""

from __future__ import annotations

import io
from pathlib import Path

DATA = Path(__file__).parent / "data"
# The project's shared open data lies beside the repository (../shared), when it is there.
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def survey_workbook() -> bytes:
    """A Veiligheidsmonitor/bewonerspanel result as municipalities get it in Excel: a title,
    a source line, Dutch headings, percentages both as text with a decimal comma and as numbers
    (plain and with a percentage format), missing values, a footnote; a second sheet with the
    years as columns; a third sheet with only an explanation."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Wijken"
    sheet.append(["Veiligheidsmonitor 2023 – resultaten per wijk"])
    sheet.append(["Bron: Veiligheidsmonitor 2023, bewerking gemeente Apeldoorn"])
    sheet.append([])
    sheet.append(
        [
            "Wijk",
            "Wijkcode",
            "Voelt zich wel eens onveilig in de eigen buurt (%)",
            "Rapportcijfer veiligheid buurt",
            "Slachtofferschap vermogensdelicten",
            "Aantal respondenten",
        ]
    )
    sheet.append(["Binnenstad", "WK020001", "28,4", 6.4, 0.123, 412])
    sheet.append(["Apeldoorn-Zuid", "WK020002", 17.9, "6,9", "9,8%", 388])
    sheet.append(["Zevenhuizen", "WK020005", ".", 7.1, "x", 97])
    sheet.append([])
    sheet.append(["* Minder dan 100 respondenten: uitkomsten zijn indicatief."])
    for row in (5, 6, 7):
        sheet.cell(row=row, column=5).number_format = "0.0%"

    trend = workbook.create_sheet("Ontwikkeling")
    trend.append(["Gemeente", "Indicator", 2019, 2021, 2023])
    trend.append(["Apeldoorn", "Onveiligheidsgevoelens (%)", 31.2, "33,5", 32.0])
    trend.append(["Apeldoorn", "Rapportcijfer veiligheid buurt", 7.0, 6.9, "7,0"])
    trend.append(["Apeldoorn", "Slachtofferschap (%)", 14.1, "n.v.t.", 12.6])

    notes = workbook.create_sheet("Toelichting")
    notes.append(["Toelichting"])
    notes.append(["De Veiligheidsmonitor wordt elke twee jaar gehouden."])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
