"""The JSON plan exchange format: checked as a whole with Dutch messages, then written."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from openveiligheid.actions.models import Action
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.imports.plans.structured import check_structured_plan, import_structured_plan
from openveiligheid.indicators.models import Interpretation
from tests.indicators.factories import AreaFactory
from tests.organisations.factories import OrganisationFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    area = AreaFactory()
    return OrganisationFactory(name=area.name, cbs_code=area.code)


def _plan(**extra):
    return {
        "title": "Integraal veiligheidsplan Voorbeeld 2023-2026",
        "period_start": 2023,
        "period_end": 2026,
        "themes": [
            {
                "name": "Jeugd",
                "topics": [{"name": "Overlast"}],
                "goals": [{"text": "Minder overlast.", "topic": "Overlast"}],
                "indicators": [
                    {
                        "name": "Doorverwijzingen naar Halt",
                        "frequency": "half_year",
                        "start_year": 2022,
                        "start_period": "2022-H1",
                        "start_value": 43,
                    },
                    {
                        "name": "Preventiecampagnes",
                        "remarks": [{"period": "2022", "text": "Vanwege corona geen voorlichting"}],
                    },
                    {"name": "Ervaren overlast", "unit": "percentage", "frequency": "two_years"},
                ],
                "actions": [
                    {"description": "Groepsscans uitvoeren.", "lead": "Politie"},
                    {"description": "Voorlichting op scholen."},
                ],
            }
        ],
        **extra,
    }


def test_a_valid_plan_has_no_errors():
    assert check_structured_plan(_plan()) == []


def test_every_error_is_named_with_its_place_in_dutch():
    data = _plan(period_end=2020, kind="jaarplan")
    theme = data["themes"][0]
    theme["indicators"][0]["unit"] = "stuks"
    theme["indicators"][0]["start_period"] = "2022-H3"
    theme["goals"][0]["topic"] = "Drugs"
    theme["actions"][0]["description"] = ""
    errors = check_structured_plan(data)
    assert "plan.period_end: het eindjaar ligt voor het beginjaar." in errors
    assert any(e.startswith("plan.kind: onbekende waarde 'jaarplan'") for e in errors)
    assert any(e.startswith("plan.themes[0].indicators[0].unit: onbekende waarde") for e in errors)
    assert any(e.startswith("plan.themes[0].indicators[0].start_period: ") for e in errors)
    assert "plan.themes[0].goals[0].topic: 'Drugs' is geen subthema van dit thema." in errors
    assert "plan.themes[0].actions[0].description: is verplicht." in errors


def test_refuses_before_writing_anything(owner):
    data = _plan()
    data["themes"][0]["indicators"][0]["start_value"] = "veel"
    with pytest.raises(ValidationError) as error:
        import_structured_plan(data, owner=owner)
    assert "plan.themes[0].indicators[0].start_value: 'veel' is geen getal." in error.value.messages
    assert not ChangeLogEntry.objects.exists()


def test_refuses_data_of_another_municipality(owner):
    data = _plan(owner={"cbs_code": "GM0200"})
    with pytest.raises(ValidationError) as error:
        import_structured_plan(data, owner=owner)
    assert error.value.messages == [
        f"plan.owner.cbs_code: de gegevens horen bij GM0200, niet bij {owner.name}."
    ]


def test_imports_plan_with_periods_remarks_and_actions(owner):
    police = PartnerFactory(name="Politie", aliases=["politie oost-nederland"])
    plan = import_structured_plan(_plan(), owner=owner, slug="voorbeeld")
    assert plan.slug == "voorbeeld" and plan.owner == owner
    halt = plan.indicators.get(name="Doorverwijzingen naar Halt")
    start = halt.measurements.get()
    assert (start.period.code, start.value, start.is_example) == ("2022-H1", Decimal("43"), False)
    survey = plan.indicators.get(name="Ervaren overlast")
    assert survey.frequency == "two_years" and survey.period_type == "year"
    remark = Interpretation.objects.get(indicator__name="Preventiecampagnes")
    assert (remark.period.code, remark.text) == ("2022", "Vanwege corona geen voorlichting")
    actions = Action.objects.filter(action_plan__plan=plan).order_by("order", "id")
    assert [a.lead_organisation for a in actions] == [police, owner]
    # No timing in the data, none invented.
    assert [a.due_text for a in actions] == ["", ""]
    assert ChangeLogEntry.objects.filter(owner_organisation=owner.pk).exists()
    with pytest.raises(ValidationError) as error:
        import_structured_plan(_plan(), owner=owner, slug="voorbeeld")
    assert error.value.messages == ["plan.slug: er bestaat al een plan 'voorbeeld'."]


def test_reporting_cycle_and_programme_totals(owner):
    data = _plan(
        reporting_cycle=[
            {"report_type": "veiligheidsbrief", "interval_months": 6, "first_due": "2023-06-30"},
            {"report_type": "tussentijdse_evaluatie", "first_due": "2024-12-31"},
        ],
        programme={
            "title": "Programma",
            "budget_lines": [
                {"item": "Claim", "amounts": {"2023": 100}, "section": "Claims"},
                {"item": "Claim 2", "amounts": {"2024": 50}, "section": "Claims"},
            ],
            "table_totals": {"Claims": 160},
            "funding_overview": {"rows": [{"source": "MPB", "amount": 150}], "printed_total": 150},
        },
    )
    plan = import_structured_plan(data, owner=owner)
    reports = list(plan.planned_reports.values_list("report_type", "interval_months", "first_due"))
    assert reports == [
        ("veiligheidsbrief", 6, date(2023, 6, 30)),
        ("tussentijdse_evaluatie", None, date(2024, 12, 31)),
    ]
    from openveiligheid.programme.selectors import budget_tables

    (table,) = budget_tables(plan.programme)
    assert table["grand_total"] == Decimal("150") and table["stated_total"] == Decimal("160")
    assert table["stated_difference"] == Decimal("10")
    assert plan.programme.funding_overview["printed_total"] == 150


def test_refuses_a_bad_reporting_cycle():
    data = _plan(
        reporting_cycle=[{"report_type": "kwartaalbrief", "interval_months": 0, "first_due": "x"}]
    )
    errors = check_structured_plan(data)
    assert any(
        e.startswith("plan.reporting_cycle[0].report_type: onbekende waarde") for e in errors
    )
    assert "plan.reporting_cycle[0].interval_months: verwacht een aantal maanden (1 of meer)." in (
        errors
    )
    assert "plan.reporting_cycle[0].first_due: 'x' is geen datum; schrijf JJJJ-MM-DD." in errors
