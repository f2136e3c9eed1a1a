"""The public information page: only published reports and adopted plans, small counts
suppressed, example data marked, reports from their frozen snapshot."""

import pytest
from django.urls import reverse

from openveiligheid.reports import exports
from openveiligheid.reports.models import ReportStatus
from tests.indicators.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from tests.public.helpers import publish
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

PAGE = "/openbaar/gemeente-a/"


def test_the_page_has_a_stable_address():
    assert reverse("public:organisation", args=["gemeente-a"]) == PAGE


def test_page_shows_published_reports_and_adopted_plans_only(client, world):
    published = publish(world.plan_a)
    draft = ReportFactory(plan=world.plan_a, period_start="2023-01-01")
    approved = ReportFactory(
        plan=world.plan_a, period_start="2023-07-01", status=ReportStatus.APPROVED
    )
    # Published report of a concept plan (the plan went back to concept): not public either.
    on_concept = ReportFactory(
        plan=world.draft_plan_a, status=ReportStatus.PUBLISHED, snapshot={"title": "x"}
    )
    other = publish(world.plan_b)

    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("public:report", args=["gemeente-a", published.pk]) in html
    for hidden in (draft, approved, on_concept, other):
        assert reverse("public:report", args=["gemeente-a", hidden.pk]) not in html
    assert world.objects["a"]["indicator"].name in html
    assert world.objects["draft_a"]["indicator"].name not in html
    assert world.objects["b"]["indicator"].name not in html
    assert world.plan_a.title in html and world.draft_plan_a.title not in html


def test_unknown_or_non_municipality_gives_404(client, world):
    assert client.get("/openbaar/bestaat-niet/").status_code == 404
    assert client.get(f"/openbaar/{world.partner.slug}/").status_code == 404
    assert client.get(f"/openbaar/{world.region.slug}/").status_code == 404


def test_small_counts_are_suppressed_on_the_page(client, world, settings):
    settings.OPENVEILIGHEID_PUBLIC_SUPPRESS_BELOW = 10
    indicator = IndicatorFactory(plan=world.plan_a, name="Aantal plofkraken", unit="count")
    MeasurementFactory(indicator=indicator, period_start="2022-01-01", value=14)
    MeasurementFactory(indicator=indicator, period_start="2023-01-01", value=7)

    html = client.get(PAGE).content.decode()

    tile = html.split("Aantal plofkraken", 1)[1].split("</li>", 1)[0]
    assert "&lt; 10" in tile
    assert ">7<" not in tile and " 7 " not in tile
    # The start value above the threshold is shown; the change to a suppressed value is not.
    assert "Startwaarde 2022: 14" in tile
    assert "gedaald" not in tile
    # No sparkline: its drawing would hold the suppressed value.
    assert "<svg" not in tile


def test_other_units_and_counts_above_the_threshold_are_shown(client, world, settings):
    settings.OPENVEILIGHEID_PUBLIC_SUPPRESS_BELOW = 5
    percentage = IndicatorFactory(plan=world.plan_a, name="Onveiligheidsgevoel", unit="percentage")
    MeasurementFactory(indicator=percentage, period_start="2023-01-01", value=3)
    html = client.get(PAGE).content.decode()
    tile = html.split("Onveiligheidsgevoel", 1)[1].split("</li>", 1)[0]
    assert "3%" in tile or "3 %" in tile or "3,0%" in tile
    assert "&lt; 5" not in tile
    # The shared indicator (120 in 2022) is far above the threshold.
    assert "120" in html.split(world.objects["a"]["indicator"].name, 1)[1].split("</li>", 1)[0]


def test_suppression_can_be_switched_off(client, world, settings):
    settings.OPENVEILIGHEID_PUBLIC_SUPPRESS_BELOW = 0
    indicator = IndicatorFactory(plan=world.plan_a, name="Aantal plofkraken", unit="count")
    MeasurementFactory(indicator=indicator, period_start="2023-01-01", value=2)
    tile = client.get(PAGE).content.decode().split("Aantal plofkraken", 1)[1].split("</li>")[0]
    assert "&lt;" not in tile and ">2" in tile


def test_example_data_is_marked_as_on_the_staff_pages(client, world):
    indicator = IndicatorFactory(plan=world.plan_a, name="Voorbeeldreeks")
    MeasurementFactory(indicator=indicator, period_start="2023-01-01", value=50, is_example=True)
    html = client.get(PAGE).content.decode()
    assert "Dit dashboard bevat voorbeelddata" in html
    tile = html.split("Voorbeeldreeks", 1)[1].split("</li>", 1)[0]
    assert "<strong>voorbeelddata</strong>" in tile
    assert '<span class="utrecht-badge-status ov-example-badge">voorbeelddata</span>' in tile


def test_status_and_target_are_shown(client, world):
    indicator = IndicatorFactory(plan=world.plan_a, name="Met doel", direction="down")
    TargetFactory(indicator=indicator, value=100)
    MeasurementFactory(indicator=indicator, period_start="2024-01-01", value=120)
    MeasurementFactory(indicator=indicator, period_start="2025-01-01", value=90)
    tile = client.get(PAGE).content.decode().split("Met doel", 1)[1].split("</li>", 1)[0]
    assert "ov-status--target-met" in tile and "Doel gehaald" in tile
    assert "gedaald" in tile and "gunstig" in tile


def test_page_queries_do_not_grow_with_the_indicators(client, world, django_assert_max_num_queries):
    publish(world.plan_a)
    client.get(PAGE)
    with django_assert_max_num_queries(20) as few:
        client.get(PAGE)
    for index in range(15):
        indicator = IndicatorFactory(plan=world.plan_a, slug=f"extra-{index}")
        MeasurementFactory(indicator=indicator, period_start="2023-01-01", value=40 + index)
    for quarter in (1, 2, 3, 4):
        publish(world.plan_a, period=f"2025-Q{quarter}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE)


def test_published_report_page_renders_the_snapshot_not_live_data(client, world):
    report = publish(world.plan_a)
    measurement = world.objects["a"]["indicator"].measurements.get()
    url = reverse("public:report", args=["gemeente-a", report.pk])
    before = client.get(url)
    assert before.status_code == 200
    assert "120" in before.content.decode()
    measurement.value = 987654
    measurement.save()
    after = client.get(url).content.decode()
    assert "987.654" not in after and "987654" not in after
    assert "120" in after


def test_unpublished_or_foreign_reports_are_not_found(client, world):
    draft = ReportFactory(plan=world.plan_a)
    other = publish(world.plan_b)
    for pk in (draft.pk, other.pk):
        assert client.get(reverse("public:report", args=["gemeente-a", pk])).status_code == 404
        url = reverse("public:report-download", args=["gemeente-a", pk, "docx"])
        assert client.get(url).status_code == 404


def test_downloads_are_the_published_files(client, world):
    report = publish(world.plan_a)
    url = reverse("public:report-download", args=["gemeente-a", report.pk, "docx"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES["docx"]
    assert response.content == exports.build(report, "docx")
    assert exports.file_name(report, "docx") in response["Content-Disposition"]
    # Only the published formats: the staff annex and unknown ones are not offered here.
    for output in ("xlsx", "csv", "exe"):
        bad = reverse("public:report-download", args=["gemeente-a", report.pk, output])
        assert client.get(bad).status_code == 404


def test_pdf_download(client, world):
    report = publish(world.plan_a)
    response = client.get(reverse("public:report-download", args=["gemeente-a", report.pk, "pdf"]))
    assert response.status_code in (200, 503)
    if response.status_code == 200:
        assert response.content.startswith(b"%PDF")


def test_page_is_in_english_when_asked(client, world):
    client.cookies["django_language"] = "en"
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_staff_plan_dashboard_links_to_the_public_page(client, world):
    from tests.permissions import login

    login(client, world.users["programme_manager"])
    html = client.get(reverse("dashboards:plan", args=[world.plan_a.slug])).content.decode()
    assert f'href="{PAGE}"' in html
    concept = client.get(reverse("dashboards:plan", args=[world.draft_plan_a.slug]))
    assert f'href="{PAGE}"' not in concept.content.decode()
