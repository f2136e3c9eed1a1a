"""Every report page and action, for every role (tests/permissions.py)."""

import pytest
from django.urls import reverse

from openveiligheid.reports import services
from openveiligheid.reports.models import Report, ReportStatus
from tests.permissions import PAGE, assert_matrix, build_world, expect, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _report(world, status=ReportStatus.DRAFT, period="2024-H1"):
    report = services.create_report(
        plan=world.plan_a, report_type="veiligheidsbrief", period=period
    )
    path = {
        ReportStatus.DRAFT: [],
        ReportStatus.IN_REVIEW: [ReportStatus.IN_REVIEW],
        ReportStatus.PUBLISHED: [
            ReportStatus.IN_REVIEW,
            ReportStatus.APPROVED,
            ReportStatus.PUBLISHED,
        ],
    }[status]
    for step in path:
        report = services.change_status(report, step)
    return report


def _url(name, report, *args):
    return reverse(f"reports:{name}", args=[report.plan.slug, report.pk, *args])


# Writes: the plan's managers; the others who see the plan are refused (403); who cannot see the
# report gets 404, anonymous users the login page.
MANAGE_DRAFT = expect(
    403,
    anonymous=302,
    administrator=302,
    programme_manager=302,
    council_member=404,
    partner_contact=404,
    other_municipality=404,
)


def test_list_page(client, world):
    url = reverse("reports:list", args=[world.plan_a.slug])
    assert_matrix(client, world, "GET", url, PAGE.read_published_a)


def test_list_shows_council_members_published_reports_only(client, world):
    _report(world)
    _report(world, ReportStatus.PUBLISHED, period="2023-H2")
    login(client, world.users["council_member"])
    page = client.get(reverse("reports:list", args=[world.plan_a.slug])).content.decode()
    assert "2e helft 2023" in page and "1e helft 2024" not in page
    assert "Nieuwe rapportage" not in page


def test_list_query_count(client, world, django_assert_max_num_queries):
    for period in ("2023-H1", "2023-H2", "2024-H1", "2024"):
        _report(world, period=period)
    login(client, world.users["programme_manager"])
    with django_assert_max_num_queries(12):
        client.get(reverse("reports:list", args=[world.plan_a.slug]))


def test_create_report(client, world):
    url = reverse("reports:list", args=[world.plan_a.slug])
    data = {"report_type": "jaarrapportage", "period": "2024"}
    # The administrator made it already; council members see the plan but may not add to it.
    expected = MANAGE_DRAFT | {"programme_manager": 400, "council_member": 403}
    assert_matrix(client, world, "POST", url, expected, data=data)
    assert Report.objects.filter(plan=world.plan_a, report_type="jaarrapportage").count() == 1


def test_create_report_refuses_an_invalid_period_with_a_message(client, world):
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("reports:list", args=[world.plan_a.slug]),
        {"report_type": "veiligheidsbrief", "period": "volgend jaar"},
    )
    assert response.status_code == 400
    assert "geen geldige periode" in response.content.decode()


def test_draft_detail(client, world):
    report = _report(world)
    assert_matrix(client, world, "GET", _url("detail", report), PAGE.read_draft_a)


def test_published_detail(client, world):
    report = _report(world, ReportStatus.PUBLISHED)
    assert_matrix(client, world, "GET", _url("detail", report), PAGE.read_published_a)


def test_adviser_sees_the_duiding_form_of_own_theme_only(client, world):
    report = _report(world)
    login(client, world.users["safety_adviser"])
    page = client.get(_url("detail", report)).content.decode()
    assert "Duiding opslaan" in page
    login(client, world.users["action_lead"])
    assert "Duiding opslaan" not in client.get(_url("detail", report)).content.decode()


def test_write_interpretation(client, world):
    report = _report(world)
    theme = world.objects["a"]["theme"]
    url = _url("interpretation", report, theme.pk)
    data = {f"theme-{theme.pk}-text": "De cijfers dalen."}
    expected = MANAGE_DRAFT | {"safety_adviser": 302}
    assert_matrix(client, world, "POST", url, expected, data=data)
    assert report.interpretations.get(theme=theme).text == "De cijfers dalen."


def test_interpretation_of_a_published_report_is_refused(client, world):
    report = _report(world, ReportStatus.PUBLISHED)
    theme = world.objects["a"]["theme"]
    url = _url("interpretation", report, theme.pk)
    # Who writes it is sent back with a message; council members see the report, may not write.
    expected = MANAGE_DRAFT | {"safety_adviser": 302, "council_member": 403}
    assert_matrix(client, world, "POST", url, expected, data={f"theme-{theme.pk}-text": "Later"})
    assert not report.interpretations.exists()


def test_status_change(client, world):
    report = _report(world)
    url = _url("status", report)
    # The administrator submits; the programme manager then asks for the same step again and
    # gets the transition table's message.
    expected = MANAGE_DRAFT | {"programme_manager": 400}
    assert_matrix(client, world, "POST", url, expected, data={"status": "in_review"})
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW


def test_correction(client, world):
    report = _report(world, ReportStatus.PUBLISHED)
    url = _url("correct", report)
    expected = expect(
        403,
        anonymous=302,
        administrator=302,
        programme_manager=400,  # one correction per version
        partner_contact=404,
        other_municipality=404,
    )
    assert_matrix(client, world, "POST", url, expected, data={"reason": "Verkeerd cijfer"})
    assert report.correction.version == 2


@pytest.mark.parametrize("output", ["html", "docx", "xlsx", "csv"])
def test_download_of_a_draft(client, world, output):
    report = _report(world)
    assert_matrix(client, world, "GET", _url("download", report, output), PAGE.read_draft_a)


@pytest.mark.parametrize("output", ["pdf", "xlsx", "csv"])
def test_download_of_a_published_report(client, world, output):
    report = _report(world, ReportStatus.PUBLISHED)
    assert_matrix(client, world, "GET", _url("download", report, output), PAGE.read_published_a)


def test_report_page_links_to_the_data_annex(client, world):
    report = _report(world)
    login(client, world.users["programme_manager"])
    page = client.get(_url("detail", report)).content.decode()
    assert _url("download", report, "xlsx") in page and _url("download", report, "csv") in page
    response = client.get(_url("download", report, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('-bijlage.csv"')


def test_download_of_an_unknown_format_is_not_found(client, world):
    report = _report(world)
    login(client, world.users["programme_manager"])
    assert client.get(_url("download", report, "odt")).status_code == 404


def test_publish_through_the_page_freezes_and_offers_correction(client, world):
    report = _report(world)
    login(client, world.users["programme_manager"])
    for step in ("in_review", "approved", "published"):
        response = client.post(_url("status", report), {"status": step})
        assert response.status_code == 302
    page = client.get(_url("detail", report)).content.decode()
    assert "verandert niet meer" in page
    assert "Correctie maken" in page


def test_plan_dashboard_links_to_the_reports(client, world):
    login(client, world.users["council_member"])
    page = client.get(reverse("dashboards:plan", args=[world.plan_a.slug])).content.decode()
    assert reverse("reports:list", args=[world.plan_a.slug]) in page
