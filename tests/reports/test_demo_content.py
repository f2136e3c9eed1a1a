"""The demo's veiligheidsbrief for 2024-H1 shows the plan's figures in the right rows."""

import pytest

from openveiligheid.reports import services
from openveiligheid.reports.selectors import report_content

pytestmark = pytest.mark.django_db


def _rows(content):
    return {row["name"]: row for theme in content["themes"] for row in theme["indicators"]} | {
        row["name"]: row for row in content["plan_indicators"]
    }


@pytest.fixture
def content(ivp):
    report = services.create_report(plan=ivp, report_type="veiligheidsbrief", period="2024-H1")
    return report_content(report)


def test_start_values_of_the_plan(content):
    rows = _rows(content)
    case_meeting = rows["Aantal casussen lokaal casusoverleg"]
    assert (case_meeting["start"]["display"], case_meeting["start"]["period_label"]) == (
        "46",
        "2022",
    )
    assert rows["Waardebeslag"]["start"]["display"] == "€ 17.347.824"
    nuisance = rows["Sociale overlast ‘percentage dat veel overlast ervaart’"]
    assert (nuisance["start"]["display"], nuisance["start"]["period_label"]) == ("9,4%", "2021")
    assert nuisance["target"] == "niet meer dan 9%"
    assert rows["Totaal aantal incidenten sociale kwaliteit"]["start"]["display"] == "4.349"


def test_this_period_is_never_after_the_report_period(content):
    for row in _rows(content).values():
        if row["current"] is not None:
            assert row["current"]["period"] <= "2024-H1" or row["current"]["period"] == "2024"


def test_change_is_judged_by_the_direction_and_no_status_without_target_or_direction(content):
    rows = _rows(content)
    assert rows["Aantal casussen lokaal casusoverleg"]["status"] is None
    assert rows["Aantal casussen lokaal casusoverleg"]["change_assessment"] == ""
    total = rows["Totaal aantal incidenten sociale kwaliteit"]
    assert (total["change_symbol"], total["change_assessment"]) == ("↓", "gunstig")
    victims = rows["Ervaren slachtofferschap burgerpanel"]
    assert (victims["change_symbol"], victims["change_assessment"]) == ("↑", "ongunstig")
    assert victims["status"] == "off_course"


def test_example_data_is_marked(content):
    assert content["has_example_data"] is True
    current = _rows(content)["Aantal casussen lokaal casusoverleg"]["current"]
    assert current["is_example"] is True


def test_programme_budget_with_printed_and_computed_totals(content):
    programme = content["programme"]
    claims = next(t for t in programme["budget_tables"] if t["section"] == "Claims MPB (IVP)")
    assert (claims["computed_total"], claims["printed_total"], claims["difference"]) == (
        "€ 6.794.800",
        "€ 6.934.800",
        "€ 140.000",
    )
    assert len(programme["assignments"]) == 9
    own = programme["budget_tables"][0]
    assert (own["years"][0], own["totals"][0], own["printed_year_totals"][0]) == (
        2023,
        "€ 1.273.000",
        "€ 1.270.000",
    )
    assert own["year_differences"] == [
        "2023: € 1.270.000 volgens het document, € 1.273.000 berekend"
    ]


def test_the_demo_safety_analysis(ivp):
    report = services.create_report(plan=ivp, report_type="veiligheidsanalyse", period="2024")
    analysis = report_content(report)["analysis"]
    assert analysis["years"] == [2021, 2022, 2023, 2024]
    trends = {row["name"]: row for group in analysis["trends"] for row in group["indicators"]}
    case_meeting = trends["Aantal casussen lokaal casusoverleg"]["values"]
    assert case_meeting[1] == {"display": "46", "period_label": "", "is_example": False}
    # Apeldoorn beside the 342 municipalities, its size class and the Netherlands (real data).
    rows = {row["name"]: row for row in analysis["comparisons"]}
    crimes = rows["Geregistreerde misdrijven per 1.000 inwoners"]
    assert (crimes["own"], crimes["national"], crimes["period_label"]) == ("41,56", "44,9", "2023")
    assert crimes["size_class_label"] == "Gemeenten met 150.000 tot 250.000 inwoners"
    assert crimes["rank"].endswith("van 342")
    # The BBV indicators are always listed, also before their figures are imported.
    assert "Winkeldiefstallen per 1.000 inwoners" in rows
    assert analysis["priorities"]
    for point in analysis["priorities"]:
        assert all(
            "verslechterd" in reason or "niet op koers" in reason for reason in point["reasons"]
        )
