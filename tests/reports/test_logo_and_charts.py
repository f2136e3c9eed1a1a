"""The organisation's logo on a report's page, PDF and DOCX, frozen with the published content;
the DOCX's charts as pictures with alternative text and their data."""

import base64
import re
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from PIL import Image
from pypdf import PdfReader

from openveiligheid.indicators.models import Target
from openveiligheid.indicators.services import set_target
from openveiligheid.organisations import logos
from openveiligheid.organisations.services import change_house_style, grant_membership
from openveiligheid.reports import exports, services
from openveiligheid.reports.models import ReportStatus
from openveiligheid.reports.presentation import render_png
from tests.indicators.factories import IndicatorFactory, MeasurementFactory
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.permissions import login
from tests.plans.factories import PlanFactory, ThemeFactory

pytestmark = pytest.mark.django_db

INDICATORS = 5


def _logo(colour) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (400, 100), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def administrator(plan):
    user = UserFactory()
    grant_membership(user=user, organisation=plan.owner, role_slug="administrator")
    return user


@pytest.fixture
def plan():
    owner = OrganisationFactory(name="Gemeente Logodorp", brand_colour="#00689e")
    plan = PlanFactory(owner=owner, slug="ivp-logodorp")
    themes = [ThemeFactory(plan=plan, name=f"Thema {n}", order=n) for n in (1, 2)]
    for number in range(INDICATORS):
        indicator = IndicatorFactory(
            plan=plan,
            theme=themes[number % 2],
            name=f"Incidenten soort {number + 1}",
            slug=f"incidenten-{number + 1}",
            order=number,
        )
        for year in range(2019, 2025):
            MeasurementFactory(
                indicator=indicator, period_start=date(year, 1, 1), value=100 + number + year % 7
            )
        set_target(indicator, comparison=Target.Comparison.AT_MOST, value=100, year=2026)
    return plan


@pytest.fixture
def report(plan):
    return services.create_report(plan=plan, report_type="veiligheidsbrief", period="2024")


def _publish(report):
    for step in (ReportStatus.IN_REVIEW, ReportStatus.APPROVED, ReportStatus.PUBLISHED):
        report = services.change_status(report, step)
    return report


def _logo_hashes_in_html(html: str) -> list[str]:
    return [
        logos.logo_sha256(base64.b64decode(data))
        for data in re.findall(r'class="ov-report-logo" src="data:image/png;base64,([^"]+)"', html)
    ]


def _docx_pictures(data: bytes) -> list[tuple[str, str, bytes]]:
    """(title, alternative text, image bytes) of every picture in the DOCX, in order."""
    document = Document(BytesIO(data))
    pictures = []
    for shape in document.inline_shapes:
        properties = shape._inline.docPr
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = document.part.related_parts[blip.embed].blob
        pictures.append((properties.get("title"), properties.get("descr"), image))
    return pictures


def test_without_a_logo_the_files_carry_the_name_only(report):
    html = exports.build(report, "html").decode()
    assert "Gemeente Logodorp" in html and 'class="ov-report-logo"' not in html
    assert all(
        title != "Logo" for title, _alt, _image in _docx_pictures(exports.build(report, "docx"))
    )
    reader = PdfReader(BytesIO(exports.build(report, "pdf")))
    assert sum(len(page.images) for page in reader.pages) == 0


def test_the_logo_is_on_the_page_the_pdf_title_page_and_the_docx_masthead(
    client, report, administrator
):
    organisation = change_house_style(
        organisation=report.plan.owner, actor=administrator, logo=_logo((200, 0, 0))
    )
    stored = organisation.logo.open("rb").read()
    report.plan.owner.refresh_from_db()

    assert _logo_hashes_in_html(exports.build(report, "html").decode()) == [
        organisation.logo_sha256
    ]
    login(client, administrator)
    page = client.get(reverse("reports:detail", args=[report.plan.slug, report.pk]))
    assert page.status_code == 200, page.status_code
    assert _logo_hashes_in_html(page.content.decode()) == [organisation.logo_sha256]

    # The PDF: the logo on the first page, and the only raster image (the charts are vector
    # paths). WeasyPrint shares one resource dictionary between pages, so every page lists it.
    reader = PdfReader(BytesIO(exports.build(report, "pdf")))
    image = reader.pages[0].images[0].image
    assert image.size == Image.open(BytesIO(stored)).size
    assert image.convert("RGB").getpixel((10, 10)) == (200, 0, 0)
    assert {
        (picture.name, picture.image.size) for page in reader.pages for picture in page.images
    } == {(reader.pages[0].images[0].name, image.size)}

    # The DOCX: first the logo, with its alternative text, then one chart per indicator.
    pictures = _docx_pictures(exports.build(report, "docx"))
    title, alt, data = pictures[0]
    assert (title, alt) == ("Logo", "Logo van Gemeente Logodorp")
    assert data == stored
    assert len(pictures) == 1 + INDICATORS


def test_the_docx_has_one_chart_per_indicator_with_alt_text_and_its_data(report):
    document = Document(BytesIO(exports.build(report, "docx")))
    pictures = _docx_pictures(exports.build(report, "docx"))
    assert len(pictures) == INDICATORS
    names = sorted(title for title, _alt, _image in pictures)
    assert names == [f"Grafiek van Incidenten soort {n}" for n in range(1, INDICATORS + 1)]
    for title, alt, image in pictures:
        assert alt.startswith(f"Verloop van {title.removeprefix('Grafiek van ')}. 6 metingen")
        assert "Doel: 100." in alt
        png = Image.open(BytesIO(image))
        assert png.format == "PNG" and png.size[0] == 800
    # Each picture is followed by its data table: the periods and values of the series.
    data_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Periode"]
    assert len(data_tables) == INDICATORS
    assert [row.cells[0].text for row in data_tables[0].rows[1:]] == [
        str(year) for year in range(2019, 2025)
    ]
    assert data_tables[0].rows[1].cells[1].text == "103"  # 100 + 0 + 2019 % 7


def test_a_published_report_keeps_its_logo_when_the_logo_changes(report, administrator):
    owner = report.plan.owner
    change_house_style(organisation=owner, actor=administrator, logo=_logo((200, 0, 0)))
    published = _publish(report)
    files = {output: exports.build(published, output) for output in ("html", "pdf", "docx")}
    first_hash = published.snapshot["organisation"]["logo"]["sha256"]

    changed = change_house_style(organisation=owner, actor=administrator, logo=_logo((0, 0, 200)))
    assert changed.logo_sha256 != first_hash
    published.refresh_from_db()
    for output, data in files.items():
        assert exports.build(published, output) == data, output
    assert _logo_hashes_in_html(files["html"].decode()) == [first_hash]

    # Removing the logo changes nothing either; a new draft shows the organisation as it is now.
    change_house_style(organisation=owner, actor=administrator, remove_logo=True)
    assert exports.build(published, "pdf") == files["pdf"]
    correction = services.create_correction(published, reason="Nieuwe cijfers", actor=None)
    assert 'class="ov-report-logo"' not in exports.build(correction, "html").decode()


def test_a_tampered_snapshot_logo_is_left_out(report, administrator):
    change_house_style(organisation=report.plan.owner, actor=administrator, logo=_logo((1, 2, 3)))
    published = _publish(report)
    published.snapshot["organisation"]["logo"]["data"] = '"><script>alert(1)</script>'
    published.save()
    html = exports.build(published, "html").decode()
    assert 'class="ov-report-logo"' not in html and "<script>alert" not in html


def test_charts_read_in_black_and_white(report):
    """Series, start and target differ in line pattern and mark, not only in colour: in the
    grey PNG of a chart every one of them is there, and the SVG says how they are drawn."""
    from openveiligheid.reports.presentation import with_charts
    from openveiligheid.reports.selectors import content_for

    row = with_charts(content_for(report), as_images=True)["themes"][0]["indicators"][0]
    svg = row["chart_svg"]
    assert 'stroke-dasharray="6 4"' in svg  # start value: dashed
    assert 'stroke-dasharray="10 4 2 4"' in svg  # target: dash-dot
    assert "<circle" in svg  # measured values: filled dots on a solid line
    grey = Image.open(BytesIO(render_png(svg))).convert("L")
    assert grey.getextrema()[0] < 80  # dark marks remain on white in grey
