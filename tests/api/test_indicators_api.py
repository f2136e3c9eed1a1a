"""API: indicators (with status), measurements and interpretations."""

from datetime import date

import pytest
from django.urls import reverse

from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.indicators.models import Indicator, Interpretation, Measurement
from tests.indicators.factories import (
    AreaFactory,
    IndicatorFactory,
    MeasurementFactory,
    TargetFactory,
)
from tests.permissions import API, assert_matrix, expect, login
from tests.signals.factories import CategoryFactory

pytestmark = pytest.mark.django_db

# Recording figures for A's indicator: managers of the plan, and the adviser of its theme.
# The matrix posts the same period for every role: the first write creates (201), later ones
# update the same measurement (200).
RECORD_A = expect(
    403,
    anonymous=401,
    administrator={200, 201},
    programme_manager={200, 201},
    safety_adviser={200, 201},
    partner_contact=404,
    other_municipality=404,
)
LAST_YEAR = str(date.today().year - 1)


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("name", ["indicator-list", "measurement-list", "interpretation-list"])
def test_lists_need_login(client, world, name):
    assert_matrix(client, world, "GET", reverse(name), API.any_user)


def test_indicator_and_measurement_detail_matrix(client, world):
    for key, expected in (("a", API.read_published_a), ("draft_a", API.read_draft_a)):
        indicator = world.objects[key]["indicator"]
        assert_matrix(
            client, world, "GET", reverse("indicator-detail", args=[indicator.pk]), expected
        )
        measurement = indicator.measurements.get()
        assert_matrix(
            client, world, "GET", reverse("measurement-detail", args=[measurement.pk]), expected
        )


def test_record_measurement_matrix(client, world):
    indicator = world.objects["a"]["indicator"]
    assert_matrix(
        client,
        world,
        "POST",
        reverse("measurement-list"),
        RECORD_A,
        data={"indicator": indicator.pk, "period": LAST_YEAR, "value": "110"},
        content_type="application/json",
    )
    assert Measurement.objects.filter(indicator=indicator).count() == 2
    draft = world.objects["draft_a"]["indicator"]
    assert_matrix(
        client,
        world,
        "POST",
        reverse("measurement-list"),
        {**RECORD_A, "safety_adviser": 403, "council_member": 404},
        data={"indicator": draft.pk, "period": LAST_YEAR, "value": "110"},
        content_type="application/json",
    )


def test_write_interpretation_matrix(client, world):
    indicator = world.objects["a"]["indicator"]
    expected = {role: (201 if codes == {200, 201} else codes) for role, codes in RECORD_A.items()}
    assert_matrix(
        client,
        world,
        "POST",
        reverse("interpretation-list"),
        expected,
        data={"indicator": indicator.pk, "period": "2022", "text": "Daling door buurtpreventie."},
        content_type="application/json",
    )
    interpretation = Interpretation.objects.get(indicator=indicator)
    assert_matrix(
        client,
        world,
        "GET",
        reverse("interpretation-detail", args=[interpretation.pk]),
        API.read_published_a,
    )


def test_measurement_through_the_api_changes_the_indicator_status(client, world):
    indicator = world.objects["a"]["indicator"]  # start 2022: 120, lower is better
    TargetFactory(indicator=indicator, value=100)
    login(client, world.users["safety_adviser"])
    url = reverse("indicator-detail", args=[indicator.pk])
    before = client.get(url).json()
    assert before["current_status"]["status"] == "no_data"
    assert before["target"]["value"] == "100"

    response = client.post(
        reverse("measurement-list"),
        {"indicator": indicator.pk, "period": LAST_YEAR, "value": "95.5", "note": "Politie"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["value"] == "95.5"
    assert created["period"] == LAST_YEAR
    assert created["period_type"] == "year"
    assert created["is_example_data"] is False

    after = client.get(url).json()
    assert after["current_status"]["status"] == "met"
    assert after["current_status"]["status_label"] == "Doel gehaald"
    assert after["current_status"]["latest"]["value"] == "95.5"
    assert after["current_status"]["start"]["value"] == "120"
    assert [point["period"] for point in after["series"]] == ["2022", LAST_YEAR]
    listed = results(client.get(reverse("indicator-list"), {"plan": "plan-a"}))
    assert [item["current_status"]["status"] for item in listed] == ["met"]

    # The same period again is an update of the one measurement, not a second one.
    again = client.post(
        reverse("measurement-list"),
        {"indicator": indicator.pk, "period": LAST_YEAR, "value": 97},
        content_type="application/json",
    )
    assert again.status_code == 200
    assert again.json()["value"] == "97"
    assert indicator.measurements.count() == 2


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"period": "2024-Q5", "value": "10"}, "period", "geen geldige periode"),
        ({"period": "2024-13", "value": "10"}, "period", "de maand moet tussen 1 en 12"),
        ({"period": "2024", "value": "tien"}, "value", "'tien' is geen getal."),
        ({"period": "2024", "value": "-3"}, "value", "Een aantal kan niet negatief zijn."),
        ({"period": "2024"}, "value", "Dit veld is verplicht."),
        ({"period": "2024", "value": "1", "area": "GM0000"}, "area", "Onbekend gebied"),
    ],
)
def test_bad_measurement_is_refused_with_a_dutch_message(client, world, payload, field, message):
    indicator = world.objects["a"]["indicator"]
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("measurement-list"),
        {"indicator": indicator.pk, **payload},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert Measurement.objects.filter(indicator=indicator).count() == 1


def test_measurement_area_must_lie_within_the_indicator_area(client, world):
    indicator = world.objects["a"]["indicator"]
    district = AreaFactory(code="WK910101", name="Centrum", level="district", parent=indicator.area)
    login(client, world.users["programme_manager"])
    url = reverse("measurement-list")
    ok = client.post(
        url,
        {"indicator": indicator.pk, "period": "2023-Q2", "value": "4", "area": "wk910101"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["area"] == district.code
    assert ok.json()["period_label"] == "2e kwartaal 2023"
    elsewhere = client.post(
        url,
        {"indicator": indicator.pk, "period": "2023", "value": "4", "area": "GM9102"},
        content_type="application/json",
    )
    assert elsewhere.status_code == 400
    assert "ligt niet in Gemeente A" in elsewhere.json()["area"][0]


def test_derived_indicator_refuses_measurements(client, world):
    plan = world.plan_a
    base = world.objects["a"]["indicator"]
    derived = IndicatorFactory(
        plan=plan, theme=base.theme, area=base.area, numerator=base, denominator=base, per=1000
    )
    login(client, world.users["programme_manager"])
    response = client.post(
        reverse("measurement-list"),
        {"indicator": derived.pk, "period": "2023", "value": "1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "berekend uit andere reeksen" in response.json()["non_field_errors"][0]


def test_example_data_is_exposed_as_is_example_data(client, world):
    indicator = world.objects["a"]["indicator"]
    MeasurementFactory(indicator=indicator, period_start=date(2023, 1, 1), is_example=True)
    login(client, world.users["council_member"])
    rows = results(client.get(reverse("measurement-list"), {"indicator": indicator.pk}))
    assert [(row["period"], row["is_example_data"]) for row in rows] == [
        ("2022", False),
        ("2023", True),
    ]
    detail = client.get(reverse("indicator-detail", args=[indicator.pk])).json()
    assert detail["current_status"]["has_example_data"] is True
    assert detail["current_status"]["latest"]["is_example_data"] is True


def test_measurement_filters(client, world):
    indicator = world.objects["a"]["indicator"]
    MeasurementFactory(indicator=indicator, period_type="quarter", period_start=date(2023, 4, 1))
    login(client, world.users["programme_manager"])
    url = reverse("measurement-list")
    assert len(results(client.get(url, {"indicator": indicator.pk}))) == 2
    quarters = results(client.get(url, {"indicator": indicator.pk, "period_type": "quarter"}))
    assert [row["period"] for row in quarters] == ["2023-Q2"]
    assert results(client.get(url, {"area": "GM9102"})) == []
    assert len(results(client.get(url, {"area": "gm9101"}))) == 3  # plan-a and concept-a
    assert client.get(url, {"period_type": "week"}).status_code == 400
    # Another municipality's measurements never show, whatever the filter.
    login(client, world.users["other_municipality"])
    assert results(client.get(url, {"indicator": indicator.pk})) == []


def test_interpretation_refuses_empty_text_and_bad_period(client, world):
    indicator = world.objects["a"]["indicator"]
    login(client, world.users["programme_manager"])
    url = reverse("interpretation-list")
    empty = client.post(
        url,
        {"indicator": indicator.pk, "period": "2023", "text": "  "},
        content_type="application/json",
    )
    assert empty.status_code == 400
    assert empty.json()["text"] == ["Schrijf een duiding."]
    bad = client.post(
        url,
        {"indicator": indicator.pk, "period": "vorig jaar", "text": "Duiding"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "geen geldige periode" in bad.json()["period"][0]
    assert not Interpretation.objects.exists()
    created = client.post(
        url,
        {"indicator": indicator.pk, "period": "2023-H1", "text": "Duiding"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["period_label"] == "1e helft 2023"
    rows = results(client.get(url, {"indicator": indicator.pk}))
    assert [row["text"] for row in rows] == ["Duiding"]


def test_indicator_filters(client, world):
    login(client, world.users["programme_manager"])
    url = reverse("indicator-list")
    assert {row["slug"] for row in results(client.get(url))} == {"inbraken-a", "inbraken-draft_a"}
    assert [row["slug"] for row in results(client.get(url, {"plan": "plan-a"}))] == ["inbraken-a"]
    theme = world.objects["draft_a"]["theme"]
    assert [row["slug"] for row in results(client.get(url, {"theme": theme.pk}))] == [
        "inbraken-draft_a"
    ]
    login(client, world.users["council_member"])
    assert [row["slug"] for row in results(client.get(url))] == ["inbraken-a"]


def test_lists_use_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    base = world.objects["a"]["indicator"]
    for _ in range(20):
        indicator = IndicatorFactory(plan=world.plan_a, theme=base.theme, area=base.area)
        TargetFactory(indicator=indicator)
        for year in (2022, 2023, 2024):
            MeasurementFactory(indicator=indicator, period_start=date(year, 1, 1))
        Interpretation.objects.create(
            indicator=indicator, period_type="year", period_start=date(2023, 1, 1), text="Duiding"
        )
    IndicatorFactory(
        plan=world.plan_a, theme=base.theme, area=base.area, numerator=base, denominator=indicator
    )
    assert Indicator.objects.filter(plan=world.plan_a).count() == 22
    login(client, world.users["programme_manager"])
    for name in ("indicator-list", "measurement-list", "interpretation-list"):
        with django_assert_max_num_queries(8):
            response = client.get(reverse(name))
        assert response.status_code == 200
    with django_assert_max_num_queries(8):
        rows = results(client.get(reverse("indicator-list"), {"plan": "plan-a"}))
    assert len(rows) == 22
    assert all(row["current_status"]["status"] for row in rows)


def test_invalid_theme_filter_is_a_400(client, world):
    login(client, world.users["programme_manager"])
    response = client.get(reverse("indicator-list"), {"theme": "abc"})
    assert response.status_code == 400
    assert "nummer van een thema" in response.json()["theme"][0]


def _signal_category_url(indicator):
    return reverse("indicator-signal-category", args=[indicator.pk])


def test_signal_category_matrix(client, world):
    """Who changes the indicator on its page ties it to a meldpunt category here."""
    indicator = world.objects["a"]["indicator"]
    drugs = CategoryFactory(organisation=world.municipality_a, slug="drugs", name="Drugs")
    assert_matrix(
        client,
        world,
        "POST",
        _signal_category_url(indicator),
        expect(
            200,
            anonymous=401,
            action_lead=403,
            partner_contact=404,
            council_member=403,
            other_municipality=404,
        ),
        data={"signal_category": drugs.pk},
        content_type="application/json",
    )
    indicator.refresh_from_db()
    assert indicator.signal_category == drugs


def test_signal_category_is_read_and_written_through_the_service(client, world):
    indicator = world.objects["a"]["indicator"]
    own = CategoryFactory(organisation=world.municipality_a, slug="fraude", name="Fraude")
    foreign = CategoryFactory(organisation=world.municipality_b, slug="drugs", name="Drugs B")
    login(client, world.users["programme_manager"])
    url = _signal_category_url(indicator)
    detail = reverse("indicator-detail", args=[indicator.pk])
    row = client.get(detail).json()
    assert (row["signal_category"], row["signal_category_name"]) == (None, None)

    # The page's rule and message: only a category of the plan's own municipality.
    response = client.post(url, {"signal_category": foreign.pk}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "signal_category": ["Kies een categorie van het meldpunt van Gemeente A."]
    }
    response = client.post(url, {"signal_category": 10**12}, content_type="application/json")
    assert response.json() == {"signal_category": ["Kies een categorie uit de lijst."]}
    indicator.refresh_from_db()
    assert indicator.signal_category is None

    response = client.post(url, {"signal_category": own.pk}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["signal_category"], response.json()["signal_category_name"]) == (
        own.pk,
        "Fraude",
    )
    listed = results(client.get(reverse("indicator-list"), {"plan": "plan-a"}))
    assert [row["signal_category"] for row in listed] == [own.pk]
    assert ChangeLogEntry.objects.filter(
        content_type__model="indicator", object_id=str(indicator.pk)
    ).exists()

    response = client.post(url, {"signal_category": None}, content_type="application/json")
    assert response.status_code == 200
    indicator.refresh_from_db()
    assert indicator.signal_category is None


def test_signal_category_only_for_a_count_indicator(client, world):
    indicator = world.objects["a"]["indicator"]
    Indicator.objects.filter(pk=indicator.pk).update(unit=Indicator.Unit.PERCENTAGE)
    own = CategoryFactory(organisation=world.municipality_a, slug="fraude", name="Fraude")
    login(client, world.users["programme_manager"])
    response = client.post(
        _signal_category_url(indicator),
        {"signal_category": own.pk},
        content_type="application/json",
    )
    assert response.json() == {
        "signal_category": ["Alleen een indicator met de eenheid 'aantal' kan meldingen tellen."]
    }
