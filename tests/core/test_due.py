"""Reading the free-text deadlines ("Wanneer") of action plans."""

import dataclasses
import random
from datetime import date

import pytest

from openveiligheid.core.due import RECURRENCES, DueExpression, parse_due, split_due_cell


def _day(value):
    return date.fromisoformat(value) if value else None


def _assert_due(text, reference_year, start, end, recurrence):
    due = parse_due(text, reference_year)
    assert due == DueExpression(text.strip(), _day(start), _day(end), recurrence, True)


# The BIBOB row of 001: four bullets, their deadlines in two HTML paragraphs.
_BIBOB_CELL = (
    "<p>Eerste kwartaal 2017 Eerste kwartaal 2017 Eerste kwartaal 2017</p> <p>Doorlopend</p>"
)

# Every distinct "Wanneer" cell of the seed documents, exactly as extracted, read against the
# first year of its plan:
#   001 Uitvoeringsplan Integrale Veiligheid 2017 en 2018 -> 2017
#   000 Programmaplan Integrale Veiligheid 2023-2026 -> 2023
# Cells that hold the deadlines of several bullet actions read as the span they cover together;
# their recurrence is empty unless all parts share one. 004 (Oude IJsselstreek) has no
# deadline column; its timing phrases are in OTHER_TEXTS.
SEED_TEXTS = [
    # 001, single deadlines
    ("Doorlopend", 2017, "2017-01-01", "2017-12-31", "continuous"),
    ("2017", 2017, "2017-01-01", "2017-12-31", ""),
    ("2017 en 2018", 2017, "2017-01-01", "2018-12-31", ""),
    ("In 2017 en 2018", 2017, "2017-01-01", "2018-12-31", ""),
    ("2017-2018", 2017, "2017-01-01", "2018-12-31", ""),
    ("2017 – 2018", 2017, "2017-01-01", "2018-12-31", ""),
    ("Heel 2017", 2017, "2017-01-01", "2017-12-31", ""),
    ("In 2017", 2017, "2017-01-01", "2017-12-31", ""),
    ("Begin 2017", 2017, "2017-01-01", "2017-03-31", ""),
    ("Start 2017", 2017, "2017-01-01", "2017-03-31", ""),
    ("1 ^e kwartaal 2017", 2017, "2017-01-01", "2017-03-31", ""),
    ("2 ^e kwartaal 2017", 2017, "2017-04-01", "2017-06-30", ""),
    ("Tweede kwartaal 2017", 2017, "2017-04-01", "2017-06-30", ""),
    ("1 ^e helft 2017", 2017, "2017-01-01", "2017-06-30", ""),
    ("- 1 ^e helft 2017", 2017, "2017-01-01", "2017-06-30", ""),
    ("2 ^e helft 2017", 2017, "2017-07-01", "2017-12-31", ""),
    ("Voorjaar 2017", 2017, "2017-03-01", "2017-05-31", ""),
    ("Najaar 2017", 2017, "2017-09-01", "2017-11-30", ""),
    # the recreation season runs April-October; its end is the last third
    ("Eind seizoen 2017 en 2018", 2017, "2017-09-01", "2018-10-31", "yearly"),
    ("Doorlopend, het hele jaar", 2017, "2017-01-01", "2017-12-31", "continuous"),
    ("- Doorlopend, het hele jaar", 2017, "2017-01-01", "2017-12-31", "continuous"),
    ("Doorlopend wanneer actueel", 2017, "2017-01-01", "2017-12-31", "continuous"),
    ("Maandelijks / ad hoc", 2017, "2017-01-01", "2017-12-31", "monthly"),
    ("maandelijks", 2017, "2017-01-01", "2017-12-31", "monthly"),
    ("Wekelijks", 2017, "2017-01-01", "2017-12-31", "weekly"),
    ("2 keer per jaar", 2017, "2017-01-01", "2017-12-31", "twice_yearly"),
    ("1 keer per twee weken of eerder indien nodig", 2017, "2017-01-01", "2017-12-31", "biweekly"),
    ("Indien noodzakelijk", 2017, None, None, "on_demand"),
    ("Zodra de behoefte er is vanuit de branche", 2017, None, None, "on_demand"),
    # 001, cells with the deadlines of several bullets
    ("Doorlopend Eind 2017", 2017, "2017-01-01", "2017-12-31", ""),
    ("2017 Eind 2017", 2017, "2017-01-01", "2017-12-31", ""),
    ("2017 en 2018 Eind 2017", 2017, "2017-01-01", "2018-12-31", ""),
    ("2017 en 2018 2017 2017 2018", 2017, "2017-01-01", "2018-12-31", ""),
    ("<p>2017</p> <p>2018</p>", 2017, "2017-01-01", "2018-12-31", ""),
    ("<p>Doorlopend</p> <p>Begin 2018</p>", 2017, "2017-01-01", "2018-03-31", ""),
    (_BIBOB_CELL, 2017, "2017-01-01", "2017-12-31", ""),
    ("Doorlopend Eerste kwartaal 2017 Doorlopend", 2017, "2017-01-01", "2017-12-31", ""),
    ("Doorlopend Vier kwartaal 2017 start", 2017, "2017-01-01", "2017-12-31", ""),
    # 000
    ("2023 e.v.", 2023, "2023-01-01", None, "continuous"),
    ("2023 en 2024", 2023, "2023-01-01", "2024-12-31", ""),
    ("2023 - 2024", 2023, "2023-01-01", "2024-12-31", ""),
    ("Q3 en Q4 2023", 2023, "2023-07-01", "2023-12-31", ""),
]

# The pieces split_due_cell makes of the multi-deadline seed cells; each piece is one deadline.
SEED_PIECES = [
    ("Eind 2017", 2017, "2017-10-01", "2017-12-31", ""),
    ("Eerste kwartaal 2017", 2017, "2017-01-01", "2017-03-31", ""),
    ("Vier kwartaal 2017 start", 2017, "2017-10-01", "2017-12-31", ""),
    ("Begin 2018", 2017, "2018-01-01", "2018-03-31", ""),
    ("2018", 2017, "2018-01-01", "2018-12-31", ""),
    ("1e helft 2017", 2017, "2017-01-01", "2017-06-30", ""),
    ("2e helft 2017", 2017, "2017-07-01", "2017-12-31", ""),
    ("1e kwartaal 2017", 2017, "2017-01-01", "2017-03-31", ""),
    ("2e kwartaal 2017", 2017, "2017-04-01", "2017-06-30", ""),
]

# The forms the importer has to handle, beyond the seeds.
REQUIRED_TEXTS = [
    ("Eerste kwartaal 2017", 2017, "2017-01-01", "2017-03-31", ""),
    ("tweede kwartaal", 2017, "2017-04-01", "2017-06-30", ""),
    ("derde kwartaal", 2017, "2017-07-01", "2017-09-30", ""),
    ("vierde kwartaal", 2017, "2017-10-01", "2017-12-31", ""),
    ("Q1 2024", 2023, "2024-01-01", "2024-03-31", ""),
    ("2017/2018", 2017, "2017-01-01", "2018-12-31", ""),
    ("Zomer 2017", 2017, "2017-06-01", "2017-08-31", ""),
    ("Medio 2017", 2017, "2017-06-01", "2017-07-31", ""),
    ("Jaarlijks", 2017, "2017-01-01", "2017-12-31", "yearly"),
    ("Elk kwartaal", 2017, "2017-01-01", "2017-12-31", "quarterly"),
    ("18 februari", 2017, "2017-02-18", "2017-02-18", ""),
    ("9 september 2021", 2017, "2021-09-09", "2021-09-09", ""),
    ("11-2-2021", 2017, "2021-02-11", "2021-02-11", ""),
    ("september 2017", 2017, "2017-09-01", "2017-09-30", ""),
    ("December 2017", 2017, "2017-12-01", "2017-12-31", ""),
    ("Eind 2017 / begin 2018", 2017, "2017-10-01", "2018-03-31", ""),
    ("Gedurende 2017", 2017, "2017-01-01", "2017-12-31", ""),
    ("Voor de zomer 2017", 2017, "2017-01-01", "2017-05-31", ""),
    ("In 2018", 2017, "2018-01-01", "2018-12-31", ""),
]

# Other phrasings met in plans, and PDF-extraction noise around known forms.
OTHER_TEXTS = [
    # from the prose of 004 (Oude IJsselstreek)
    ("tot eind 2023", 2023, "2023-01-01", "2023-12-31", ""),
    ("sinds juli 2022", 2023, "2022-07-01", None, "continuous"),
    # quarters, halves and seasons
    ("Q3", 2017, "2017-07-01", "2017-09-30", ""),
    ("Q3/Q4 2023", 2023, "2023-07-01", "2023-12-31", ""),
    ("Q3-Q4 2023", 2023, "2023-07-01", "2023-12-31", ""),
    ("Q3 t/m Q4 2023", 2023, "2023-07-01", "2023-12-31", ""),
    ("1e en 2e kwartaal 2017", 2017, "2017-01-01", "2017-06-30", ""),
    ("laatste kwartaal 2017", 2017, "2017-10-01", "2017-12-31", ""),
    ("2024-Q1", 2023, "2024-01-01", "2024-03-31", ""),
    ("H2 2017", 2017, "2017-07-01", "2017-12-31", ""),
    ("eerste helft van 2018", 2017, "2018-01-01", "2018-06-30", ""),
    ("in het voorjaar van 2018", 2017, "2018-03-01", "2018-05-31", ""),
    ("na de zomer 2017", 2017, "2017-09-01", "2017-12-31", ""),
    ("winter 2017", 2017, "2017-12-01", "2018-02-28", ""),
    ("begin seizoen 2018", 2017, "2018-04-01", "2018-05-31", ""),
    ("voor het nieuwe seizoen 2017", 2017, "2017-01-01", "2017-03-31", ""),
    ("Eind 2017 en 2018", 2017, "2017-10-01", "2018-12-31", "yearly"),
    ("jaarwisseling 2017/2018", 2017, "2017-12-31", "2018-01-01", ""),
    ("oud en nieuw 2017", 2017, "2017-12-31", "2018-01-01", ""),
    # months, days and weeks
    ("eind maart 2018", 2017, "2018-03-21", "2018-03-31", ""),
    ("medio maart", 2017, "2017-03-11", "2017-03-20", ""),
    ("ultimo 2017", 2017, "2017-12-31", "2017-12-31", ""),
    ("december - maart 2018", 2017, "2017-12-01", "2018-03-31", ""),
    ("18 en 19 februari 2018", 2017, "2018-02-18", "2018-02-19", ""),
    ("maandag 9 september 2019", 2017, "2019-09-09", "2019-09-09", ""),
    ("9 sept. 2021", 2017, "2021-09-09", "2021-09-09", ""),
    ("11/2/2021", 2017, "2021-02-11", "2021-02-11", ""),
    ("2021-02-11", 2017, "2021-02-11", "2021-02-11", ""),
    ("11-2-21", 2017, "2021-02-11", "2021-02-11", ""),
    ("02-2021", 2017, "2021-02-01", "2021-02-28", ""),
    ("2017-05", 2017, "2017-05-01", "2017-05-31", ""),
    ("week 12 2017", 2017, "2017-03-20", "2017-03-26", ""),
    # years and deadlines
    ("2017-18", 2017, "2017-01-01", "2018-12-31", ""),
    ("2017, 2018 en 2019", 2017, "2017-01-01", "2019-12-31", ""),
    ("van 2017 tot 2019", 2017, "2017-01-01", "2019-12-31", ""),
    ("2017 t/m 2019", 2017, "2017-01-01", "2019-12-31", ""),
    ("2023 en verder", 2023, "2023-01-01", None, "continuous"),
    ("vóór 1 juli 2017", 2017, "2017-01-01", "2017-06-30", ""),
    ("uiterlijk eind 2017", 2017, "2017-01-01", "2017-12-31", ""),
    ("eind van het jaar", 2017, "2017-10-01", "2017-12-31", ""),
    ("volgend jaar", 2017, "2018-01-01", "2018-12-31", ""),
    ("in het hele jaar 2018", 2017, "2018-01-01", "2018-12-31", ""),
    # rhythms, alone and within a period
    ("eenmaal per jaar", 2017, "2017-01-01", "2017-12-31", "yearly"),
    ("2x per jaar", 2017, "2017-01-01", "2017-12-31", "twice_yearly"),
    ("halfjaarlijks", 2017, "2017-01-01", "2017-12-31", "twice_yearly"),
    ("4 keer per jaar", 2017, "2017-01-01", "2017-12-31", "quarterly"),
    ("1x per maand", 2017, "2017-01-01", "2017-12-31", "monthly"),
    ("om de week", 2017, "2017-01-01", "2017-12-31", "biweekly"),
    ("twee-wekelijks", 2017, "2017-01-01", "2017-12-31", "biweekly"),
    ("dagelijks", 2017, "2017-01-01", "2017-12-31", "continuous"),
    ("ad-hoc", 2017, None, None, "ad_hoc"),
    ("op verzoek", 2017, None, None, "on_demand"),
    ("jaarlijks in 2017 en 2018", 2017, "2017-01-01", "2018-12-31", "yearly"),
    ("doorlopend tot eind 2017", 2017, "2017-01-01", "2017-12-31", "continuous"),
    ("wekelijks vanaf Q2 2017", 2017, "2017-04-01", None, "weekly"),
    ("2017: maandelijks", 2017, "2017-01-01", "2017-12-31", "monthly"),
    # extraction noise
    ("2<sup>e</sup> kwartaal 2017", 2017, "2017-04-01", "2017-06-30", ""),
    ("2\u1d49 kwartaal 2017", 2017, "2017-04-01", "2017-06-30", ""),
    ("  Tweede  kwartaal   2017 . ", 2017, "2017-04-01", "2017-06-30", ""),
    (" \u2014 DOORLOPEND \u2014", 2017, "2017-01-01", "2017-12-31", "continuous"),
    ("Eind 2017 \u2014 begin 2018", 2017, "2017-10-01", "2018-03-31", ""),
]


@pytest.mark.parametrize(("text", "reference_year", "start", "end", "recurrence"), SEED_TEXTS)
def test_seed_texts(text, reference_year, start, end, recurrence):
    _assert_due(text, reference_year, start, end, recurrence)


@pytest.mark.parametrize(("text", "reference_year", "start", "end", "recurrence"), SEED_PIECES)
def test_pieces_of_seed_cells(text, reference_year, start, end, recurrence):
    _assert_due(text, reference_year, start, end, recurrence)


@pytest.mark.parametrize(("text", "reference_year", "start", "end", "recurrence"), REQUIRED_TEXTS)
def test_required_forms(text, reference_year, start, end, recurrence):
    _assert_due(text, reference_year, start, end, recurrence)


@pytest.mark.parametrize(("text", "reference_year", "start", "end", "recurrence"), OTHER_TEXTS)
def test_other_phrasings(text, reference_year, start, end, recurrence):
    _assert_due(text, reference_year, start, end, recurrence)


def test_every_piece_of_every_seed_cell_is_a_deadline_on_its_own():
    pieces = {piece for text, *_ in SEED_TEXTS for piece in split_due_cell(text)}
    known = {row[0] for row in SEED_TEXTS + SEED_PIECES}
    assert pieces <= known
    assert all(parse_due(piece, 2017).understood for piece in pieces)


@pytest.mark.parametrize(
    ("text", "start", "end", "recurrence"),
    [
        ("Doorlopend", None, None, "continuous"),
        ("Maandelijks / ad hoc", None, None, "monthly"),
        ("18 februari", None, None, ""),
        ("tweede kwartaal", None, None, ""),
        ("Q3 en Q4", None, None, ""),
        ("eind van het jaar", None, None, ""),
        ("Eind 2017", "2017-10-01", "2017-12-31", ""),
        ("2023 e.v.", "2023-01-01", None, "continuous"),
    ],
)
def test_without_reference_year_only_explicit_years_give_a_range(text, start, end, recurrence):
    _assert_due(text, None, start, end, recurrence)


@pytest.mark.parametrize("reference_year", [True, "2017", 99999, -5, 2017.0])
def test_unusable_reference_year_counts_as_none(reference_year):
    assert parse_due("Doorlopend", reference_year) == parse_due("Doorlopend")


# Texts without a datable meaning: kept as written, nothing derived.
NOT_UNDERSTOOD = [
    "",
    "   ",
    "--",  # table rules from the PDF extraction of 001
    "-----------",
    "Wanneer",
    "Evaluatie werkwijze",
    "2017 Evaluatie",
    "nader te bepalen",
    "n.v.t.",
    "PM",
    "zsm",
    "afhankelijk van besluitvorming",
    "Na twee jaar",  # relative to an unnamed event
    "3 keer per jaar",  # no such rhythm in the model
    "Q5 2017",
    "5e kwartaal 2017",
    "31-2-2021",
    "13-13-2021",
    "1",
    "en",
]


@pytest.mark.parametrize("text", NOT_UNDERSTOOD)
def test_not_understood_keeps_the_text(text):
    due = parse_due(text, 2017)
    assert due == DueExpression(text.strip(), None, None, "", False)
    assert due.label == text.strip()


@pytest.mark.parametrize(
    ("text", "reference_year", "label"),
    [
        ("2 ^e kwartaal 2017", 2017, "2e kwartaal 2017"),
        ("Eerste kwartaal 2017", 2017, "1e kwartaal 2017"),
        ("Eind 2017", 2017, "4e kwartaal 2017"),
        ("Q3 en Q4 2023", 2023, "2e helft 2023"),
        ("Eind 2017 / begin 2018", 2017, "4e kwartaal 2017 t/m 1e kwartaal 2018"),
        ("1e en 3e kwartaal 2017", 2017, "1e t/m 3e kwartaal 2017"),
        ("2017 - 2018", 2017, "2017-2018"),
        ("Voorjaar 2017", 2017, "voorjaar 2017"),
        ("Medio 2017", 2017, "medio 2017"),
        ("Voor de zomer 2017", 2017, "januari t/m mei 2017"),
        ("september 2017", 2017, "september 2017"),
        ("eind maart 2018", 2017, "21 t/m 31 maart 2018"),
        ("9 september 2021", 2017, "9 september 2021"),
        ("Doorlopend", 2017, "doorlopend"),
        ("Doorlopend", None, "doorlopend"),
        ("Maandelijks / ad hoc", 2017, "maandelijks"),
        ("jaarlijks in 2017 en 2018", 2017, "jaarlijks (2017-2018)"),
        ("2023 e.v.", 2023, "doorlopend vanaf 2023"),
        ("Zodra de behoefte er is vanuit de branche", 2017, "indien nodig"),
        ("18 februari", None, "18 februari"),
    ],
)
def test_label(text, reference_year, label):
    assert parse_due(text, reference_year).label == label


@pytest.mark.parametrize(
    ("cell", "pieces"),
    [
        ("Doorlopend Eind 2017", ["Doorlopend", "Eind 2017"]),
        ("2e kwartaal 2017", ["2e kwartaal 2017"]),
        ("Q3 en Q4 2023", ["Q3 en Q4 2023"]),
        ("Eind 2017 / begin 2018", ["Eind 2017 / begin 2018"]),
        ("2017 – 2018", ["2017 – 2018"]),
        ("Maandelijks / ad hoc", ["Maandelijks / ad hoc"]),
        ("Doorlopend wanneer actueel", ["Doorlopend wanneer actueel"]),
        ("Eind seizoen 2017 en 2018", ["Eind seizoen 2017 en 2018"]),
        (
            "1 keer per twee weken of eerder indien nodig",
            ["1 keer per twee weken of eerder indien nodig"],
        ),
        ("2017 Eind 2017", ["2017", "Eind 2017"]),
        ("2017 en 2018 Eind 2017", ["2017 en 2018", "Eind 2017"]),
        ("2017 en 2018 2017 2017 2018", ["2017 en 2018", "2017", "2017", "2018"]),
        (
            "Doorlopend Eerste kwartaal 2017 Doorlopend",
            ["Doorlopend", "Eerste kwartaal 2017", "Doorlopend"],
        ),
        ("Doorlopend Vier kwartaal 2017 start", ["Doorlopend", "Vier kwartaal 2017 start"]),
        ("<p>2017</p> <p>2018</p>", ["2017", "2018"]),
        ("<p>Doorlopend</p> <p>Begin 2018</p>", ["Doorlopend", "Begin 2018"]),
        (_BIBOB_CELL, ["Eerste kwartaal 2017"] * 3 + ["Doorlopend"]),
        ("- Doorlopend, het hele jaar", ["Doorlopend, het hele jaar"]),
        ("- 1 ^e helft 2017", ["1e helft 2017"]),
        ("2 ^e kwartaal 2017", ["2e kwartaal 2017"]),
        ("Doorlopend\n- 1e helft 2017", ["Doorlopend", "1e helft 2017"]),
        ("Doorlopend • Q2 2017", ["Doorlopend", "Q2 2017"]),
        ("Evaluatie werkwijze", ["Evaluatie werkwijze"]),
        ("", []),
        ("   ", []),
        ("--", []),
        ("-----------------------------", []),
    ],
)
def test_split_due_cell(cell, pieces):
    assert split_due_cell(cell) == pieces


def test_due_expression_is_immutable():
    due = parse_due("Doorlopend", 2017)
    with pytest.raises(dataclasses.FrozenInstanceError):
        due.text = "Eind 2017"


_FRAGMENTS = (
    "doorlopend",
    "eind",
    "begin",
    "medio",
    "start",
    "voor",
    "na",
    "tot",
    "t/m",
    "vanaf",
    "e.v.",
    "en",
    "of",
    "/",
    "-",
    "–",
    "—",
    ",",
    ".",
    ":",
    "^e",
    "kwartaal",
    "helft",
    "q",
    "Q",
    "h",
    "jaar",
    "jaarlijks",
    "maandelijks",
    "wekelijks",
    "keer",
    "x",
    "per",
    "twee",
    "weken",
    "ad",
    "hoc",
    "zodra",
    "indien",
    "nodig",
    "zomer",
    "najaar",
    "seizoen",
    "jaarwisseling",
    "februari",
    "sept.",
    "2017",
    "2018",
    "1e",
    "2e",
    "eerste",
    "vier",
    "0",
    "1",
    "18",
    "31",
    "99",
    "9999",
    "<p>",
    "</p>",
    "<sup>e</sup>",
    "&amp;",
    "(",
    ")",
    "[",
    "]",
    "\u00a0",
    "\u00ad",
    "\u200b",
    "\ufeff",
    "\u1d49",
    "é",
    "ü",
    "\U0001f600",
    "\x00",
    "\\",
    "*",
    "?",
    "%",
    "$",
)


def _random_texts(count):
    rng = random.Random(20170101)
    alphabet = "".join(_FRAGMENTS) + "\t\n\r "
    for _ in range(count):
        if rng.random() < 0.7:
            yield " ".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(0, 12)))
        else:
            yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
    yield "2017 " * 5000
    yield "(" * 5000 + "2017"
    yield "Doorlopend " * 41
    yield "\ud800"
    yield "<" * 300 + ">" * 300


def test_random_text_never_raises():
    for text in _random_texts(1500):
        due = parse_due(text, 2017)
        assert isinstance(due, DueExpression)
        assert due.text == text.strip()
        assert due.recurrence in RECURRENCES
        assert isinstance(due.label, str)
        if not due.understood:
            assert (due.start, due.end, due.recurrence) == (None, None, "")
        if due.start and due.end:
            assert due.start <= due.end
        pieces = split_due_cell(text)
        assert all(isinstance(piece, str) and piece for piece in pieces)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Doorlopend", "2017-01-01", "2018-12-31"),
        ("Maandelijks", "2017-01-01", "2018-12-31"),
        ("Eind 2017", "2017-10-01", "2017-12-31"),
        ("doorlopend tot eind 2017", "2017-01-01", "2017-12-31"),
        ("2018", "2018-01-01", "2018-12-31"),
    ],
)
def test_rhythms_without_a_period_span_the_plan_period(text, start, end):
    due = parse_due(text, 2017, 2018)
    assert (due.start.isoformat(), due.end.isoformat()) == (start, end)


def test_plan_period_that_ends_before_it_starts_is_ignored():
    assert parse_due("Doorlopend", 2018, 2017).end == date(2018, 12, 31)
    assert parse_due("Ad hoc", 2017, 2018).start is None
