"""A regional programme: the whole programme, "onze acties" and the counts per lead."""

import pytest
from django.urls import reverse

from openveiligheid.actions.models import Action
from openveiligheid.actions.selectors import lead_counts
from tests.actions.factories import ActionFactory, ActionPlanFactory
from tests.actions.pages import listed_subjects
from tests.organisations.factories import OrganisationFactory, UnitFactory
from tests.permissions import assert_matrix, expect, login
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(world):
    """Region R (municipality A and C) runs one programme; actions led by A, C and the police."""
    municipality_c = OrganisationFactory(name="Gemeente C", slug="gemeente-c", cbs_code="GM9103")
    world.region.members.add(municipality_c)
    plan = PlanFactory(owner=world.region, slug="regio-r", title="Programma Regio R")
    action_plan = ActionPlanFactory(plan=plan, title="Jaarprogramma 2023")
    unit = UnitFactory(organisation=world.municipality_a, name="Openbare orde")
    actions = {
        "a": ActionFactory(
            action_plan=action_plan, subject="A1", lead_organisation=world.municipality_a
        ),
        "a_unit": ActionFactory(action_plan=action_plan, subject="A2", lead_unit=unit),
        "c": ActionFactory(action_plan=action_plan, subject="C1", lead_organisation=municipality_c),
        "police": ActionFactory(
            action_plan=action_plan, subject="P1", lead_organisation=world.partner
        ),
        "none": ActionFactory(action_plan=action_plan, subject="X1", lead_text="Nog onbekend"),
    }
    return plan, actions, municipality_c


def subjects(response):
    return sorted(listed_subjects(response))


def test_member_municipality_sees_the_whole_programme_and_its_own_actions(client, world, programme):
    plan, _actions, _c = programme
    login(client, world.users["programme_manager"])  # of municipality A, a member of region R
    url = reverse("actions:plan-list", args=[plan.slug])

    whole = client.get(url)
    assert subjects(whole) == ["A1", "A2", "C1", "P1", "X1"]
    ours = client.get(url, {"scope": "onze"})
    assert subjects(ours) == ["A1", "A2"]
    assert ours.context["scope"] == "onze"
    page = ours.content.decode()
    assert 'aria-current="true"><strong>Onze acties</strong>' in page
    # Counts per lead organisation for the whole programme (not narrowed by "onze acties").
    counts = {item["name"]: item["count"] for item in ours.context["results"].lead_counts}
    assert counts == {"Gemeente A": 2, "Gemeente C": 1, "Politie Oost": 1, "": 1}
    assert "Aantal acties per trekker in het programma" in page
    # Managing the region's actions needs MANAGE_ACTIONS in the region itself.
    assert not ours.context["can_manage"]


def test_our_actions_of_another_member(client, world, programme):
    plan, _actions, municipality_c = programme
    from openveiligheid.organisations.services import grant_membership
    from tests.organisations.factories import UserFactory

    user = UserFactory(username="pm_c")
    grant_membership(user=user, organisation=municipality_c, role_slug="programme_manager")
    login(client, user)
    url = reverse("actions:plan-list", args=[plan.slug])
    assert subjects(client.get(url, {"scope": "onze"})) == ["C1"]


def test_lead_counts_selector(programme, world):
    _plan, actions, _c = programme
    counts = lead_counts(Action.objects.filter(action_plan=actions["a"].action_plan))
    assert counts[0] == {
        "organisation_id": world.municipality_a.pk,
        "name": "Gemeente A",
        "count": 2,
    }
    assert counts[-1]["organisation_id"] is None


def test_municipal_plan_shows_no_lead_counts(client, world):
    login(client, world.users["programme_manager"])
    response = client.get(reverse("actions:plan-list", args=["plan-a"]))
    assert "lead_counts" not in response.context


def test_invalid_scope_is_reported(client, world):
    login(client, world.users["programme_manager"])
    response = client.get(reverse("actions:plan-list", args=["plan-a"]), {"scope": "iedereen"})
    assert "Kies &#x27;Onze acties&#x27; of &#x27;Alle acties&#x27;." in response.content.decode()


def test_matrix_region_plan_list(client, world, programme):
    plan, _actions, _c = programme
    # Members of A reach the region's plans; the partner and municipality B do not.
    assert_matrix(
        client,
        world,
        "GET",
        reverse("actions:plan-list", args=[plan.slug]) + "?scope=onze",
        expect(200, anonymous=302, partner_contact=404, other_municipality=404),
    )


@pytest.mark.parametrize("count", [10, 150])
def test_region_list_query_count_does_not_grow(
    client, world, programme, django_assert_max_num_queries, count
):
    plan, actions, municipality_c = programme
    for index in range(count):
        ActionFactory(
            action_plan=actions["a"].action_plan,
            lead_organisation=world.municipality_a if index % 2 else municipality_c,
            is_unplanned=index % 3 == 0,
        )
    login(client, world.users["programme_manager"])
    with django_assert_max_num_queries(22):
        response = client.get(
            reverse("actions:plan-list", args=[plan.slug]),
            {"scope": "onze", "unplanned": "ja", "sort": "lead"},
        )
    assert response.status_code == 200
