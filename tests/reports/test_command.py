from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from openveiligheid.reports import services
from openveiligheid.reports.models import Report
from tests.indicators.factories import IndicatorFactory, MeasurementFactory
from tests.plans.factories import PlanFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = PlanFactory(slug="ivp-test")
    indicator = IndicatorFactory(plan=plan, theme=ThemeFactory(plan=plan), name="Inbraken")
    MeasurementFactory(
        indicator=indicator, area=indicator.area, period_start="2022-01-01", value=46
    )
    return plan


def _build(tmp_path, output="docx", period="2024-H1", **extra):
    target = tmp_path / f"report.{output}"
    arguments = ["build", "--plan", "ivp-test", "--type", "veiligheidsbrief", "--period", period]
    arguments += ["--format", output, "-o", str(target)]
    for key, value in extra.items():
        arguments += [f"--{key}", str(value)]
    call_command("report", *arguments, stdout=StringIO())
    return target.read_bytes()


def test_builds_an_existing_report(tmp_path, plan):
    report = services.create_report(plan=plan, report_type="veiligheidsbrief", period="2024-H1")
    assert report.pk
    rows = {
        row.cells[0].text: row.cells[1].text
        for table in Document(BytesIO(_build(tmp_path))).tables
        for row in table.rows
    }
    assert rows["Inbraken"] == "46 (2022)"


def test_builds_a_preview_without_saving_anything(tmp_path, plan):
    html = _build(tmp_path, "html", period="2024").decode()
    assert "Inbraken" in html and "<html lang=" in html
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("period", "message"), [("2024-05", "rapportageperiode"), ("soms", "geldige periode")]
)
def test_refuses_a_bad_period(tmp_path, plan, period, message):
    with pytest.raises(CommandError, match=message):
        _build(tmp_path, period=period)


def test_refuses_an_unknown_plan(tmp_path):
    with pytest.raises(CommandError, match="geen plan"):
        _build(tmp_path)


def test_builds_the_data_annex(tmp_path, plan):
    text = _build(tmp_path, "csv", period="2024").decode("utf-8-sig")
    assert text.splitlines()[1].split(";")[1:4] == [
        "Inbraken",
        text.splitlines()[1].split(";")[2],
        "46",
    ]
    assert _build(tmp_path, "xlsx", period="2024")[:2] == b"PK"
