"""The demo's veiligheidsbrief 2024-H1 as PDF and DOCX: the right figures in the right rows,
real Word headings and tables, A4 with title and language, and frozen files once published."""

import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader

from openveiligheid.indicators.models import Indicator
from openveiligheid.indicators.services import record_measurement
from openveiligheid.reports import exports, services
from openveiligheid.reports.models import ReportStatus

pytestmark = pytest.mark.django_db

CASE_MEETING = "Aantal casussen lokaal casusoverleg"
NUISANCE = "Sociale overlast ‘percentage dat veel overlast ervaart’"


def _publish(report):
    for step in (ReportStatus.IN_REVIEW, ReportStatus.APPROVED, ReportStatus.PUBLISHED):
        report = services.change_status(report, step)
    return report


@pytest.fixture
def letter(ivp):
    report = services.create_report(plan=ivp, report_type="veiligheidsbrief", period="2024-H1")
    theme = ivp.themes.get(name__startswith="Sociale kwaliteit")
    services.write_interpretation(
        report=report,
        theme=theme,
        text="De overlast daalt door de inzet van het wijkteam.",
        actor=_manager(ivp),
    )
    return _publish(report)


def _manager(plan):
    from openveiligheid.organisations.services import grant_membership
    from tests.organisations.factories import UserFactory

    user = UserFactory()
    grant_membership(user=user, organisation=plan.owner, role_slug="programme_manager")
    return user


def _docx_rows(data: bytes) -> dict[str, list[str]]:
    document = Document(BytesIO(data))
    return {
        row.cells[0].text: [cell.text for cell in row.cells]
        for table in document.tables
        for row in table.rows
    }


def test_docx_has_the_figures_in_the_right_rows(letter):
    rows = _docx_rows(exports.build(letter, "docx"))
    assert rows[CASE_MEETING][1] == "46 (2022)"
    assert rows["Waardebeslag"][1] == "€ 17.347.824 (2022)"
    assert rows[NUISANCE][1] == "9,4% (2021)"
    assert rows[NUISANCE][4] == "↑ gestegen (ongunstig)"
    assert rows[NUISANCE][5] == "niet meer dan 9%"
    assert rows["Totaal aantal incidenten sociale kwaliteit"][1] == "4.349 (2022)"
    assert rows[CASE_MEETING][3].endswith("voorbeelddata")
    assert rows[CASE_MEETING][6] == "–"  # no target, no direction: no status
    assert rows["Totaal (berekend)"][1] in ("€ 1.273.000", "€ 1.921.800")
    assert rows["Totaal per jaar volgens het document"][1] == "€ 1.270.000"


def test_docx_is_a_real_word_document(letter):
    document = Document(BytesIO(exports.build(letter, "docx")))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Veiligheidsbrief 1e helft 2024") in headings
    assert ("Heading 2", "Sociale kwaliteit (overlast door personen)") in headings
    assert ("Heading 3", "Duiding") in headings
    texts = [p.text for p in document.paragraphs]
    assert "De overlast daalt door de inzet van het wijkteam." in texts
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.title.startswith("Veiligheidsbrief 1e helft 2024")
    assert document.core_properties.language == "nl-NL"


def _pdf_lines(data: bytes, tmp_path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is niet geïnstalleerd")
    source = tmp_path / "report.pdf"
    source.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.splitlines()


def _in_row(lines: list[str], start: str, value: str) -> bool:
    """Whether a table line that starts with a row's name (which may wrap onto the next line)
    holds the value."""
    return any(line.strip().startswith(start) and value in line for line in lines)


def test_pdf_has_the_figures_in_the_right_rows_and_metadata(letter, tmp_path):
    data = exports.build(letter, "pdf")
    lines = _pdf_lines(data, tmp_path)
    assert _in_row(lines, "Aantal casussen lokaal", "46 (2022)")
    assert _in_row(lines, "Waardebeslag", "€ 17.347.824")
    assert _in_row(lines, "Sociale overlast", "9,4%")
    assert _in_row(lines, "Totaal aantal incidenten", "4.349")
    reader = PdfReader(BytesIO(data))
    assert reader.metadata.title.startswith("Veiligheidsbrief 1e helft 2024")
    assert str(reader.trailer["/Root"]["/Lang"]).startswith("nl")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert b"<svg" not in data  # charts are drawn as PDF vector paths, not embedded images
    assert "/Image" not in str(reader.pages[5].get("/Resources", {}))


def test_published_files_stay_byte_for_byte_the_same(letter):
    before = {output: exports.build(letter, output) for output in ("html", "pdf", "docx")}
    indicator = Indicator.objects.get(plan=letter.plan, name=CASE_MEETING)
    record_measurement(indicator=indicator, period="2023", value=Decimal(99))
    letter.refresh_from_db()
    after = {output: exports.build(letter, output) for output in ("html", "pdf", "docx")}
    assert after == before
    # A correction is built from the live data again, and version 1 stays as it was.
    correction = services.create_correction(letter, reason="Nieuw cijfer lokaal casusoverleg")
    assert _docx_rows(exports.build(correction, "docx"))[CASE_MEETING][3] == "99 (2023)"
    assert exports.build(letter, "docx") == before["docx"]


def _annex_sheet(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(BytesIO(data)).worksheets[0].iter_rows(values_only=True))


def test_annex_has_every_indicator_row_of_the_report(letter):
    content = letter.snapshot
    expected = len(content["plan_indicators"]) + sum(
        len(theme["indicators"]) for theme in content["themes"]
    )
    rows = _annex_sheet(exports.build(letter, "xlsx"))
    assert rows[0][:3] == ("Thema", "Indicator", "Eenheid")
    assert len(rows) == expected + 1
    case = next(row for row in rows if row[1] == CASE_MEETING)
    docx_row = _docx_rows(exports.build(letter, "docx"))[CASE_MEETING]
    # The same figures as the report itself, the values as numbers.
    assert isinstance(case[7], int | float)
    assert f"({case[8]})" in docx_row[3]
    assert case[12] in ("ja", "nee")
    lines = exports.build(letter, "csv").decode("utf-8-sig").splitlines()
    assert len(lines) == expected + 1
    assert lines[0].startswith("Thema;Indicator;Eenheid;Startwaarde")
    assert any(line.split(";")[1] == CASE_MEETING for line in lines[1:])


def test_published_annex_stays_byte_for_byte_the_same(letter):
    before = {output: exports.build(letter, output) for output in ("xlsx", "csv")}
    indicator = Indicator.objects.get(plan=letter.plan, name=CASE_MEETING)
    record_measurement(indicator=indicator, period="2023", value=Decimal(99))
    letter.refresh_from_db()
    after = {output: exports.build(letter, output) for output in ("xlsx", "csv")}
    assert after == before
    correction = services.create_correction(letter, reason="Nieuw cijfer lokaal casusoverleg")
    case = next(
        row for row in _annex_sheet(exports.build(correction, "xlsx")) if row[1] == CASE_MEETING
    )
    assert (case[7], case[8]) == (99, "2023")


def test_annex_never_writes_a_formula(ivp):
    indicator = Indicator.objects.filter(plan=ivp).first()
    indicator.name = "=1+1 inbraken"
    indicator.save()
    report = services.create_report(plan=ivp, report_type="veiligheidsbrief", period="2024-H1")
    csv_text = exports.build(report, "csv").decode("utf-8-sig")
    assert ";'=1+1 inbraken;" in csv_text and ";=1+1" not in csv_text
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(exports.build(report, "xlsx"))).worksheets[0]
    cell = next(cell for row in sheet.iter_rows() for cell in row if cell.value == indicator.name)
    assert cell.data_type == "s"


def test_files_carry_the_owning_organisations_name_and_colour(tmp_path):
    from docx.shared import RGBColor

    from tests.indicators.factories import IndicatorFactory
    from tests.organisations.factories import OrganisationFactory
    from tests.plans.factories import PlanFactory, ThemeFactory

    owner = OrganisationFactory(name="Gemeente Zeedorp", brand_colour="#a83200")
    plan = PlanFactory(owner=owner)
    IndicatorFactory(plan=plan, theme=ThemeFactory(plan=plan), name="Inbraken")
    report = _publish(
        services.create_report(plan=plan, report_type="veiligheidsbrief", period="2024")
    )
    html = exports.build(report, "html").decode()
    assert "Gemeente Zeedorp" in html and "#a83200" in html
    assert "#004f9f" not in html  # no other municipality's colour
    document = Document(BytesIO(exports.build(report, "docx")))
    masthead = document.paragraphs[0]
    assert masthead.text == "Gemeente Zeedorp"
    assert masthead.runs[0].font.color.rgb == RGBColor(0xA8, 0x32, 0x00)
    assert "Gemeente Zeedorp" in "\n".join(_pdf_lines(exports.build(report, "pdf"), tmp_path))
    # The colour is part of the snapshot: a later change leaves the published files alone.
    owner.brand_colour = "#123456"
    owner.save()
    report.refresh_from_db()
    assert "#a83200" in exports.build(report, "html").decode()


def test_older_snapshot_without_organisation_still_renders(letter):
    snapshot = dict(letter.snapshot)
    del snapshot["organisation"]
    html = exports.render_html(snapshot)
    assert letter.plan.owner.name in html and "3mm solid" not in html


def test_colour_that_is_no_colour_never_reaches_the_style_sheet(letter):
    snapshot = dict(letter.snapshot)
    snapshot["organisation"] = {"name": "X", "brand_colour": "red;}</style><script>"}
    assert "<script>" not in exports.render_html(snapshot)
