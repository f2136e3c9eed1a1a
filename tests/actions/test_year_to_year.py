"""Unplanned actions, starting next year's action plan, and comparing two years."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openveiligheid.actions import services
from openveiligheid.actions.models import Action, ActionPlan, ActionStatus, ActionStatusChange
from openveiligheid.actions.selectors import compare_action_plans
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.actions.pages import listed_subjects
from tests.organisations.factories import PartnerFactory
from tests.permissions import PAGE, assert_matrix, expect, login
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db

MANAGE_PAGE = expect(
    403,
    anonymous=302,
    administrator=200,
    programme_manager=200,
    partner_contact=404,
    other_municipality=404,
)
MANAGE_POST = MANAGE_PAGE | {"administrator": 302, "programme_manager": 302}


# --- reanchoring and carry-over rules ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eind 2017", "Eind 2018"),
        ("2e kwartaal 2017", "2e kwartaal 2018"),
        ("Doorlopend", "Doorlopend"),
        ("2017-2018", "2018-2019"),
        ("11-2-2017 (28-1)", "11-2-2018 (28-1)"),
        ("Medio 2019", "Medio 2019"),  # not in the past: kept
        ("", ""),
    ],
)
def test_reanchor_years(text, expected):
    assert services.reanchor_years(text, 2018) == expected


@pytest.fixture
def year_2017():
    plan = PlanFactory(slug="ivp", title="IVP")
    action_plan = ActionPlanFactory(
        plan=plan, title="Uitvoeringsprogramma 2017", year_start=2017, year_end=2017
    )
    partner = PartnerFactory(name="Politie")

    def make(subject, status, due_text, **fields):
        action = services.create_action(
            action_plan=action_plan,
            description=f"{subject} uitvoeren",
            subject=subject,
            due_text=due_text,
            **fields,
        )
        if status != ActionStatus.PLANNED:
            Action.objects.filter(pk=action.pk).update(status=status)
        return action

    actions = {
        "planned": make("Gepland", ActionStatus.PLANNED, "Eind 2017", partners=[partner]),
        "in_progress": make("Bezig", ActionStatus.IN_PROGRESS, "2e kwartaal 2017"),
        "delayed": make("Vertraagd", ActionStatus.DELAYED, "Q3 2017"),
        "done": make("Klaar", ActionStatus.DONE, "Eind 2017"),
        "cancelled": make("Vervallen", ActionStatus.CANCELLED, "Eind 2017"),
        "recurring_done": make("Overleg", ActionStatus.DONE, "Maandelijks"),
        "recurring_cancelled": make("Stopgezet", ActionStatus.CANCELLED, "Doorlopend"),
        "continuous": make("Toezicht", ActionStatus.IN_PROGRESS, "Doorlopend"),
    }
    return action_plan, actions


def test_start_next_year_carries_open_and_recurring_actions(year_2017):
    action_plan, actions = year_2017
    history_before = ActionStatusChange.objects.count()

    new_plan = services.start_next_year(action_plan, year=2018)

    assert new_plan.title == "Uitvoeringsprogramma 2018"
    assert (new_plan.year_start, new_plan.year_end, new_plan.previous) == (2018, 2018, action_plan)
    carried = {action.carried_over_from_id: action for action in new_plan.actions.all()}
    expected = {"planned", "in_progress", "delayed", "recurring_done", "continuous"}
    assert set(carried) == {actions[key].pk for key in expected}
    for action in carried.values():
        assert action.status == ActionStatus.PLANNED
        assert action.is_new is False
        assert action.progress == 0
    assert carried[actions["planned"].pk].due_text == "Eind 2018"
    assert carried[actions["planned"].pk].due_end == date(2018, 12, 31)
    assert [p.name for p in carried[actions["planned"].pk].partners.all()] == ["Politie"]
    assert carried[actions["in_progress"].pk].due_text == "2e kwartaal 2018"
    assert carried[actions["continuous"].pk].due_text == "Doorlopend"
    assert carried[actions["recurring_done"].pk].due_text == "Maandelijks"
    # The old actions and their history are untouched; each new one starts its own history.
    assert Action.objects.get(pk=actions["in_progress"].pk).status == ActionStatus.IN_PROGRESS
    assert ActionStatusChange.objects.count() == history_before + len(expected)
    note = ActionStatusChange.objects.filter(action=carried[actions["delayed"].pk]).get().note
    assert note == "Overgenomen uit Uitvoeringsprogramma 2017."


def test_actions_added_after_the_start_are_new(year_2017):
    action_plan, _actions = year_2017
    new_plan = services.start_next_year(action_plan, year=2018, title="Programma 2018")
    added = services.create_action(action_plan=new_plan, description="Nieuwe aanpak")
    assert new_plan.title == "Programma 2018"
    assert added.is_new is True
    # ... but not in a first action plan, which continues nothing.
    assert services.create_action(action_plan=action_plan, description="Later").is_new is False


def test_start_next_year_refuses_past_or_existing_years(year_2017):
    action_plan, _actions = year_2017
    with pytest.raises(ValidationError, match="Kies een jaar na 2017"):
        services.start_next_year(action_plan, year=2017)
    services.start_next_year(action_plan, year=2018)
    with pytest.raises(ValidationError, match="al een actieplan voor 2018"):
        services.start_next_year(action_plan, year=2018)


def test_compare_action_plans(year_2017, django_assert_max_num_queries):
    action_plan, actions = year_2017
    new_plan = services.start_next_year(action_plan, year=2018)
    added = services.create_action(action_plan=new_plan, description="Cameratoezicht")
    carried = new_plan.actions.get(carried_over_from=actions["continuous"])
    services.update_action(carried, subject="Toezicht centrum")
    new_plan.actions.get(carried_over_from=actions["delayed"]).delete()

    with django_assert_max_num_queries(6):
        comparison = compare_action_plans(action_plan, new_plan)

    assert comparison.counts == {"new": 1, "carried": 4, "changed": 4, "dropped": 4}
    assert comparison.new == [added]
    by_old = {item.old.pk: item for item in comparison.carried}
    differences = {d.label: (d.old, d.new) for d in by_old[actions["continuous"].pk].differences}
    assert differences == {
        "Onderwerp": ("Toezicht", "Toezicht centrum"),
        "Status": ("In uitvoering", "Gepland"),
    }
    assert {d.label for d in by_old[actions["planned"].pk].differences} == {"Wanneer"}
    reasons = {item.action.pk: item.reason for item in comparison.dropped}
    assert reasons == {
        actions["done"].pk: "afgerond",
        actions["cancelled"].pk: "vervallen",
        actions["recurring_cancelled"].pk: "vervallen",
        actions["delayed"].pk: "niet overgenomen of verwijderd",
    }


def test_compare_matches_by_text_without_a_link():
    plan = PlanFactory()
    old = ActionPlanFactory(plan=plan, year_start=2020, year_end=2020)
    new = ActionPlanFactory(plan=plan, year_start=2022, year_end=2022)
    ActionFactory(action_plan=old, subject="Buurtpreventie", description="Appgroepen")
    ActionFactory(action_plan=new, subject="Buurtpreventie", description="Appgroepen")
    comparison = compare_action_plans(old, new)
    assert comparison.counts == {"new": 0, "carried": 1, "changed": 0, "dropped": 0}


# --- unplanned actions ---------------------------------------------------------------------------


def test_update_action_dates_an_action_that_becomes_unplanned():
    action = ActionFactory()
    updated = services.update_action(action, is_unplanned=True)
    assert updated.unplanned_since is not None
    kept = services.update_action(
        ActionFactory(is_unplanned=True, unplanned_since=date(2023, 3, 1)), subject="Anders"
    )
    assert kept.unplanned_since == date(2023, 3, 1)


def test_create_unplanned_action_page(client, world):
    action_plan = world.objects["a"]["action_plan"]
    login(client, world.users["programme_manager"])
    url = reverse("actions:create", args=["plan-a"])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_unplanned"' in page.content.decode()

    response = client.post(
        url,
        {
            "action_plan": action_plan.pk,
            "description": "Aanpak drugsoverlast park",
            "lead_organisation": world.partner.pk,
            "due_text": "Eind 2023",
            "is_unplanned": "on",
            "unplanned_since": "14-03-2023",
        },
    )
    action = Action.objects.get(description="Aanpak drugsoverlast park")
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:detail", args=[action.pk])
    assert (action.is_unplanned, action.unplanned_since) == (True, date(2023, 3, 14))
    assert action.lead_organisation == world.partner
    assert action.due_end == date(2023, 12, 31)

    error = client.post(url, {"action_plan": action_plan.pk, "description": " "})
    assert error.status_code == 200
    assert "Beschrijf de actie." in error.content.decode()


def test_matrix_create_get(client, world):
    assert_matrix(client, world, "GET", reverse("actions:create", args=["plan-a"]), MANAGE_PAGE)


def test_matrix_create_post(client, world):
    data = {
        "action_plan": world.objects["a"]["action_plan"].pk,
        "description": "Onvoorzien",
        "is_unplanned": "on",
    }
    url = reverse("actions:create", args=["plan-a"])
    assert_matrix(client, world, "POST", url, MANAGE_POST, data=data)
    assert Action.objects.filter(description="Onvoorzien").count() == 2


def test_unplanned_filter_and_label(client, world):
    action_plan = world.objects["a"]["action_plan"]
    ActionFactory(
        action_plan=action_plan,
        subject="Brandstichting",
        is_unplanned=True,
        unplanned_since=date(2023, 5, 2),
    )
    login(client, world.users["programme_manager"])
    url = reverse("actions:plan-list", args=["plan-a"])
    page = client.get(url).content.decode()
    assert "onvoorzien, sinds 2-5-2023" in page
    assert "1 onvoorziene actie" in page
    only = client.get(url, {"unplanned": "ja"})
    assert listed_subjects(only) == ["Brandstichting"]
    planned = client.get(url, {"unplanned": "nee"})
    assert "Brandstichting" not in listed_subjects(planned)


# --- next year and compare pages -------------------------------------------------------------


def test_matrix_next_year_get(client, world):
    url = reverse("actions:next-year", args=[world.objects["a"]["action_plan"].pk])
    assert_matrix(client, world, "GET", url, MANAGE_PAGE)


def test_matrix_next_year_post(client, world, monkeypatch):
    action_plan = world.objects["a"]["action_plan"]
    original_post = client.post

    def post(*args, **kwargs):
        # Every allowed role starts the same year afresh.
        ActionPlan.objects.filter(plan=action_plan.plan, year_start=2024).delete()
        return original_post(*args, **kwargs)

    monkeypatch.setattr(client, "post", post)
    url = reverse("actions:next-year", args=[action_plan.pk])
    assert_matrix(client, world, "POST", url, MANAGE_POST, data={"year": 2024})


def test_next_year_page_creates_and_redirects_to_the_comparison(client, world):
    action_plan = world.objects["a"]["action_plan"]
    login(client, world.users["programme_manager"])
    url = reverse("actions:next-year", args=[action_plan.pk])
    assert client.get(url).context["form"].initial["year"] == 2024
    response = client.post(url, {"year": 2024, "title": "Uitvoering 2024"})
    new_plan = ActionPlan.objects.get(title="Uitvoering 2024")
    assert response["Location"] == reverse("actions:compare", args=[action_plan.pk, new_plan.pk])
    assert new_plan.actions.count() == 2  # the world's two planned actions
    again = client.post(url, {"year": 2024})
    assert again.status_code == 200
    assert "al een actieplan voor 2024" in again.content.decode()

    comparison = client.get(response["Location"])
    assert comparison.status_code == 200
    assert comparison.context["counts"]["carried"] == 2
    # The plan's action list links the years.
    listing = client.get(reverse("actions:plan-list", args=["plan-a"])).content.decode()
    assert response["Location"] in listing


def test_matrix_compare(client, world):
    old = world.objects["a"]["action_plan"]
    new = services.start_next_year(old, year=2024)
    url = reverse("actions:compare", args=[old.pk, new.pk])
    assert_matrix(client, world, "GET", url, PAGE.read_published_a)


def test_compare_refuses_plans_of_different_plans(client, world):
    login(client, world.users["administrator"])
    url = reverse(
        "actions:compare",
        args=[world.objects["a"]["action_plan"].pk, world.objects["draft_a"]["action_plan"].pk],
    )
    assert client.get(url).status_code == 404
