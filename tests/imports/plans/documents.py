"""Plan documents written for the import tests and the benchmark.

``veluwe_noord_docx()`` is a realistic regional programme in the style of Veluwe-Noord: six
municipalities and one police team, speerpunten with actions (a vertically merged Speerpunt
column, bullets and line breaks in cells, a continuation row, due cells that name the trekker,
one trekker with a typo), a second table in the "Trekker | Onderwerp | Actie | Planning | Status"
style, a year calendar of the driehoek with per-lead cells, and unplanned actions as a table and
as a list. The expected figures are in ``VELUWE_NOORD_*`` below; they were counted by hand from
the content here.

``small_plan_rows()`` is a small plan that ``small_plan_xlsx()`` and ``small_plan_pdf()`` write
as a workbook and as a PDF with a text layer (a minimal PDF written by hand, Helvetica only).
``programme_docx(actions=5000)`` generates a large programme for the benchmark.
"""

from __future__ import annotations

import io
import random

MUNICIPALITIES = {
    "GM0230": "Elburg",
    "GM0233": "Ermelo",
    "GM0243": "Harderwijk",
    "GM0302": "Nunspeet",
    "GM0269": "Oldebroek",
    "GM0273": "Putten",
}
POLICE = "Politie basisteam Noord-Veluwe"

MEETINGS = [
    "11-2-2021 (28-1)",
    "8-4-2021 (25-3)",
    "10-6-2021 (27-5)",
    "9-9-2021 (26-8)",
    "11-11-2021 (28-10)",
]

# (speerpunt, sub speerpunt, action cell lines, due/trekker cell); "" speerpunt = merged above;
# None sub speerpunt = a continuation row.
SPEERPUNTEN = [
    (
        "Ondermijning",
        "Drugs",
        [
            "• Bestuurlijke rapportage drugsafval opstellen",
            "• Voorlichting aan agrariërs over drugsafval",
        ],
        "9 september Oldebroek en politie",
    ),
    ("", "Vastgoed", ["Integrale controles bedrijventerreinen"], "2e kwartaal Harderwjik"),
    ("", "Bibob", ["Bibob-beleid harmoniseren in de zes gemeenten"], "11-11-2021 Ermelo"),
    (
        "Zorg en veiligheid",
        "Personen met verward gedrag",
        ["Werkwijze Top X verward gedrag evalueren en"],
        "Eind 2021 Nunspeet en politie",
    ),
    ("", None, ["bijstellen met zorgpartners"], ""),
    (
        "",
        "Huiselijk geweld",
        ["Campagne huiselijk geweld tijdens de feestdagen", "Aandachtsfunctionarissen trainen"],
        "december Putten\n1e helft 2021 Putten",
    ),
    (
        "Veilige leefomgeving",
        "Jeugdoverlast",
        ["Aanpak jeugdgroepen Elburg actualiseren"],
        "10-6-2021 Elburg en politie",
    ),
    ("", "Woninginbraken", ["Preventieavonden woninginbraak organiseren"], "Q4 Gemeente Ermelo"),
]

UITGAAN = [
    (
        "Harderwijk (politie, Nunspeet)",
        "Horeca",
        ["Horecaconvenant actualiseren"],
        "Voor de zomer",
        "In uitvoering",
    ),
    (
        "Politie",
        "Evenementen",
        ["• Evenementenkalender afstemmen", "• Inzet bij Dorpsfeest coördineren"],
        "Maandelijks",
        "Gepland",
    ),
    ("Putten", "Evenementen", ["Evaluatie oud en nieuw"], "februari 2021", "Afgerond"),
]

CALENDAR = [
    ("Elburg", ["", "", "Aanpak jeugdgroepen Elburg actualiseren", "", ""]),
    (
        "Ermelo",
        [
            "Bibob-beleid harmoniseren in de zes gemeenten",
            "",
            "",
            "",
            "Bibob-beleid harmoniseren in de zes gemeenten",
        ],
    ),
    (
        "Harderwijk",
        ["", "Integrale controles bedrijventerreinen", "", "", "Horecaconvenant actualiseren"],
    ),
    (
        "Nunspeet",
        ["Werkwijze Top X verward gedrag evalueren en bijstellen met zorgpartners", "", "", "", ""],
    ),
    ("Oldebroek", ["", "", "", "Bestuurlijke rapportage drugsafval opstellen", ""]),
    (
        "Putten",
        ["Evaluatie oud en nieuw", "", "", "", "Campagne huiselijk geweld tijdens de feestdagen"],
    ),
    (
        "Politie",
        [
            "Jaarcijfers criminaliteit Noord-Veluwe",
            "Evenementenkalender afstemmen",
            "Evenementenkalender afstemmen",
            "Evenementenkalender afstemmen",
            "Jaarcijfers criminaliteit Noord-Veluwe",
        ],
    ),
]

UNPLANNED = [
    ("Nunspeet", "Extra toezicht bij vakantieparken na incidenten", "15-3-2021", "10-6-2021"),
    ("Politie (Elburg)", "Inval drugslab: nazorg buurt", "2-5-2021", "Q3"),
]
UNPLANNED_LIST = ["Ondermijningsbeeld actualiseren na RIEC-signaal (Putten, 1-7-2021)"]

# Expected results of importing veluwe_noord_docx().
VELUWE_NOORD_ACTIONS = 17  # 9 speerpunten, 4 uitgaan, 1 only in the calendar, 3 unplanned
VELUWE_NOORD_MEETINGS = ["2021-02-11", "2021-04-08", "2021-06-10", "2021-09-09", "2021-11-11"]
VELUWE_NOORD_DEADLINES = ["2021-01-28", "2021-03-25", "2021-05-27", "2021-08-26", "2021-10-28"]
VELUWE_NOORD_LEAD_TOTALS = {
    "Elburg": 1,
    "Ermelo": 2,
    "Harderwijk": 2,
    "Nunspeet": 2,
    "Oldebroek": 2,
    "Putten": 2,
    POLICE: 5,
}
VELUWE_NOORD_MEETING_TOTALS = [4, 2, 3, 3, 4]


def _cell_lines(cell, lines: list[str]) -> None:
    """Write lines into a cell: "• " lines as List Bullet paragraphs, others as paragraphs."""
    cell.text = ""
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        if line.startswith("• "):
            paragraph.style = "List Bullet"
            line = line[2:]
        paragraph.add_run(line)


def veluwe_noord_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Veiligheidsprogramma Veluwe-Noord 2021", level=0)
    document.add_paragraph(
        "De gemeenten Elburg, Ermelo, Harderwijk, Nunspeet, Oldebroek en Putten en het "
        "basisteam Noord-Veluwe van de politie werken samen aan één veiligheidsprogramma."
    )
    document.add_heading("Uitvoeringsprogramma 2021", level=1)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [
            "Speerpunt",
            "Sub speerpunt",
            "Acties 2021",
            "Wanneer af/terugkoppeling en wie is de trekker?",
        ],
        strict=True,
    ):
        cell.text = text
    merge_from = None
    for speerpunt, sub, actions, due in SPEERPUNTEN:
        cells = table.add_row().cells
        if speerpunt:
            cells[0].text = speerpunt
            merge_from = cells[0]
        else:
            merge_from = merge_from.merge(cells[0])
        cells[1].text = sub or ""
        _cell_lines(cells[2], actions)
        _cell_lines(cells[3], due.split("\n") if due else [])

    document.add_heading("Speerpunt 4: Veilig uitgaan", level=1)
    document.add_paragraph("Doel: Een veilig uitgaansleven in alle zes gemeenten.")
    document.add_paragraph("Horeca en evenementen")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(
        table.rows[0].cells, ["Trekker", "Onderwerp", "Actie", "Planning", "Status"], strict=True
    ):
        cell.text = text
    for lead, subject, actions, due, status in UITGAAN:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = lead, subject
        _cell_lines(cells[2], actions)
        cells[3].text, cells[4].text = due, status

    document.add_heading("Jaarkalender driehoek 2021", level=1)
    table = document.add_table(rows=1, cols=len(MEETINGS) + 2)
    for cell, text in zip(table.rows[0].cells, ["Trekker", *MEETINGS, "Totaal"], strict=True):
        cell.text = text
    column_totals = [0] * len(MEETINGS)
    for lead, items in CALENDAR:
        cells = table.add_row().cells
        cells[0].text = lead
        for index, item in enumerate(items):
            cells[index + 1].text = item
            column_totals[index] += bool(item)
        cells[-1].text = str(sum(bool(item) for item in items))
    cells = table.add_row().cells
    cells[0].text = "Totaal"
    for index, total in enumerate(column_totals):
        cells[index + 1].text = str(total)
    cells[-1].text = str(sum(column_totals))

    document.add_heading("Onvoorziene acties", level=1)
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells,
        ["Trekker", "Onvoorziene actie", "Ingebracht", "Wanneer"],
        strict=True,
    ):
        cell.text = text
    for row in UNPLANNED:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    for item in UNPLANNED_LIST:
        document.add_paragraph(item, style="List Bullet")
    document.add_heading("Bijlage", level=1)
    document.add_paragraph("Vastgesteld in het regionaal driehoeksoverleg van januari 2021.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# A plan whose meeting calendar names the actions of its tables

CALENDAR_PLAN_TITLE = "Uitvoeringsplan Veiligheid Ermelo 2023"
CALENDAR_PLAN_MEETINGS = ["9-2-2023 (26-1)", "13-4-2023 (30-3)", "12-10-2023 (28-9)"]
# (trekker, onderwerp, actie, planning)
CALENDAR_PLAN_ACTIONS = [
    ("Gemeente OOV", "Jeugd", "Evaluatie van de aanpak van jeugdgroepen", "1e kwartaal 2023"),
    ("Gemeente OOV", "Horeca", "Sluitingsbeleid voor horeca actualiseren", "April 2023"),
    ("Gemeente OOV", "Jeugd", "Preventieprogramma voor scholen uitvoeren", "Doorlopend"),
    ("Politie", "Woninginbraak", "Inbraakcijfers per wijk analyseren", "Q1 2023"),
    ("Politie", "Woninginbraak", "Preventieavonden woninginbraak organiseren", "Q4 2023"),
]
# (trekker, one cell per meeting): cells name the actions above in fewer words; one cell holds
# two entries written with glued dashes; one entry names no action of the tables.
CALENDAR_PLAN_CALENDAR = [
    ("Gemeente OOV", ["-Evaluatie jeugdaanpak -Sluitingsbeleid", "", "Preventie op scholen"]),
    ("Politie", ["Inbraakcijfers analyse", "Jaarverslag politie", "Preventieavonden inbraak"]),
]


def calendar_plan_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(CALENDAR_PLAN_TITLE, level=0)
    document.add_paragraph("Thema: Veilige woon- en leefomgeving")
    document.add_paragraph("Acties 2023")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ["Trekker", "Onderwerp", "Actie", "Planning"], strict=True
    ):
        cell.text = text
    for row in CALENDAR_PLAN_ACTIONS:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    document.add_paragraph("Jaarkalender driehoek 2023")
    table = document.add_table(rows=1, cols=len(CALENDAR_PLAN_MEETINGS) + 1)
    for cell, text in zip(table.rows[0].cells, ["Trekker", *CALENDAR_PLAN_MEETINGS], strict=True):
        cell.text = text
    for lead, entries in CALENDAR_PLAN_CALENDAR:
        for cell, text in zip(table.add_row().cells, [lead, *entries], strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# A small plan as XLSX and PDF

SMALL_TITLE = "Uitvoeringsplan Veiligheid Ermelo 2022"
SMALL_HEADER = ["Actiehouder", "Onderwerp", "Actie", "Deadline", "Status"]
SMALL_ROWS = [
    ("Gemeente VTH (Politie, OM)", "Drugs", "Controle bedrijfspanden", "Q2 2022", "Loopt"),
    ("Politie", "Inbraken", "Inbraakpreventie wijkavonden", "Eind 2022", "Gepland"),
    ("Gemeente Ermelo", "Jeugd", "Jeugdgroepen in kaart brengen", "maart 2022", "Afgerond"),
    ("RIEC", "Ondermijning", "Ondermijningsbeeld opstellen", "Doorlopend", ""),
]


def small_plan_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Acties"
    sheet.append([SMALL_TITLE])
    sheet.append([])
    sheet.append(["Thema: Ondermijning"])
    sheet.append(["Aanpak 2022"])
    sheet.append(SMALL_HEADER)
    for row in SMALL_ROWS:
        sheet.append(list(row))
    sheet.append(["", "", "", "", "", "Losse notitie buiten de kolommen"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _pdf_escape(text: str) -> bytes:
    encoded = text.encode("cp1252")
    return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def simple_pdf(pages: list[list[tuple[float, float, str]]]) -> bytes:
    """A PDF with one Helvetica text run per (x, y, text); enough of PDF for a text layer."""
    objects: list[bytes] = []
    page_ids = []
    font_id = 3
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # pages, filled in below
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for runs in pages:
        stream = b"".join(
            b"BT /F1 9 Tf %.1f %.1f Td (" % (x, y) + _pdf_escape(text) + b") Tj ET\n"
            for x, y, text in runs
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_id, content_id)
        )
        page_ids.append(len(objects))
    kids = b" ".join(b"%d 0 R" % page for page in page_ids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    output = io.BytesIO()
    output.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return output.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]


def small_plan_pdf() -> bytes:
    columns = [40, 210, 330, 560, 690]
    widths = [30, 20, 40, 22, 20]
    runs = [(40, 550, SMALL_TITLE), (40, 520, "Thema: Ondermijning"), (40, 500, "Aanpak 2022")]
    y = 480
    for x, text in zip(columns, SMALL_HEADER, strict=True):
        runs.append((x, y, text))
    rows = [
        *SMALL_ROWS[:3],
        (
            "RIEC",
            "Ondermijning",
            "Ondermijningsbeeld opstellen met alle partners in de regio en de uitkomsten bespreken",
            "Doorlopend",
            "",
        ),
    ]
    for row in rows:
        y -= 14
        wrapped = [_wrap(text, width) for text, width in zip(row, widths, strict=True)]
        for line_index in range(max(len(lines) for lines in wrapped)):
            for x, lines in zip(columns, wrapped, strict=True):
                if line_index < len(lines) and lines[line_index]:
                    runs.append((x, y, lines[line_index]))
            y -= 12
    runs.append(
        (
            40,
            y - 20,
            "Dit plan is vastgesteld door het college van burgemeester en "
            "wethouders van Ermelo op 1 februari 2022.",
        )
    )
    return simple_pdf([runs])


# --------------------------------------------------------------------------------------------
# The benchmark programme

SUBJECTS = [
    "Drugs",
    "Vastgoed",
    "Bibob",
    "Jeugdoverlast",
    "Huiselijk geweld",
    "Horeca",
    "Woninginbraken",
    "Cybercrime",
    "Evenementen",
    "Zorg en veiligheid",
]
DUES = [
    "Doorlopend",
    "Eind 2021",
    "2e kwartaal 2021",
    "Q3 2021",
    "Voor de zomer",
    "1 keer per maand",
    "Najaar 2021",
    "maart 2021",
    "december 2021",
    "1e helft 2021",
]


def programme_docx(actions: int = 5000, seed: int = 5000) -> bytes:
    """A programme of ``actions`` actions over 10 themes, with a year calendar and unplanned
    actions, in the Speerpunt and Trekker table styles alternately."""
    import docx

    rng = random.Random(seed)
    leads = [*MUNICIPALITIES.values(), "Politie"]
    document = docx.Document()
    document.add_heading("Veiligheidsprogramma Veluwe-Noord 2021", level=0)
    per_theme = actions // 10
    calendar_items: dict[str, list[list[str]]] = {lead: [[] for _ in MEETINGS] for lead in leads}
    number = 0
    for theme_index in range(10):
        document.add_heading(f"Speerpunt {theme_index + 1}: Thema {theme_index + 1}", level=1)
        document.add_paragraph(f"Aanpak thema {theme_index + 1}")
        table = document.add_table(rows=1, cols=4)
        for cell, text in zip(
            table.rows[0].cells, ["Trekker", "Onderwerp", "Actie", "Wanneer"], strict=True
        ):
            cell.text = text
        remaining = per_theme if theme_index < 9 else actions - number - 50
        while remaining > 0:
            cells = table.add_row().cells
            lead = rng.choice(leads)
            bullets = min(remaining, rng.choice((1, 1, 2, 3)))
            texts = [
                f"Actie {number + i + 1}: {rng.choice(SUBJECTS).lower()} aanpakken"
                for i in range(bullets)
            ]
            cells[0].text = f"{lead} (politie, OM)" if lead != "Politie" else lead
            cells[1].text = rng.choice(SUBJECTS)
            _cell_lines(cells[2], [f"• {text}" for text in texts] if bullets > 1 else texts)
            cells[3].text = rng.choice(DUES)
            if rng.random() < 0.3:
                calendar_items[lead][rng.randrange(len(MEETINGS))].append(texts[0])
            number += bullets
            remaining -= bullets
    document.add_heading("Jaarkalender driehoek 2021", level=1)
    table = document.add_table(rows=1, cols=len(MEETINGS) + 1)
    for cell, text in zip(table.rows[0].cells, ["Trekker", *MEETINGS], strict=True):
        cell.text = text
    for lead, columns in calendar_items.items():
        cells = table.add_row().cells
        cells[0].text = lead
        for index, items in enumerate(columns):
            _cell_lines(cells[index + 1], items)
    document.add_heading("Onvoorziene acties", level=1)
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells,
        ["Trekker", "Onvoorziene actie", "Ingebracht", "Wanneer"],
        strict=True,
    ):
        cell.text = text
    for index in range(50):
        cells = table.add_row().cells
        cells[0].text = rng.choice(leads)
        cells[1].text = f"Onvoorziene actie {index + 1}"
        cells[2].text = f"{rng.randint(1, 28)}-{rng.randint(1, 12)}-2021"
        cells[3].text = rng.choice(DUES)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
