"""The demo shows what the documents state, and marks everything else as voorbeelddata.

Each test pins one item of the fidelity list of issue 8 against the text of the document it
comes from (src/openveiligheid/demo/documents/).
"""

import importlib.util
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from openveiligheid.actions.models import Action
from openveiligheid.indicators.models import Indicator, Interpretation
from openveiligheid.indicators.selectors import indicator_status
from openveiligheid.meetings.models import MeetingSeries
from openveiligheid.plans.models import Plan
from tests.demo.helpers import remove_demo
from tests.organisations.factories import UserFactory
from tests.permissions import login

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "src" / "openveiligheid" / "demo" / "documents"
IVP = "002_a88ede4e1c0ea291.txt"
PROGRAMME = "000_f462fdb5aafa3a23.txt"
EXECUTION_PLAN = "001_6ad9f3ac64820703.txt"
OUDE_IJSSELSTREEK = "004_4a8acd6ca3a8e529.txt"


def _text(name: str) -> str:
    """The document as one line of single spaces, hyphenation at line ends undone."""
    raw = (DOCUMENTS / name).read_text(encoding="utf-8")
    return " ".join(raw.replace("-\n", "").split())


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load-demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        remove_demo()


@pytest.fixture
def demo(loaded_demo, db):
    return None


@pytest.fixture
def ivp(demo):
    return Plan.objects.get(slug="apeldoorn-ivp-2023-2026")


@pytest.fixture
def admin_client(client, demo):
    login(client, UserFactory(is_superuser=True))
    return client


# --- the fixture builder is a developer tool; the demo loads through the product importer ------


def test_fixture_builder_is_not_in_the_installed_package():
    assert importlib.util.find_spec("openveiligheid.demo.seeds") is None
    assert (ROOT / "scripts" / "demo_fixtures.py").exists()


def test_demo_plans_come_through_the_structured_importer(ivp):
    # The importer writes the change log with every object, as any import does.
    from openveiligheid.core.changelog import changes_for

    assert changes_for(ivp).exists()
    assert ivp.planned_reports.exists()  # only the structured importer writes these


# --- nothing invented shown as document content ------------------------------------------------


def test_no_invented_unplanned_actions(demo):
    assert "Hennepteelt in bedrijfspanden" not in _text(EXECUTION_PLAN)
    actions = Action.objects.filter(action_plan__plan__slug="apeldoorn-uitvoeringsplan-2017-2018")
    assert not actions.filter(is_unplanned=True).exists()
    assert not Action.objects.filter(subject="Hennepteelt in bedrijfspanden").exists()


def test_invented_meeting_calendar_is_marked_on_every_page(admin_client):
    # 001 names no meeting dates: the example calendar's first date is not in it.
    assert "26-1-2017" not in _text(EXECUTION_PLAN)
    series = MeetingSeries.objects.get(name="Driehoek Apeldoorn", year=2017)
    assert series.is_example
    meeting = series.meetings.order_by("date").first()
    pages = [
        reverse("meetings:series-list"),
        reverse("meetings:calendar", args=[series.pk]),
        reverse("meetings:organisation-calendar", args=[series.organisation.slug, 2017]),
        reverse("meetings:agenda", args=[meeting.pk]),
    ]
    for url in pages:
        html = admin_client.get(url).content.decode()
        assert "voorbeelddata" in html, url
        assert "zoals in het plan geschreven" not in html, url


def test_oude_ijsselstreek_actions_have_no_invented_timing(admin_client):
    text = _text(OUDE_IJSSELSTREEK)
    assert "Doorlopend" not in text and "doorlopend" not in text
    actions = Action.objects.filter(action_plan__plan__slug="oude-ijsselstreek-ivb-2023-2026")
    assert actions.count() == 19
    assert set(actions.values_list("due_text", flat=True)) == {""}
    assert not actions.exclude(due_end=None).exists()
    html = admin_client.get(reverse("actions:detail", args=[actions.first().pk])).content.decode()
    assert "geen termijn in het plan" in html


def test_police_series_has_no_target_that_no_document_states(ivp):
    for document in (IVP, PROGRAMME):
        assert "niet hoger dan in 2022" not in _text(document)
    crimes = ivp.indicators.get(name__contains="47013NED")
    assert not hasattr(crimes, "target") or crimes.target is None


# --- periods and frequencies -------------------------------------------------------------------


def test_halt_referrals_are_a_half_year_value(ivp):
    assert "Aantal doorverwijzingen naar Halt; 1e helft 2022 43" in _text(IVP)
    halt = ivp.indicators.get(name="Aantal doorverwijzingen naar Halt")
    assert halt.frequency == "half_year"
    start = halt.measurements.get(is_example=False)
    assert (start.period.code, start.value) == ("2022-H1", Decimal("43"))
    # Generated values follow the frequency, so like is compared with like.
    assert set(halt.measurements.values_list("period_type", flat=True)) == {"half_year"}
    status = indicator_status(halt)
    assert status.start.period.code == "2022-H1"
    assert status.latest.period.type == "half_year" and status.latest.is_example


def test_two_yearly_survey(ivp):
    assert "(veiligheidsmonitor; 1x per 2 jaar) 2021" in _text(IVP)
    survey = ivp.indicators.get(name__startswith="Sociale overlast ‘percentage")
    assert survey.frequency == "two_years"
    years = sorted(m.period_start.year for m in survey.measurements.all())
    assert years == [2021, 2023, 2025]  # the start value, then every other year (examples)
    assert not survey.measurements.filter(period_start__year=2021, is_example=True).exists()


def test_yearly_indicators_get_yearly_examples(ivp):
    grade = ivp.indicators.get(name__startswith="Rapportcijfer")
    years = sorted(m.period_start.year for m in grade.measurements.filter(is_example=True))
    assert years == [2023, 2024, 2025]


# --- printed totals ----------------------------------------------------------------------------


def test_printed_mpb_total_kept_and_difference_shown(admin_client, ivp):
    assert "Voor 2023-2026 is er € 6.934.800 voor integrale veiligheid" in _text(IVP)
    programme = ivp.programme
    assert programme.stated_table_totals == {"Claims MPB (IVP)": 6934800}
    html = admin_client.get(reverse("programme:detail", args=[ivp.slug])).content.decode()
    assert "6.934.800" in html and "6.794.800" in html
    assert "140.000" in html  # the difference, printed beside the total


def test_programme_budget_difference_on_programme_page_and_dashboard(admin_client, ivp):
    text = _text(PROGRAMME)
    assert "Totaal 1.270.000" in text
    for url in (
        reverse("programme:detail", args=[ivp.slug]),
        reverse("dashboards:plan", args=[ivp.slug]),
    ):
        html = admin_client.get(url).content.decode()
        assert "1.270.000" in html and "1.273.000" in html, url
        assert "wijkt af van de som van de regels" in html, url


# --- text that was lost ------------------------------------------------------------------------


def test_remark_in_a_table_cell_is_kept_with_its_period(admin_client, ivp):
    assert "Preventiecampagnes VO-scholen in Apeldoorn (Vanwege corona geen voorlichting)" in (
        _text(IVP)
    )
    campaigns = ivp.indicators.get(name="Preventiecampagnes VO-scholen in Apeldoorn")
    remark = Interpretation.objects.get(indicator=campaigns)
    assert (remark.period.code, remark.text) == ("2022", "Vanwege corona geen voorlichting")
    url = reverse("indicators:detail", args=[ivp.slug, campaigns.slug])
    assert "Vanwege corona geen voorlichting" in admin_client.get(url).content.decode()


def test_theme_one_goal_keeps_its_four_priorities(ivp):
    text = _text(IVP)
    for line in ("1. drugsproductie", "2. zorgfraude", "3. mensenhandel"):
        assert line in text
    theme = ivp.themes.get(name="Ondermijning en georganiseerde criminaliteit")
    goal = theme.goals.get()
    assert goal.text.startswith("We willen zien waar en hoe ondermijning")
    for line in (
        "We werken eerst aan deze thema’s:",
        "1. drugsproductie",
        "2. zorgfraude",
        "3. mensenhandel",
        "4. economische criminaliteit die door die 3 ontstaat.",
        "witwassen en financiering van terrorisme of georganiseerde criminaliteit.",
    ):
        assert line in goal.text


def test_risk_chapter_keeps_its_first_sentence(ivp):
    first_sentence = (
        "Ten aanzien van de uitvoering van het programma Integrale Veiligheid is het uitgangspunt "
        "dat we optreden en samenwerken als 1 overheid."
    )
    assert f"5. Risico's uitvoering programma {first_sentence}" in _text(PROGRAMME)
    first_risk = ivp.programme.risks.order_by("order").first()
    assert first_risk.description.startswith(first_sentence)


def test_funding_overview_amounts(admin_client, ivp):
    text = _text(PROGRAMME)
    for row in ("ROP post 2022 – 2023 335.000", "Ondermijningsgelden 675.000"):
        assert row in text
    assert "Amendement “Meer PTH” 260.000" in text
    overview = ivp.programme.funding_overview
    assert [(row["source"], row["amount"]) for row in overview["rows"]] == [
        ("ROP post 2022 – 2023", 335000),
        ("Ondermijningsgelden", 675000),
        ("Amendement “Meer PTH”", 260000),
    ]
    assert overview["printed_total"] == 1270000
    html = admin_client.get(reverse("programme:detail", args=[ivp.slug])).content.decode()
    assert "Ondermijningsgelden" in html and "335.000" in html


def test_reporting_cycle_stored_as_data_and_shown(admin_client, ivp):
    text = _text(IVP)
    assert "Tot nu toe rapporteerde de burgemeester eens per half jaar" in text
    assert "Na 2 jaar heeft er een tussentijdse evaluatie plaatsgevonden" in text
    cycle = {
        report.report_type: (report.interval_months, report.first_due)
        for report in ivp.planned_reports.all()
    }
    assert cycle["veiligheidsbrief"] == (6, date(2023, 6, 30))
    assert cycle["tussentijdse_evaluatie"] == (None, date(2024, 12, 31))
    assert cycle["jaarrapportage"] == (12, date(2023, 12, 31))
    html = admin_client.get(reverse("dashboards:plan", args=[ivp.slug])).content.decode()
    assert "Rapportage aan de raad" in html and "Veiligheidsbrief" in html
    assert "elk half jaar" in html


def test_indicator_frequency_choice_for_two_years_has_a_label():
    assert dict(Indicator._meta.get_field("frequency").choices)["two_years"] == (
        "eens per twee jaar"
    )


# --- the current plan can be executed: the IVP's action plan from the Programmaplan -------------


def test_ivp_actions_are_the_programme_opgaves_as_written(ivp):
    text = _text(PROGRAMME)
    action_plan = ivp.action_plans.get()
    assert (action_plan.year_start, action_plan.year_end) == (2023, 2023)
    actions = list(action_plan.actions.order_by("order"))
    assert len(actions) == 9  # the nine opgaves of the three pillars
    for action in actions:
        assert action.subject in text
        assert " ".join(action.description.split()) in text
        assert action.due_text in text and action.partner_text in text
    zorgfraude = next(action for action in actions if action.subject == "Aanpak zorgfraude")
    assert zorgfraude.due_text == "Q3 en Q4 2023"
    assert {partner.name for partner in zorgfraude.partners.all()} == {
        "Politie",
        "RIEC Oost-Nederland",
    }


def test_ivp_action_statuses_are_marked_as_example_data(client, ivp):
    actions = Action.objects.filter(action_plan__plan=ivp)
    # The documents give no statuses: every action with one other than the start is marked.
    assert not actions.exclude(status="planned").filter(is_example=False).exists()
    assert not actions.exclude(progress=0).filter(is_example=False).exists()
    for change in actions.exclude(status="planned").values_list("status_history__note", flat=True):
        assert change.startswith("Voorbeelddata")
    login(client, UserFactory(is_superuser=True))  # with the second factor superusers give
    example = actions.filter(is_example=True).first()
    detail = client.get(reverse("actions:detail", args=[example.pk])).content.decode()
    assert "Voorbeelddata: de status en de voortgang van deze actie zijn verzonnen" in detail
    listing = client.get(reverse("actions:plan-list", args=[ivp.slug])).content.decode()
    assert listing.count("ov-example-badge") == actions.filter(is_example=True).count()


def test_police_contact_finds_the_ivp_actions_under_mijn_acties(client, ivp):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="politie"))
    html = client.get(reverse("home")).content.decode()
    assert "Aanpak zorgfraude" in html or "acties als partner" in html
    mine = client.get(reverse("actions:mine")).content.decode()
    assert "acties als partner" in mine and "acties als trekker" in mine
