"""API: reports, their workflow, the duiding per theme and the files, for every role."""

import pytest
from django.urls import reverse

from openveiligheid.reports import services
from openveiligheid.reports.exports import CONTENT_TYPES
from openveiligheid.reports.models import Report, ReportStatus
from tests.permissions import API, assert_matrix, expect, login

pytestmark = pytest.mark.django_db

JSON = "application/json"

# Writes on A's draft: the plan's managers; who sees the draft but may not change it gets 403,
# who does not see it 404 (council members see published reports only).
MANAGE_DRAFT = expect(
    403,
    anonymous=401,
    council_member=404,
    partner_contact=404,
    other_municipality=404,
)


def _report(world, status=ReportStatus.DRAFT, period="2024-H1", plan=None):
    report = services.create_report(
        plan=plan or world.plan_a, report_type="veiligheidsbrief", period=period
    )
    path = [ReportStatus.IN_REVIEW, ReportStatus.APPROVED, ReportStatus.PUBLISHED]
    for step in path[: {ReportStatus.DRAFT: 0, ReportStatus.PUBLISHED: 3}[status]]:
        report = services.change_status(report, step)
    return report


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_list_needs_login(client, world):
    assert_matrix(client, world, "GET", reverse("report-list"), API.any_user)


def test_list_is_scoped(client, world):
    draft = _report(world)
    published = _report(world, ReportStatus.PUBLISHED, period="2023-H2")
    other = _report(world, plan=world.plan_b)
    seen = {}
    for role in ("programme_manager", "council_member", "other_municipality", "partner_contact"):
        login(client, world.users[role])
        seen[role] = {row["id"] for row in results(client.get(reverse("report-list")))}
    assert seen["programme_manager"] == {draft.pk, published.pk}
    assert seen["council_member"] == {published.pk}
    assert seen["other_municipality"] == {other.pk}
    assert seen["partner_contact"] == set()


def test_list_filters_and_query_count(client, world, django_assert_max_num_queries):
    for period in ("2023-H1", "2023-H2", "2024-H1", "2024"):
        _report(world, period=period)
    login(client, world.users["programme_manager"])
    with django_assert_max_num_queries(12):
        rows = results(client.get(reverse("report-list"), {"plan": "plan-a"}))
    assert len(rows) == 4
    assert rows[0]["downloads"]["pdf"].endswith(f"/api/v1/reports/{rows[0]['id']}/download/pdf/")
    rows = results(client.get(reverse("report-list"), {"status": "published"}))
    assert rows == []
    response = client.get(reverse("report-list"), {"report_type": "roman"})
    assert response.status_code == 400
    assert "Onbekende waarde" in response.json()["report_type"][0]


def test_detail_matrix(client, world):
    draft = _report(world)
    published = _report(world, ReportStatus.PUBLISHED, period="2023-H2")
    assert_matrix(client, world, "GET", reverse("report-detail", args=[draft.pk]), API.read_draft_a)
    assert_matrix(
        client, world, "GET", reverse("report-detail", args=[published.pk]), API.read_published_a
    )


def test_detail_has_the_content(client, world):
    report = _report(world)
    login(client, world.users["council_member"])
    assert client.get(reverse("report-detail", args=[report.pk])).status_code == 404
    login(client, world.users["programme_manager"])
    data = client.get(reverse("report-detail", args=[report.pk])).json()
    assert data["period"] == "2024-H1" and data["status"] == "draft"
    assert data["allowed_transitions"] == ["in_review"]
    (theme,) = data["content"]["themes"]
    assert theme["name"] == "Ondermijning a"
    assert theme["indicators"][0]["start"]["display"] == "120"


def test_create_matrix(client, world):
    data = {"plan": "plan-a", "report_type": "jaarrapportage", "period": "2024"}
    # The administrator made it; the programme manager then meets the service's duplicate rule.
    expected = MANAGE_DRAFT | {
        "administrator": 201,
        "programme_manager": 400,
        "council_member": 403,
    }
    assert_matrix(
        client, world, "POST", reverse("report-list"), expected, data=data, content_type=JSON
    )
    report = Report.objects.get(plan=world.plan_a, report_type="jaarrapportage")
    assert report.status == ReportStatus.DRAFT and report.period.code == "2024"


@pytest.mark.parametrize(
    ("period", "label"),
    [("2024", "2024"), ("2024-H1", "1e helft 2024"), ("2024-Q3", "3e kwartaal 2024")],
)
def test_create_takes_each_kind_of_period(client, world, period, label):
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("report-list"),
        {"plan": "plan-a", "report_type": "veiligheidsbrief", "period": period},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert (response.json()["period"], response.json()["period_label"]) == (period, label)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"report_type": "veiligheidsbrief", "period": "2024"}, "plan", "Kies een plan"),
        (
            {"plan": "plan-a", "report_type": "veiligheidsbrief", "period": "2024-05"},
            "period",
            "geen rapportageperiode",
        ),
        (
            {"plan": "plan-a", "report_type": "veiligheidsbrief", "period": "2031"},
            "period",
            "buiten de looptijd",
        ),
        (
            {"plan": "plan-a", "report_type": "driehoek_eind", "period": "2026"},
            "report_type",
            "regionaal plan",
        ),
    ],
)
def test_create_refuses_bad_input_with_a_dutch_message(client, world, data, field, message):
    login(client, world.users["programme_manager"])
    response = client.post(reverse("report-list"), data, content_type=JSON)
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Report.objects.exists()


def test_create_in_a_plan_out_of_sight_is_not_found(client, world):
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("report-list"),
        {"plan": "plan-b", "report_type": "veiligheidsbrief", "period": "2024"},
        content_type=JSON,
    )
    assert response.status_code == 404


def test_status_change_matrix(client, world):
    report = _report(world)
    url = reverse("report-change-status", args=[report.pk])
    # The administrator submits; the programme manager then asks for the same step again.
    expected = MANAGE_DRAFT | {"administrator": 200, "programme_manager": 400}
    assert_matrix(
        client, world, "POST", url, expected, data={"status": "in_review"}, content_type=JSON
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW
    assert [change.to_status for change in report.status_history.all()] == [
        "draft",
        "in_review",
    ]


def test_publishing_through_the_api_freezes_the_report(client, world):
    report = _report(world)
    login(client, world.users["programme_manager"])
    url = reverse("report-change-status", args=[report.pk])
    for step in ("in_review", "approved", "published"):
        response = client.post(url, {"status": step, "note": "Akkoord"}, content_type=JSON)
        assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.snapshot is not None
    response = client.post(url, {"status": "draft"}, content_type=JSON)
    assert response.status_code == 400
    assert "Gepubliceerd" in str(response.json()["status"])
    # Council members now see it.
    login(client, world.users["council_member"])
    assert client.get(reverse("report-detail", args=[report.pk])).status_code == 200
    assert client.post(url, {"status": "draft"}, content_type=JSON).status_code == 403


def test_interpretation_matrix(client, world):
    report = _report(world)
    theme = world.objects["a"]["theme"]
    url = reverse("report-interpretations", args=[report.pk])
    # The adviser of the theme writes its duiding, like the plan's managers.
    expected = MANAGE_DRAFT | {
        "administrator": 200,
        "programme_manager": 200,
        "safety_adviser": 200,
    }
    data = {"theme": theme.pk, "text": "De cijfers dalen."}
    assert_matrix(client, world, "POST", url, expected, data=data, content_type=JSON)
    assert report.interpretations.get(theme=theme).text == "De cijfers dalen."


def test_adviser_writes_only_the_duiding_of_own_themes(client, world):
    from tests.plans.factories import ThemeFactory

    report = _report(world)
    other_theme = ThemeFactory(plan=world.plan_a, name="Jeugd")
    login(client, world.users["safety_adviser"])
    url = reverse("report-interpretations", args=[report.pk])
    response = client.post(url, {"theme": other_theme.pk, "text": "Nee"}, content_type=JSON)
    assert response.status_code == 403
    # Nor can the adviser change the report itself.
    response = client.post(
        reverse("report-change-status", args=[report.pk]),
        {"status": "in_review"},
        content_type=JSON,
    )
    assert response.status_code == 403
    assert not report.interpretations.exists()


def test_interpretation_refuses_a_theme_of_another_plan_and_a_published_report(client, world):
    report = _report(world)
    login(client, world.users["programme_manager"])
    url = reverse("report-interpretations", args=[report.pk])
    theme_b = world.objects["b"]["theme"]
    response = client.post(url, {"theme": theme_b.pk, "text": "x"}, content_type=JSON)
    assert response.status_code == 400
    assert "hoort niet bij het plan" in response.json()["theme"][0]
    published = _report(world, ReportStatus.PUBLISHED, period="2023-H2")
    theme = world.objects["a"]["theme"]
    response = client.post(
        reverse("report-interpretations", args=[published.pk]),
        {"theme": theme.pk, "text": "Later"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "concept" in response.json()["text"][0]
    # A council member sees the published report but may not write in it.
    login(client, world.users["council_member"])
    response = client.post(
        reverse("report-interpretations", args=[published.pk]),
        {"theme": theme.pk, "text": "Later"},
        content_type=JSON,
    )
    assert response.status_code == 403


def test_cooperation_examples_through_the_api(client, world):
    from openveiligheid.plans.models import Theme

    report = _report(world)
    theme = world.objects["a"]["theme"]
    login(client, world.users["safety_adviser"])
    url = reverse("report-interpretations", args=[report.pk])
    response = client.post(
        url, {"theme": theme.pk, "cooperation_examples": "Samen."}, content_type=JSON
    )
    assert response.status_code == 400
    assert "strategisch thema" in response.json()["cooperation_examples"][0]
    theme.kind = Theme.Kind.STRATEGIC
    theme.save()
    response = client.post(
        url, {"theme": theme.pk, "cooperation_examples": "Samen."}, content_type=JSON
    )
    assert response.status_code == 200
    assert response.json()["cooperation_examples"] == "Samen."


@pytest.mark.parametrize("output", ["html", "docx", "xlsx", "csv"])
def test_download_matrix_of_a_draft(client, world, output):
    report = _report(world)
    url = reverse("report-download", args=[report.pk, output])
    assert_matrix(client, world, "GET", url, API.read_draft_a)


@pytest.mark.parametrize("output", list(CONTENT_TYPES))
def test_download_of_a_published_report(client, world, output):
    report = _report(world, ReportStatus.PUBLISHED)
    url = reverse("report-download", args=[report.pk, output])
    assert_matrix(client, world, "GET", url, API.read_published_a)
    login(client, world.users["council_member"])
    response = client.get(url)
    assert response["Content-Type"] == CONTENT_TYPES[output]
    assert response["Content-Disposition"].endswith(f'.{output}"')
    assert len(response.content) > 100


def test_download_of_an_unknown_format_is_not_found(client, world):
    report = _report(world)
    login(client, world.users["programme_manager"])
    response = client.get(f"/api/v1/reports/{report.pk}/download/odt/")
    assert response.status_code == 404
    assert response.json()["detail"]
