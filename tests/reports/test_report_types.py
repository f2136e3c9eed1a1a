"""The driehoek reports of a regional plan, the veiligheidsanalyse (trends, comparison, points to
prioritise) and the cooperation examples of strategic themes, in every output."""

from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from openveiligheid.indicators.models import Indicator
from openveiligheid.indicators.services import record_measurement
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.services import grant_membership
from openveiligheid.plans.models import Theme
from openveiligheid.reports import exports, services
from openveiligheid.reports.analysis import MAX_PRIORITIES
from openveiligheid.reports.models import ReportStatus
from openveiligheid.reports.selectors import content_for, report_types_for
from tests.indicators.factories import AreaFactory, IndicatorFactory, TargetFactory
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.permissions import build_world, login
from tests.plans.factories import PlanFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


# --- the driehoek reports --------------------------------------------------------------------


@pytest.fixture
def regional_plan():
    region = OrganisationFactory(
        kind=Organisation.Kind.REGION, name="Achterhoek", slug="achterhoek-test", cbs_code=None
    )
    return PlanFactory(owner=region)


def test_driehoek_reports_are_offered_for_a_regional_plan_only(regional_plan):
    municipal = PlanFactory()
    regional_types = {value for value, _label in report_types_for(regional_plan)}
    municipal_types = {value for value, _label in report_types_for(municipal)}
    assert {"driehoek_halfjaar", "driehoek_eind"} <= regional_types
    assert not {"driehoek_halfjaar", "driehoek_eind"} & municipal_types
    assert "veiligheidsanalyse" in municipal_types


def test_a_municipal_plan_gets_no_driehoek_report():
    with pytest.raises(ValidationError, match="alleen voor een regionaal plan"):
        services.create_report(plan=PlanFactory(), report_type="driehoek_eind", period="2026")


def test_driehoek_half_year_report_is_about_a_half_year(regional_plan):
    with pytest.raises(ValidationError, match="halfjaar"):
        services.create_report(plan=regional_plan, report_type="driehoek_halfjaar", period="2024")
    report = services.create_report(
        plan=regional_plan, report_type="driehoek_halfjaar", period="2024-H1"
    )
    assert str(report) == "Halfjaarrapportage lokale prioriteiten 1e helft 2024"
    ThemeFactory(plan=regional_plan, name="Ondermijning", kind=Theme.Kind.PRIORITY)
    ThemeFactory(plan=regional_plan, name="Digitale weerbaarheid", kind=Theme.Kind.STRATEGIC)
    final = services.create_report(plan=regional_plan, report_type="driehoek_eind", period="2026")
    content = content_for(final)
    # The local priorities: the priority themes only.
    assert [theme["name"] for theme in content["themes"]] == ["Ondermijning"]
    assert "lokale prioriteiten" in content["scope_note"]
    assert "lokale prioriteiten" in _docx_text(exports.build(final, "docx"))
    assert content["is_regional"] is True
    assert content["report_type_label"] == "Eindrapportage lokale prioriteiten"
    assert "Eindrapportage lokale prioriteiten 2026" in exports.build(final, "html").decode()


def test_the_report_form_offers_driehoek_types_for_a_regional_plan_only(client):
    world = build_world()
    login(client, world.users["programme_manager"])
    page = client.get(reverse("reports:list", args=[world.plan_a.slug])).content.decode()
    assert "Veiligheidsanalyse" in page
    assert "lokale prioriteiten" not in page
    response = client.post(
        reverse("reports:list", args=[world.plan_a.slug]),
        {"report_type": "driehoek_eind", "period": "2026"},
    )
    assert response.status_code == 400


# --- the veiligheidsanalyse ------------------------------------------------------------------


@pytest.fixture
def analysed_plan():
    """A plan of a municipality of 100.000 inwoners with four years of figures: burglaries went
    up (worse), the feeling of safety up (better), youth nuisance away from its target,
    and burglaries known for comparable municipalities and the Netherlands."""
    own_area = AreaFactory(code="GM9301", name="Eigenstad", population=100_000)
    plan = PlanFactory(owner=OrganisationFactory(name="Eigenstad", cbs_code="GM9301"))
    theme = ThemeFactory(plan=plan, name="Woninginbraak", order=1)
    second = ThemeFactory(plan=plan, name="Jeugd", order=2)
    burglaries = IndicatorFactory(
        plan=plan,
        theme=theme,
        area=own_area,
        name="Inbraken per 1.000 woningen",
        slug="inbraken",
        direction=Indicator.Direction.DOWN,
        start_year=2022,
    )
    safety = IndicatorFactory(
        plan=plan,
        theme=theme,
        area=own_area,
        name="Veiligheidsgevoel",
        slug="gevoel",
        unit=Indicator.Unit.PERCENTAGE,
        direction=Indicator.Direction.UP,
        start_year=2022,
    )
    youth = IndicatorFactory(
        plan=plan,
        theme=second,
        area=own_area,
        name="Meldingen jeugdoverlast",
        slug="jeugdoverlast",
        direction=Indicator.Direction.NONE,
        start_year=2022,
    )
    TargetFactory(indicator=youth, value=Decimal("100"))
    for year, values in {
        2021: (4, 70, 150),
        2022: (5, 72, 120),
        2023: (6, 74, 125),
        2024: (7, 75, 130),
    }.items():
        for indicator, value in zip((burglaries, safety, youth), values, strict=True):
            record_measurement(indicator=indicator, period=str(year), value=value, area=own_area)
    for area, value in (
        (AreaFactory(code="GM9302", name="Buurstad", population=110_000), 3),
        (AreaFactory(code="GM9303", name="Zusterstad", population=140_000), 5),
        (AreaFactory(code="GM9304", name="Dorp", population=8_000), 1),
        (AreaFactory(code="NL01", name="Nederland", level="country", population=None), 4),
    ):
        record_measurement(
            indicator=burglaries, period="2024", value=value, area=area, comparison_area=True
        )
    # Example values are marked in the analysis as on the pages.
    record_measurement(indicator=safety, period="2020", value=69, area=own_area, is_example=True)
    return plan


@pytest.fixture
def analysis_report(analysed_plan):
    return services.create_report(
        plan=analysed_plan, report_type="veiligheidsanalyse", period="2024"
    )


def test_the_analysis_is_about_a_whole_year(analysed_plan):
    with pytest.raises(ValidationError, match="vier jaar"):
        services.create_report(
            plan=analysed_plan, report_type="veiligheidsanalyse", period="2024-H1"
        )


def test_four_year_trends_per_theme(analysis_report):
    analysis = content_for(analysis_report)["analysis"]
    assert analysis["years"] == [2021, 2022, 2023, 2024]
    (burglary_theme, youth_theme) = analysis["trends"]
    assert burglary_theme["theme"] == "Woninginbraak"
    rows = {row["name"]: row for row in burglary_theme["indicators"]}
    assert [value["display"] for value in rows["Inbraken per 1.000 woningen"]["values"]] == [
        "4",
        "5",
        "6",
        "7",
    ]
    assert [value["display"] for value in rows["Veiligheidsgevoel"]["values"]] == [
        "70%",
        "72%",
        "74%",
        "75%",
    ]
    assert youth_theme["indicators"][0]["name"] == "Meldingen jeugdoverlast"


def test_comparison_beside_size_class_and_national_figure(analysis_report):
    (row,) = content_for(analysis_report)["analysis"]["comparisons"]
    assert row["name"] == "Inbraken per 1.000 woningen"
    assert row["period_label"] == "2024"
    assert row["own"] == "7"
    assert row["national"] == "4"
    # Eigenstad, Buurstad and Zusterstad have 100.000 to 150.000 inwoners: (7 + 3 + 5) / 3.
    assert row["size_class_average"] == "5"
    assert row["size_class_label"] == "Gemeenten met 100.000 tot 150.000 inwoners"
    assert row["rank"] == "4 van 4"


def test_points_to_prioritise_follow_the_stated_rule(analysis_report):
    analysis = content_for(analysis_report)["analysis"]
    texts = [point["text"] for point in analysis["priorities"]]
    # Burglaries rose from 4 to 7 (75% worse, and above their start value of 2022); youth
    # nuisance has no desired direction but moved away from its target of at most 100 since
    # its start; the feeling of safety improved and is not named.
    assert texts == [
        "Inbraken per 1.000 woningen (Woninginbraak): 75,0% verslechterd van 2021 tot 2024; "
        "niet op koers in 2024.",
        "Meldingen jeugdoverlast (Jeugd): niet op koers in 2024.",
    ]
    assert "ongewenste kant" in analysis["priorities_rule"]
    assert str(MAX_PRIORITIES) in analysis["priorities_rule"]


def test_example_data_is_marked_in_the_analysis(analysed_plan):
    report = services.create_report(
        plan=analysed_plan, report_type="veiligheidsanalyse", period="2023"
    )
    content = content_for(report)
    assert content["has_example_data"] is True
    html = exports.build(report, "html").decode()
    assert "69%" in html and "voorbeelddata" in html
    assert "69% voorbeelddata" in _docx_text(exports.build(report, "docx"))


def test_the_analysis_in_every_output(analysis_report):
    html = exports.build(analysis_report, "html").decode()
    for text in (
        "Punten die de raad kan prioriteren",
        "Vergelijking met andere gemeenten",
        "Verloop per thema, 2021–2024",
        "75,0% verslechterd van 2021 tot 2024",
    ):
        assert text in html
    docx = _docx_text(exports.build(analysis_report, "docx"))
    assert "Inbraken per 1.000 woningen (Woninginbraak): 75,0% verslechterd" in docx
    document = Document(BytesIO(exports.build(analysis_report, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Veiligheidsanalyse" in headings
    comparison = next(
        table
        for table in document.tables
        if table.rows[0].cells[0].text == "Indicator" and table.rows[0].cells[5].text == "Nederland"
    )
    assert [cell.text for cell in comparison.rows[1].cells] == [
        "Inbraken per 1.000 woningen",
        "2024",
        "7",
        "4 van 4",
        "5",
        "4",
    ]
    workbook = load_workbook(BytesIO(exports.build(analysis_report, "xlsx")))
    sheet = workbook["Veiligheidsanalyse"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Thema", "Indicator", 2021, 2022, 2023, 2024, "Voorbeelddata"]
    assert ["Woninginbraak", "Inbraken per 1.000 woningen", "4", "5", "6", "7", "nee"] in rows


def test_the_analysis_builds_as_pdf(analysis_report):
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(exports.build(analysis_report, "pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Veiligheidsanalyse" in text and "verslechterd van 2021 tot 2024" in text


def test_a_published_analysis_stays_frozen(analysis_report, analysed_plan):
    for step in (ReportStatus.IN_REVIEW, ReportStatus.APPROVED, ReportStatus.PUBLISHED):
        analysis_report = services.change_status(analysis_report, step)
    before = exports.build(analysis_report, "docx")
    burglaries = analysed_plan.indicators.get(slug="inbraken")
    record_measurement(indicator=burglaries, period="2024", value=2, area=burglaries.area)
    assert exports.build(analysis_report, "docx") == before


# --- cooperation examples --------------------------------------------------------------------


@pytest.fixture
def strategic_world():
    world = build_world()
    theme = world.objects["a"]["theme"]
    theme.kind = Theme.Kind.STRATEGIC
    theme.save()
    report = services.create_report(
        plan=world.plan_a, report_type="veiligheidsbrief", period="2024-H1"
    )
    return world, report, theme


def test_the_adviser_writes_cooperation_examples_beside_the_duiding(strategic_world):
    world, report, theme = strategic_world
    services.write_interpretation(
        report=report,
        theme=theme,
        text="De inbraken dalen.",
        cooperation_examples="Politie en woningcorporatie deelden hun signalen.",
        actor=world.users["safety_adviser"],
    )
    # Writing the duiding alone leaves the examples as they are.
    services.write_interpretation(
        report=report,
        theme=theme,
        text="De inbraken dalen verder.",
        actor=world.users["safety_adviser"],
    )
    (theme_content,) = content_for(report)["themes"]
    assert theme_content["interpretation"] == "De inbraken dalen verder."
    assert theme_content["cooperation_examples"] == (
        "Politie en woningcorporatie deelden hun signalen."
    )
    html = exports.build(report, "html").decode()
    assert "Voorbeelden van samenwerking" in html and "deelden hun signalen" in html
    docx = _docx_text(exports.build(report, "docx"))
    assert "Voorbeelden van samenwerking" in docx and "deelden hun signalen" in docx


def test_cooperation_examples_only_for_strategic_themes_and_own_advisers(strategic_world):
    world, report, theme = strategic_world
    priority = ThemeFactory(plan=world.plan_a, kind=Theme.Kind.PRIORITY)
    with pytest.raises(ValidationError, match="strategisch thema"):
        services.write_interpretation(
            report=report,
            theme=priority,
            cooperation_examples="Samen",
            actor=world.users["programme_manager"],
        )
    other_adviser = UserFactory()
    grant_membership(
        user=other_adviser, organisation=world.municipality_a, role_slug="safety_adviser"
    )
    with pytest.raises(PermissionDenied):
        services.write_interpretation(
            report=report, theme=theme, cooperation_examples="Samen", actor=other_adviser
        )
    # A priority theme shows no cooperation section at all.
    assert "Voorbeelden van samenwerking" not in _docx_text(
        exports.build(
            services.create_report(
                plan=PlanFactory(), report_type="veiligheidsbrief", period="2024-H1"
            ),
            "docx",
        )
    )


def test_cooperation_examples_through_the_page(client, strategic_world):
    world, report, theme = strategic_world
    login(client, world.users["safety_adviser"])
    url = reverse("reports:detail", args=[world.plan_a.slug, report.pk])
    page = client.get(url).content.decode()
    assert f'name="theme-{theme.pk}-cooperation_examples"' in page
    response = client.post(
        reverse("reports:interpretation", args=[world.plan_a.slug, report.pk, theme.pk]),
        {
            f"theme-{theme.pk}-text": "Duiding",
            f"theme-{theme.pk}-cooperation_examples": "Samen met de politie.",
        },
    )
    assert response.status_code == 302
    interpretation = report.interpretations.get(theme=theme)
    assert (interpretation.text, interpretation.cooperation_examples) == (
        "Duiding",
        "Samen met de politie.",
    )


def test_a_correction_keeps_the_cooperation_examples(strategic_world):
    world, report, theme = strategic_world
    services.write_interpretation(
        report=report,
        theme=theme,
        cooperation_examples="Samen.",
        actor=world.users["programme_manager"],
    )
    for step in (ReportStatus.IN_REVIEW, ReportStatus.APPROVED, ReportStatus.PUBLISHED):
        report = services.change_status(report, step)
    correction = services.create_correction(report, reason="Fout cijfer")
    assert correction.interpretations.get(theme=theme).cooperation_examples == "Samen."


# --- periods in the command and the page ------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "label"),
    [("2024", "2024"), ("2024-H1", "1e helft 2024"), ("2024-Q3", "3e kwartaal 2024")],
)
def test_command_builds_each_kind_of_period(tmp_path, period, label):
    plan = PlanFactory(slug="ivp-perioden")
    target = tmp_path / "report.html"
    call_command(
        "report",
        "build",
        "--plan",
        plan.slug,
        "--type",
        "veiligheidsbrief",
        "--period",
        period,
        "--format",
        "html",
        "-o",
        str(target),
        stdout=StringIO(),
    )
    assert f"Periode: {label}." in target.read_text()


@pytest.mark.parametrize(
    ("period", "label"),
    [("2024", "2024"), ("2024-H1", "1e helft 2024"), ("2024-Q3", "3e kwartaal 2024")],
)
def test_page_creates_each_kind_of_period(client, period, label):
    world = build_world()
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("reports:list", args=[world.plan_a.slug]),
        {"report_type": "veiligheidsbrief", "period": period},
    )
    assert response.status_code == 302
    report = world.plan_a.reports.get()
    assert report.period.code == period
    assert f"Periode: {label}." in client.get(response.url).content.decode()
