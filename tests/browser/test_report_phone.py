"""A report page with the organisation's logo, charts and their data tables, on a phone (375 px)
and on a desktop: nothing widens the page, every table fits or scrolls in its own region, the
logo and charts shrink to the screen, and axe-core finds no serious violations. The house style
page where the administrator uploads the logo, with a refused SVG and an accepted PNG."""

import os
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from openveiligheid.organisations.services import change_house_style, grant_membership
from openveiligheid.reports import exports, services
from tests.browser.conftest import login_with_second_factor, run_axe
from tests.indicators.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.organisations.factories import OrganisationFactory, UserFactory
from tests.plans.factories import GoalFactory, PlanFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-wachtwoord-123"

# Every table on the page, with how far it sticks out beyond the screen and whether a region
# that scrolls sideways holds it.
TABLES = """() => [...document.querySelectorAll('main table')].map(table => {
    const region = table.closest('.ov-table-scroll');
    return {
        caption: table.caption ? table.caption.textContent.trim() : '',
        beyond_screen: table.getBoundingClientRect().right - document.documentElement.clientWidth,
        scrolls: region !== null && getComputedStyle(region).overflowX === 'auto',
        region_beyond_screen: region
            ? region.getBoundingClientRect().right - document.documentElement.clientWidth : 0,
    };
})"""


def _logo() -> SimpleUploadedFile:
    buffer = BytesIO()
    # Wider than a phone: the page must shrink it.
    Image.new("RGB", (1600, 300), (0, 104, 158)).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_a_report_reads_on_a_phone(page, tmp_path):
    municipality = OrganisationFactory(name="Gemeente Telefoon", slug="gemeente-telefoon")
    plan = PlanFactory(owner=municipality, slug="ivp-telefoon", title="IVP Telefoon")
    theme = ThemeFactory(plan=plan, name="Ondermijning en georganiseerde criminaliteit")
    GoalFactory(theme=theme, text="Minder ondermijnende criminaliteit in de wijken")
    for number, name in enumerate(
        (
            "Aantal meldingen van ondermijnende activiteiten bij het RIEC per kwartaal",
            "Percentage inwoners dat zich vaak onveilig voelt in de eigen buurt",
        )
    ):
        indicator = IndicatorFactory(plan=plan, theme=theme, name=name, order=number)
        TargetFactory(indicator=indicator, value=90)
        for year in range(2016, 2025):
            MeasurementFactory(
                indicator=indicator,
                area=indicator.area,
                period_start=f"{year}-01-01",
                value=100 + (year * 7) % 23,
            )
    administrator = UserFactory(username="beheerder")
    grant_membership(user=administrator, organisation=municipality, role_slug="administrator")
    change_house_style(organisation=municipality, actor=administrator, logo=_logo())
    user = UserFactory(username="programmamanager")
    grant_membership(user=user, organisation=municipality, role_slug="programme_manager")
    report = services.create_report(plan=plan, report_type="veiligheidsbrief", period="2024")

    login_with_second_factor(page, "programmamanager", PASSWORD)
    url = f"/plannen/ivp-telefoon/rapportages/{report.pk}/"
    shots = os.environ.get("OV_SCREENSHOTS_DIR") or str(tmp_path)
    for width, height in ((375, 800), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{width} px: the page is {overflow} px too wide"
        for table in page.evaluate(TABLES):
            assert table["beyond_screen"] <= 1 or table["scrolls"], (width, table)
            assert table["region_beyond_screen"] <= 1, (width, table)
        logo = page.locator(".ov-report-logo").bounding_box()
        assert 0 < logo["width"] <= width and logo["height"] <= 64.5
        for chart in page.locator("svg.ov-line-chart").all():
            box = chart.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert run_axe(page) == []
        page.screenshot(path=f"{shots}/report-{width}.png", full_page=True)
    assert page.locator("svg.ov-line-chart").count() == 2
    assert page.locator(".ov-chart-data-region").count() == 2

    # The HTML download (the document the PDF is made from) reads on a phone too.
    document = tmp_path / "rapportage.html"
    document.write_bytes(exports.build(report, "html"))
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(document.as_uri())
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the HTML download is {overflow} px too wide on a phone"
    for table in page.evaluate(TABLES.replace("'main table'", "'table'")):
        assert table["beyond_screen"] <= 1 or table["scrolls"], table
    page.screenshot(path=f"{shots}/report-download-375.png", full_page=True)


def test_the_administrator_uploads_the_logo_on_the_house_style_page(page, tmp_path):
    municipality = OrganisationFactory(name="Gemeente Logo", slug="gemeente-logo")
    administrator = UserFactory(username="beheerder")
    grant_membership(user=administrator, organisation=municipality, role_slug="administrator")
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    png = tmp_path / "logo.png"
    Image.new("RGB", (400, 100), (0, 104, 158)).save(png)

    login_with_second_factor(page, "beheerder", PASSWORD)
    page.goto("/organisaties/gemeente-logo/gebruikers/")
    page.get_by_role("link", name="Huisstijl van rapportages").click()
    assert page.get_by_text("Er is nog geen logo").is_visible()
    assert run_axe(page) == []
    page.get_by_label("Nieuw logo").set_input_files(str(svg))
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("Lever het logo aan als PNG of JPEG").first.is_visible()
    assert run_axe(page) == []
    page.get_by_label("Nieuw logo").set_input_files(str(png))
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text("De huisstijl is opgeslagen.").is_visible()
    assert page.get_by_role("img", name="Logo van Gemeente Logo").is_visible()
    assert run_axe(page) == []
