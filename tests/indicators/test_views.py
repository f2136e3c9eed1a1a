import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from openveiligheid.areas.models import Area
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.indicators import services
from openveiligheid.indicators.models import Indicator, Interpretation, Measurement, Target
from tests.indicators.factories import (
    AreaFactory,
    IndicatorFactory,
    MeasurementFactory,
    TargetFactory,
)
from tests.permissions import PAGE, assert_matrix, expect, login

pytestmark = pytest.mark.django_db

LAST_YEAR = date.today().year - 1


def detail_url(indicator):
    return reverse("indicators:detail", args=[indicator.plan.slug, indicator.slug])


def post_url(indicator):
    return reverse("indicators:add-measurement", args=[indicator.plan.slug, indicator.slug])


def download_url(indicator, fmt):
    return reverse("indicators:download", args=[indicator.plan.slug, indicator.slug, fmt])


# --- permissions ---------------------------------------------------------------------------


def test_detail_and_download_matrix(client, world):
    indicator = world.objects["a"]["indicator"]
    for url in (
        detail_url(indicator),
        download_url(indicator, "csv"),
        download_url(indicator, "xlsx"),
    ):
        assert_matrix(client, world, "GET", url, PAGE.read_published_a)
    draft = world.objects["draft_a"]["indicator"]
    for url in (detail_url(draft), download_url(draft, "csv")):
        assert_matrix(client, world, "GET", url, PAGE.read_draft_a)


def test_add_measurement_matrix(client, world):
    indicator = world.objects["a"]["indicator"]
    # Anonymous users go to the login page, the allowed (the safety adviser advises this theme)
    # back to the indicator page.
    expected = expect(
        302, action_lead=403, partner_contact=404, council_member=403, other_municipality=404
    )
    before = ChangeLogEntry.objects.count()
    assert_matrix(
        client,
        world,
        "POST",
        post_url(indicator),
        expected,
        data={"period": "2023", "value": "110"},
    )
    assert list(
        Measurement.objects.filter(indicator=indicator).values_list("period_start", "value")
    ) == [(date(2022, 1, 1), Decimal("120")), (date(2023, 1, 1), Decimal("110"))]
    # One write (the first allowed user); the others found the same value.
    assert ChangeLogEntry.objects.count() == before + 1


def test_add_measurement_on_draft_plan(client, world):
    indicator = world.objects["draft_a"]["indicator"]
    # The safety adviser is not an adviser of this theme: may see the draft, may not record in it.
    expected = expect(
        404,
        anonymous=302,
        administrator=302,
        programme_manager=302,
        safety_adviser=403,
        action_lead=403,
    )
    assert_matrix(
        client, world, "POST", post_url(indicator), expected, data={"period": "2023", "value": "1"}
    )


def test_anonymous_post_goes_to_login_and_writes_nothing(client, world):
    indicator = world.objects["a"]["indicator"]
    response = client.post(post_url(indicator), {"period": "2023", "value": "1"})
    assert response["Location"].startswith(reverse("login"))
    assert Measurement.objects.filter(indicator=indicator).count() == 1


def test_get_on_the_post_url_is_not_allowed(client, world):
    login(client, world.users["programme_manager"])
    assert client.get(post_url(world.objects["a"]["indicator"])).status_code == 405


def test_unknown_download_format_is_not_found(client, world):
    login(client, world.users["programme_manager"])
    indicator = world.objects["a"]["indicator"]
    url = detail_url(indicator) + "download.pdf"
    assert client.get(url).status_code == 404


def test_only_users_who_may_record_see_the_form(client, world):
    indicator = world.objects["a"]["indicator"]
    for role, sees in (
        ("programme_manager", True),
        ("safety_adviser", True),
        ("action_lead", False),
        ("council_member", False),
    ):
        login(client, world.users[role])
        html = client.get(detail_url(indicator)).content.decode()
        assert ("Meting toevoegen" in html) is sees, role
        assert (post_url(indicator) in html) is sees, role


# --- page content --------------------------------------------------------------------------


@pytest.fixture
def grade(world):
    indicator = IndicatorFactory(
        plan=world.plan_a,
        theme=world.objects["a"]["theme"],
        area=world.objects["a"]["indicator"].area,
        name="Rapportcijfer veiligheid",
        slug="rapportcijfer",
        unit=Indicator.Unit.GRADE,
        direction=Indicator.Direction.UP,
        definition="Gemiddeld rapportcijfer voor de veiligheid in de eigen buurt.",
    )
    TargetFactory(
        indicator=indicator, comparison=Target.Comparison.AT_LEAST, value="7.5", text="7,5 of hoger"
    )
    services.record_measurement(
        indicator=indicator, period="2022", value="7.1", actor=world.users["programme_manager"]
    )
    return indicator


def test_detail_shows_definition_target_chart_and_measurements(client, world, grade):
    MeasurementFactory(
        indicator=grade, period_start=date(LAST_YEAR, 1, 1), value="7.6", is_example=True
    )
    services.write_interpretation(
        indicator=grade,
        period=str(LAST_YEAR),
        text="De buurtaanpak werpt vruchten af.",
        actor=world.users["safety_adviser"],
    )
    login(client, world.users["council_member"])
    html = client.get(detail_url(grade)).content.decode()
    assert "Gemiddeld rapportcijfer" in html
    assert "rapportcijfer" in html and "hoger is beter" in html and "Politie" in html
    assert "7,5 of hoger" in html and "7,1 (2022)" in html
    assert "Laatste waarde: <strong>7,6</strong>" in html
    assert "Doel gehaald" in html
    assert "voorbeelddata" in html
    # The chart: an accessible SVG with start and target lines and a legend for example data.
    assert 'class="ov-line-chart" role="img"' in html
    assert "Startwaarde 2022: 7,1" in html and "Streefwaarde: 7,5" in html
    assert ">Voorbeelddata</text>" in html
    assert "De buurtaanpak werpt vruchten af." in html
    assert download_url(grade, "csv") in html and download_url(grade, "xlsx") in html
    assert "Wijzigingen" in html


def test_valid_post_saves_measurement_and_duiding_and_changes_the_status(client, world, grade):
    login(client, world.users["safety_adviser"])
    html = client.get(detail_url(grade)).content.decode()
    assert "Geen recente gegevens" in html  # only the start value so far
    response = client.post(
        post_url(grade),
        {
            "period": str(LAST_YEAR),
            "value": "7,6",
            "note": "Bewonerspanel",
            "interpretation": "Meer buurtpreventie.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(grade) + "#metingen"
    measurement = Measurement.objects.get(indicator=grade, period_start=date(LAST_YEAR, 1, 1))
    assert measurement.value == Decimal("7.6")
    assert measurement.entered_by == world.users["safety_adviser"]
    assert measurement.area == grade.area
    assert Interpretation.objects.get(indicator=grade).text == "Meer buurtpreventie."
    html = client.get(response["Location"]).content.decode()
    assert f"Meting {LAST_YEAR} opgeslagen: 7,6." in html
    assert f"Duiding voor {LAST_YEAR} opgeslagen." in html
    assert "Doel gehaald" in html
    assert "Bewonerspanel" in html and "Meer buurtpreventie." in html
    # The change log lists the new measurement and duiding.
    assert html.count("aangemaakt") >= 2


def test_thousands_dot_is_understood(client, world):
    indicator = world.objects["a"]["indicator"]
    login(client, world.users["programme_manager"])
    client.post(post_url(indicator), {"period": "2023-Q2", "value": "23.555"})
    measurement = Measurement.objects.get(indicator=indicator, period_type="quarter")
    assert measurement.value == Decimal("23555")
    html = client.get(detail_url(indicator)).content.decode()
    assert "23.555" in html and "2e kwartaal 2023" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"period": "2024", "value": "abc"}, "value", "'abc' is geen getal."),
        (
            {"period": "2024-13", "value": "7,6"},
            "period",
            "'2024-13': de maand moet tussen 1 en 12 liggen.",
        ),
        ({"period": "", "value": "7"}, "period", "Vul de periode in"),
        ({"period": "2024", "value": ""}, "value", "Vul een waarde in."),
    ],
)
def test_invalid_input_gives_a_dutch_message_and_keeps_what_was_typed(
    client, world, grade, data, field, message
):
    login(client, world.users["programme_manager"])
    before = (Measurement.objects.count(), ChangeLogEntry.objects.count())
    response = client.post(post_url(grade), {**data, "note": "getypt"})
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert message in html
    assert f'id="id_{field}_error"' in html
    for name in ("period", "value"):
        if data[name]:
            assert f'value="{data[name]}"' in html
    assert ">\ngetypt</textarea>" in html
    assert (Measurement.objects.count(), ChangeLogEntry.objects.count()) == before


def test_measurement_for_a_district(client, world):
    indicator = world.objects["a"]["indicator"]
    district = AreaFactory(
        code="WK910101", name="Wijk Centrum", level=Area.Level.DISTRICT, parent=indicator.area
    )
    login(client, world.users["programme_manager"])
    html = client.get(detail_url(indicator)).content.decode()
    assert "Gemeente A (standaard)" in html and "Wijk Centrum" in html
    client.post(post_url(indicator), {"period": "2023", "value": "12", "area": district.pk})
    measurement = Measurement.objects.get(indicator=indicator, area=district)
    assert measurement.value == 12
    # The status follows the indicator's own area, so the district value does not replace it.
    assert "Wijk Centrum" in client.get(detail_url(indicator)).content.decode()


def test_percentage_above_100_is_refused(client, world):
    share = IndicatorFactory(
        plan=world.plan_a,
        theme=world.objects["a"]["theme"],
        area=world.objects["a"]["indicator"].area,
        unit=Indicator.Unit.PERCENTAGE,
    )
    login(client, world.users["programme_manager"])
    response = client.post(post_url(share), {"period": "2024", "value": "120"})
    assert response.status_code == 200
    assert "Een percentage ligt tussen 0 en 100." in response.content.decode()
    assert 'value="120"' in response.content.decode()
    assert not Measurement.objects.filter(indicator=share).exists()


def test_measurement_and_duiding_are_one_transaction(client, world, grade, monkeypatch):
    def fail(**kwargs):
        raise ValidationError({"text": "De duiding kon niet worden opgeslagen."})

    monkeypatch.setattr(services, "write_interpretation", fail)
    login(client, world.users["programme_manager"])
    response = client.post(
        post_url(grade), {"period": "2024", "value": "7,6", "interpretation": "Tekst"}
    )
    assert response.status_code == 200
    assert "De duiding kon niet worden opgeslagen." in response.content.decode()
    assert not Measurement.objects.filter(indicator=grade, period_start=date(2024, 1, 1)).exists()


def test_derived_indicator_has_no_form_and_refuses_posts(client, world):
    plan, theme = world.plan_a, world.objects["a"]["theme"]
    area = world.objects["a"]["indicator"].area
    crimes = IndicatorFactory(plan=plan, theme=theme, area=area, name="Misdrijven")
    people = IndicatorFactory(plan=plan, theme=theme, area=area, name="Inwoners")
    rate = IndicatorFactory(
        plan=plan,
        theme=theme,
        area=area,
        name="Misdrijven per 1.000 inwoners",
        unit=Indicator.Unit.RATE,
        numerator=crimes,
        denominator=people,
        per=1000,
    )
    MeasurementFactory(indicator=crimes, period_start=date(2022, 1, 1), value=230)
    MeasurementFactory(indicator=people, period_start=date(2022, 1, 1), value=115000)
    login(client, world.users["programme_manager"])
    html = client.get(detail_url(rate)).content.decode()
    assert "wordt berekend" in html
    assert "Meting toevoegen" not in html
    assert "2,00" in html or ">2<" in html
    assert detail_url(crimes) in html
    response = client.post(post_url(rate), {"period": "2023", "value": "2"})
    assert response.status_code == 200
    assert not Measurement.objects.filter(indicator=rate).exists()
    rows = list(
        csv.reader(
            io.StringIO(client.get(download_url(rate, "csv")).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[1][:2] == ["2022", "2"]
    assert rows[1][3] == "Berekend"


def test_page_shows_changes_made_without_a_user(client, world, grade):
    services.record_measurement(indicator=grade, period="2023", value="7.3")
    login(client, world.users["programme_manager"])
    html = client.get(detail_url(grade)).content.decode()
    assert "systeem" in html


# --- downloads -----------------------------------------------------------------------------


@pytest.fixture
def series(world, grade):
    actor = world.users["programme_manager"]
    services.record_measurement(
        indicator=grade, period="2023", value="7.6", note="Bewonerspanel; 1.200", actor=actor
    )
    services.record_measurement(
        indicator=grade, period="2024", value="7.8", is_example=True, actor=actor
    )
    count = world.objects["a"]["indicator"]
    services.record_measurement(indicator=count, period="2023", value=23555, actor=actor)
    return grade, count


def test_csv_is_dutch_excel_friendly(client, world, series):
    grade, count = series
    login(client, world.users["council_member"])
    response = client.get(download_url(grade, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="plan-a-rapportcijfer.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Periode", "Waarde", "Gebied", "Bron", "Voorbeelddata", "Toelichting"],
        ["2022", "7,1", "Gemeente A", "Politie", "nee", ""],
        ["2023", "7,6", "Gemeente A", "Politie", "nee", "Bewonerspanel; 1.200"],
        ["2024", "7,8", "Gemeente A", "Politie", "ja", ""],
    ]
    counts = client.get(download_url(count, "csv")).content.decode("utf-8-sig")
    assert "2023;23555;" in counts


def test_xlsx_has_numbers_and_the_same_columns(client, world, series):
    grade, _count = series
    login(client, world.users["programme_manager"])
    response = client.get(download_url(grade, "xlsx"))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Periode", "Waarde", "Gebied", "Bron", "Voorbeelddata", "Toelichting")
    assert rows[1][:5] == ("2022", 7.1, "Gemeente A", "Politie", "nee")
    assert rows[3][1] == 7.8 and rows[3][4] == "ja"
    assert "Rapportcijfer veiligheid" in [
        c for row in workbook.worksheets[1].iter_rows(values_only=True) for c in row
    ]


@pytest.mark.parametrize(
    "note", ['=HYPERLINK("http://x.invalid","x")', "=cmd|' /C calc'!A0", "@A1"]
)
def test_downloads_never_carry_a_live_formula(client, world, grade, note):
    services.record_measurement(
        indicator=grade,
        period="2023",
        value="7.2",
        note=note,
        actor=world.users["programme_manager"],
    )
    login(client, world.users["programme_manager"])
    text = client.get(download_url(grade, "csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[-1][-1] == "'" + note
    workbook = load_workbook(io.BytesIO(client.get(download_url(grade, "xlsx")).content))
    cells = [row for row in workbook.worksheets[0].iter_rows() if row[0].value == "2023"][0]
    assert cells[-1].value == note and cells[-1].data_type == "s"
