"""Text from the page layout is repaired or left out by the readers."""

import pytest

from openveiligheid.imports.plans.extraction import extract
from openveiligheid.imports.plans.readers import (
    is_page_furniture,
    read_document,
    read_text,
    repair_layout,
)
from tests.imports.plans import documents


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Uitvoeren van het be- leid", "Uitvoeren van het beleid"),
        ("Regionale hennep- convenant", "Regionale hennepconvenant"),
        ("Afstemming met de ZSM- tafel", "Afstemming met de ZSM-tafel"),
        # Elided compounds, list dashes and ordinals stay as written.
        ("Het advies- en meldpunt", "Het advies- en meldpunt"),
        ("controle- of handhavingsactie", "controle- of handhavingsactie"),
        ("- Eerste actie - tweede actie", "- Eerste actie - tweede actie"),
        ("2e- kwartaal", "2e- kwartaal"),
        # Footnote markers glued to a word go; a footnote's own marker stays.
        ("Aanpak woninginbraak¹ en overvallen²", "Aanpak woninginbraak en overvallen"),
        ("¹ Voor een strafbare voorbereiding", "¹ Voor een strafbare voorbereiding"),
        ("ver\u00adwarde personen", "verwarde personen"),
    ],
)
def test_repair_layout(text, expected):
    assert repair_layout(text) == expected


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("12", True),
        ("- 12 -", True),
        ("Pagina 3 van 20", True),
        ("blz. 4", True),
        ("2022", False),
        ("Thema 1", False),
        ("Acties 2023", False),
    ],
)
def test_page_numbers(line, furniture):
    assert is_page_furniture(line) is furniture


def test_text_reader_leaves_out_page_numbers_and_repairs_cells():
    text = "\n".join(
        [
            "Uitvoeringsplan 2023",
            "Thema: Ondermijning",
            "Regievoerder\tOnderwerp\tActie\tWanneer",
            "Gemeente\tDrugs\tUitvoeren van het be- leid¹\t2023",
            "7",
            "Politie\tHennep\tControles hennep- kwekerijen\tQ2 2023",
        ]
    )
    source = read_text(text)
    assert [item.position.line for item in source.items] == [1, 2, 3, 4, 6]
    plan = extract(source)
    assert [action.text for action in plan.actions] == [
        "Uitvoeren van het beleid",
        "Controles hennepkwekerijen",
    ]
    assert plan.unparsed == []


def test_pdf_reader_leaves_out_running_header_and_page_numbers():
    pages = []
    for number, action in enumerate(
        ["Bibob-beleid vaststellen", "Integrale controles", "Ondermijningsbeeld maken"], start=1
    ):
        runs = [(40, 560, "Uitvoeringsplan Ermelo 2022 - vertrouwelijk concept")]
        # The table header is repeated on every page: it is not page furniture.
        runs += [(40, 520, "Actiehouder"), (200, 520, "Actie"), (500, 520, "Deadline")]
        runs += [(40, 500, "Gemeente"), (200, 500, action), (500, 500, "Q2 2022")]
        runs += [(400, 30, f"Pagina {number} van 3")]
        pages.append(runs)
    source = read_document(documents.simple_pdf(pages), "plan.pdf")
    texts = [item.text or " | ".join(c.text for c in item.cells) for item in source.items]
    assert not any("vertrouwelijk" in text or "Pagina" in text for text in texts)
    plan = extract(source)
    assert [action.text for action in plan.actions] == [
        "Bibob-beleid vaststellen",
        "Integrale controles",
        "Ondermijningsbeeld maken",
    ]
    assert plan.unparsed == []
