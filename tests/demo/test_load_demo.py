"""`load-demo` puts the documents and the open data into the database, idempotently."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from openveiligheid.actions.models import Action
from openveiligheid.indicators.models import Indicator, Measurement
from openveiligheid.indicators.selectors import indicator_status
from openveiligheid.plans.models import Plan
from openveiligheid.programme.selectors import budget_differences, budget_tables, budget_totals
from tests.demo.helpers import remove_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    """Load once for the module (it takes seconds); each test still runs in its own transaction."""
    output = StringIO()
    with django_db_blocker.unblock():
        call_command("load-demo", stdout=output)
    yield output.getvalue()
    with django_db_blocker.unblock():
        remove_demo()


@pytest.fixture
def demo(loaded_demo, db):
    return loaded_demo


def test_prints_accounts_and_plans(demo):
    assert "Geladen: apeldoorn-ivp-2023-2026" in demo
    assert "programmamanager" in demo and "wachtwoord" in demo


def test_is_idempotent(demo):
    counts = (Plan.objects.count(), Action.objects.count(), Measurement.objects.count())
    output = StringIO()
    call_command("load-demo", stdout=output)
    assert "Bestond al (ongewijzigd): apeldoorn-ivp-2023-2026" in output.getvalue()
    assert (Plan.objects.count(), Action.objects.count(), Measurement.objects.count()) == counts


def test_three_plans_with_their_slugs(demo):
    assert set(Plan.objects.values_list("slug", flat=True)) == {
        "apeldoorn-ivp-2023-2026",
        "apeldoorn-uitvoeringsplan-2017-2018",
        "oude-ijsselstreek-ivb-2023-2026",
    }


def test_apeldoorn_headline_figures(demo):
    plan = Plan.objects.get(slug="apeldoorn-ivp-2023-2026")
    assert plan.owner.cbs_code == "GM0200"
    headline = {i.name: i for i in plan.indicators.filter(is_headline=True)}
    grade = next(i for name, i in headline.items() if "rapportcijfer" in name.lower())
    start = grade.measurements.get(period_start__year=2022, is_example=False)
    assert start.value == Decimal("7.5")
    assert grade.target.comparison == "gte" and grade.target.value == Decimal("7.6")
    values = {
        m.value
        for m in Measurement.objects.filter(
            indicator__plan=plan, indicator__is_headline=True, period_start__year=2022
        )
    }
    assert {Decimal("60"), Decimal("23555"), Decimal("5593"), Decimal("7081")} <= values


def test_apeldoorn_themes_and_programme(demo):
    plan = Plan.objects.get(slug="apeldoorn-ivp-2023-2026")
    assert plan.themes.filter(kind="priority").count() == 4
    assert plan.themes.filter(kind="strategic").count() == 2
    programme = plan.programme
    assert programme.pillars.count() == 3
    assignments = [a for p in programme.pillars.all() for a in p.assignments.all()]
    assert len(assignments) == 9
    assert all(a.what and a.goal and a.result and a.who and a.how and a.when for a in assignments)
    # The programme document prints 1.270.000 for 2023 while its lines add up to 1.273.000:
    # both are kept and the difference is reported rather than hidden.
    assert programme.stated_budget_totals == {"2023": 1270000}
    assert budget_totals(programme)[2023] == Decimal("1273000")
    assert budget_differences(programme) == {2023: (Decimal("1270000"), Decimal("1273000"))}
    tables = {table["section"]: table for table in budget_tables(programme)}
    assert list(tables) == ["Financiën programmaplan", "Claims MPB (IVP)"]
    claims = tables["Claims MPB (IVP)"]
    assert len(claims["rows"]) == 7 and claims["years"] == [2023, 2024, 2025, 2026]
    # 002 prints 6.934.800 as the total of the claims; its seven rows add up to 6.794.800.
    assert claims["grand_total"] == Decimal("6794800")


def test_execution_plan_actions_parsed_with_due_expressions(demo):
    actions = Action.objects.filter(action_plan__plan__slug="apeldoorn-uitvoeringsplan-2017-2018")
    # The 229 actions of the document (227 before rows 98 and 189 held two dated actions each)
    # and nothing invented (the example calendar adds no actions).
    assert actions.filter(is_unplanned=False).count() == 229
    assert not actions.filter(is_unplanned=True).exists()
    assert not actions.filter(due_understood=False).exists()
    team = actions.filter(subject="Team woonoverlast").order_by("order")
    assert team.count() == 2
    assert [a.due_text for a in team] == ["Doorlopend", "Eind 2017"]
    first = team[0]
    assert first.lead_organisation.cbs_code == "GM0200" and first.lead_unit.name == "V&R"
    assert "Politie" in set(first.partners.values_list("name", flat=True))
    assert str(team[1].due_end) == "2017-12-31"
    # Loaded through the plan importer users get: continuous actions span 2017-2018, and a
    # due cell with several dates gives each action its own ("Casustafels BIBOB" continuous).
    plan = Plan.objects.get(slug="apeldoorn-uitvoeringsplan-2017-2018")
    assert (plan.owner.cbs_code, plan.kind, plan.status) == ("GM0200", "execution_plan", "adopted")
    assert str(first.due_end) == "2018-12-31" and first.due_recurrence == "continuous"
    bibob = actions.filter(subject="BIBOB").order_by("order")
    assert [(a.due_text, str(a.due_end)) for a in bibob] == [
        ("Eerste kwartaal 2017", "2017-03-31"),
        ("Eerste kwartaal 2017", "2017-03-31"),
        ("Eerste kwartaal 2017", "2017-03-31"),
        ("", "None"),
        ("Doorlopend", "2018-12-31"),
    ]
    monitoring = actions.get(
        description__startswith="Doorlopend monitoren van het aantal overvallen"
    )
    assert (monitoring.due_recurrence, str(monitoring.due_end)) == ("continuous", "2018-12-31")


def test_oude_ijsselstreek_priorities_and_actions(demo):
    plan = Plan.objects.get(slug="oude-ijsselstreek-ivb-2023-2026")
    assert plan.owner.cbs_code == "GM1509"
    assert plan.themes.count() == 3
    assert Action.objects.filter(action_plan__plan=plan).count() == 19


def test_real_police_figures_and_derived_rate(demo):
    plan = Plan.objects.get(slug="apeldoorn-ivp-2023-2026")
    crimes = plan.indicators.get(name__contains="47013NED")
    by_year = {
        m.period_start.year: m.value for m in crimes.measurements.filter(area__code="GM0200")
    }
    assert by_year == {2022: Decimal("7081"), 2023: Decimal("6991")}
    assert crimes.measurements.filter(area__code="GM0232").exists()  # neighbour Epe
    rate = plan.indicators.get(name="Geregistreerde misdrijven per 1.000 inwoners")
    status = indicator_status(rate)
    # 6.991 crimes / 168.225 inhabitants (CBS 2023) * 1.000
    assert [(p.period.code, p.value) for p in status.series] == [("2023", Decimal("41.56"))]
    assert not Measurement.objects.filter(indicator=rate).exists()


def test_generated_values_are_flagged_as_example_data(demo):
    generated = Measurement.objects.filter(period_start__year__gte=2023, source__kind="survey")
    assert generated.exists() and not generated.filter(is_example=False).exists()
    assert Indicator.objects.filter(measurements__is_example=True).exists()


def test_the_demo_administrator_manages_apeldoorns_users(demo, client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from tests.permissions import login

    administrator = get_user_model().objects.get(username="beheerder")
    assert not administrator.is_staff and not administrator.is_superuser
    login(client, administrator)  # with the second factor that administrators must give
    response = client.get(reverse("organisations:home"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("organisations:users", args=["apeldoorn"])
    assert "Gebruikers en rollen" in html  # the menu entry
    for username in ("beheerder", "programmamanager", "adviseur", "actiehouder", "raadslid"):
        assert f">{username}<" in html
    # Other organisations' accounts are not listed, and Django's admin is not theirs.
    assert ">politie<" not in html and ">oij-programmamanager<" not in html
    assert client.get(reverse("admin:index")).status_code == 302


def test_apeldoorn_is_compared_with_its_size_class_on_crimes_per_1000(demo):
    from openveiligheid.indicators.comparison import compare

    plan = Plan.objects.get(slug="apeldoorn-ivp-2023-2026")
    rate = plan.indicators.get(name="Geregistreerde misdrijven per 1.000 inwoners")

    result = compare(rate, "2023")

    assert len(result.ranking) >= 340  # every municipality of the police table
    assert result.own.value.quantize(Decimal("0.01")) == Decimal("41.56")
    assert result.size_class.label == "Gemeenten met 150.000 tot 250.000 inwoners"
    members = {item.name for item in result.size_class.members}
    assert {"Apeldoorn", "Enschede", "Nijmegen"} <= members
    assert "Epe" not in members
    assert 1 <= result.own.rank <= len(result.ranking)
    assert result.national is not None
    # The BBV indicators are there too, waiting for their figures.
    assert plan.indicators.filter(slug="bbv-winkeldiefstallen-per-1000").exists()
