"""/api/public/: open data per indicator at a stable address, the published reports and the
adopted plans' indicators; no login, no session, throttled per client address."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from openveiligheid.indicators.selectors import series_for
from openveiligheid.public.api.throttling import PublicRateThrottle
from tests.indicators.factories import IndicatorFactory, MeasurementFactory
from tests.public.helpers import publish
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db

CSV_URL = "/api/public/v1/gemeente-a/plans/plan-a/indicators/inbraken-a.csv"
JSON_URL = "/api/public/v1/gemeente-a/plans/plan-a/indicators/inbraken-a.json"


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_open_data_addresses_are_stable(world):
    """Slugs of municipality, plan and indicator: a new import of the plan keeps them."""
    args = ["gemeente-a", "plan-a", "inbraken-a"]
    assert reverse("public-api:indicator-csv", args=args) == CSV_URL
    assert reverse("public-api:indicator-json", args=args) == JSON_URL


def test_csv_and_json_hold_the_indicator_values(client, world):
    indicator = world.objects["a"]["indicator"]
    MeasurementFactory(indicator=indicator, period_start="2023-01-01", value=Decimal("98.5"))
    MeasurementFactory(indicator=indicator, period_start="2024-01-01", value=77, is_example=True)
    expected = series_for([indicator])[indicator.pk]

    csv_response = client.get(CSV_URL)
    json_response = client.get(JSON_URL)

    assert csv_response.status_code == 200 and json_response.status_code == 200
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(csv_response)
    assert [(row["periode"], Decimal(row["waarde"])) for row in rows] == [
        (point.period.code, point.value) for point in expected
    ]
    assert [row["voorbeelddata"] for row in rows] == ["nee", "nee", "ja"]
    assert {row["gebied_code"] for row in rows} == {"GM9101"}
    data = json_response.json()
    assert [(value["period"], Decimal(str(value["value"]))) for value in data["values"]] == [
        (point.period.code, point.value) for point in expected
    ]
    assert [value["is_example"] for value in data["values"]] == [False, False, True]
    assert data["indicator"]["slug"] == "inbraken-a"
    assert data["plan"]["slug"] == "plan-a" and data["organisation"]["slug"] == "gemeente-a"


def test_open_data_suppresses_small_counts(client, world, settings):
    settings.OPENVEILIGHEID_PUBLIC_SUPPRESS_BELOW = 10
    indicator = world.objects["a"]["indicator"]
    MeasurementFactory(indicator=indicator, period_start="2023-01-01", value=4)
    rows = _csv_rows(client.get(CSV_URL))
    assert [(row["waarde"], row["weergave"], row["onderdrukt"]) for row in rows] == [
        ("120", "120", "nee"),
        ("", "< 10", "ja"),
    ]
    data = client.get(JSON_URL).json()
    assert data["suppressed_below"] == 10
    assert data["values"][1] == {
        "period": "2023",
        "period_label": "2023",
        "value": None,
        "display": "< 10",
        "suppressed": True,
        "is_example": False,
    }
    listed = client.get(reverse("public-api:indicator-list", args=["gemeente-a", "plan-a"]))
    row = next(row for row in listed.json() if row["slug"] == "inbraken-a")
    assert row["latest"]["value"] is None and row["latest"]["display"] == "< 10"
    assert "4" not in CSV_URL and b",4," not in client.get(CSV_URL).content


def test_concept_plans_and_other_municipalities_give_404(client, world):
    for url in (
        "/api/public/v1/gemeente-a/plans/concept-a/indicators/inbraken-draft_a.csv",
        "/api/public/v1/gemeente-a/plans/concept-a/indicators/",
        "/api/public/v1/gemeente-a/plans/plan-b/indicators/inbraken-b.json",
        "/api/public/v1/gemeente-b/plans/plan-a/indicators/inbraken-a.json",
        "/api/public/v1/gemeente-a/plans/plan-a/indicators/bestaat-niet.json",
        "/api/public/v1/politie-oost/reports/",
    ):
        assert client.get(url).status_code == 404, url


def test_district_figures_stay_out_of_the_open_data(client, world):
    from tests.indicators.factories import AreaFactory

    indicator = world.objects["a"]["indicator"]
    district = AreaFactory(code="WK910101", name="Wijk 1", level="district", parent=indicator.area)
    MeasurementFactory(indicator=indicator, area=district, period_start="2022-01-01", value=3)
    rows = _csv_rows(client.get(CSV_URL))
    assert [row["gebied_code"] for row in rows] == ["GM9101"]


def test_report_list_has_published_reports_only(client, world):
    published = publish(world.plan_a)
    ReportFactory(plan=world.plan_a, period_start="2023-01-01")
    publish(world.plan_b)
    response = client.get(reverse("public-api:report-list", args=["gemeente-a"]))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["id"] for row in results] == [published.pk]
    assert results[0]["links"] == {
        "html": f"/openbaar/gemeente-a/rapportages/{published.pk}/",
        "pdf": f"/openbaar/gemeente-a/rapportages/{published.pk}/download.pdf",
        "docx": f"/openbaar/gemeente-a/rapportages/{published.pk}/download.docx",
    }
    assert results[0]["period"] == "2024-H1"


def test_plan_list_has_adopted_plans_only(client, world):
    response = client.get(reverse("public-api:plan-list", args=["gemeente-a"]))
    assert [row["slug"] for row in response.json()] == ["plan-a"]
    assert response.json()[0]["indicators"] == "/api/public/v1/gemeente-a/plans/plan-a/indicators/"


def test_indicator_list_links_the_open_data(client, world):
    response = client.get("/api/public/v1/gemeente-a/plans/plan-a/indicators/")
    assert response.status_code == 200
    (row,) = response.json()
    assert row["files"] == {"csv": CSV_URL, "json": JSON_URL}
    assert row["latest"]["value"] == 120


def test_indicator_list_queries_do_not_grow(client, world, django_assert_max_num_queries):
    url = "/api/public/v1/gemeente-a/plans/plan-a/indicators/"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for index in range(10):
        indicator = IndicatorFactory(plan=world.plan_a, slug=f"extra-{index}")
        MeasurementFactory(indicator=indicator, period_start="2024-01-01", value=index + 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url).json()) == 11


def test_no_session_or_credentials_needed_and_none_used(client, world):
    """A wrong API key or a session makes no difference: the endpoints authenticate nobody."""
    assert client.get(JSON_URL, HTTP_AUTHORIZATION="Bearer ov_wrong").status_code == 200
    from tests.permissions import login

    login(client, world.users["programme_manager"])
    # Not even the owner's session opens the concept plan here.
    url = "/api/public/v1/gemeente-a/plans/concept-a/indicators/"
    assert client.get(url).status_code == 404


def test_writes_are_refused(client, world):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(JSON_URL).status_code == 405


@pytest.fixture
def low_public_rate(monkeypatch):
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", {"public": "3/minute"})


def test_public_endpoints_are_throttled_per_address(client, world, low_public_rate):
    statuses = [client.get(JSON_URL).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Retry-After" in client.get(CSV_URL).headers
    # A client cannot make itself new by writing X-Forwarded-For (no proxy is configured).
    assert client.get(JSON_URL, HTTP_X_FORWARDED_FOR="10.9.8.7").status_code == 429
    # Another address has its own count.
    assert client.get(JSON_URL, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_public_rate_is_a_setting():
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_THROTTLE_RATES["public"] == "60/minute"


def test_public_schema_lists_the_public_api_only(client):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/public/schema/?format=json")
    assert response.status_code == 200
    validate_schema(response.json())
    paths = response.json()["paths"]
    assert all(
        "429" in operation["responses"] for path in paths.values() for operation in path.values()
    )
    assert "/api/public/v1/{organisation}/plans/{plan}/indicators/{indicator}.csv" in paths
    assert all(path.startswith("/api/public/") for path in paths)
    assert client.get("/api/schema/?format=json").status_code in (401, 403)
