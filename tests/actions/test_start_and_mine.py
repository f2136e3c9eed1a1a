"""Per-role start page sections of the actions app, "Mijn acties" and making an action plan."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openveiligheid.actions import services
from openveiligheid.actions.models import ActionPlan, ActionStatus
from tests.actions.factories import ActionFactory
from tests.permissions import PAGE, assert_matrix, expect, login
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db


# --- Mijn acties -------------------------------------------------------------------------------


def test_my_actions_matrix(client, world):
    assert_matrix(client, world, "GET", reverse("actions:mine"), PAGE.any_user)


def test_my_actions_by_person_and_by_organisation(client, world):
    ActionFactory(
        action_plan=world.objects["a"]["action_plan"],
        subject="Gemeentelijke actie",
        lead_organisation=world.municipality_a,
    )
    login(client, world.users["action_lead"])
    html = client.get(reverse("actions:mine")).content.decode()
    own = world.objects["a"]["action"]
    mine, organisation = html.split('id="acties-organisatie"')
    assert own.subject in mine
    assert "Gemeentelijke actie" not in mine  # not the lead's own: the organisation's
    assert "Gemeentelijke actie" in organisation and "1 actie als trekker" in organisation


def test_partner_contact_sees_its_organisations_actions(client, world):
    login(client, world.users["partner_contact"])
    html = client.get(reverse("actions:mine")).content.decode()
    assert "U bent van geen enkele actie persoonlijk de actiehouder." in html
    assert "Partneractie" in html
    assert "1 actie als partner" in html
    assert f"?partner={world.partner.pk}" in html
    # The plan is not visible to the partner: no link into it from the action page either.
    action = world.objects["a"]["partner_action"]
    detail = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert reverse("dashboards:plan", args=["plan-a"]) not in detail
    assert reverse("dashboards:theme", args=["plan-a", "ondermijning-a"]) not in detail


def test_start_page_of_a_partner_contact_lists_its_actions(client, world):
    login(client, world.users["partner_contact"])
    html = client.get(reverse("home")).content.decode()
    assert "Mijn acties" in html and "Partneractie" in html
    assert "U kunt nog geen plannen" not in html


def test_late_actions_on_the_start_page_of_a_programme_manager(client, world):
    plan_a = world.objects["a"]["action_plan"]
    ActionFactory(action_plan=plan_a, subject="Te laat", due_end=date(2023, 3, 31))
    ActionFactory(
        action_plan=plan_a,
        subject="Op tijd klaar",
        due_end=date(2023, 3, 31),
        status=ActionStatus.DONE,
    )
    login(client, world.users["programme_manager"])
    html = client.get(reverse("home")).content.decode()
    assert "Acties over de termijn" in html
    assert "Te laat" in html and "Op tijd klaar" not in html
    # Municipality B's manager manages none of A's actions.
    login(client, world.users["other_municipality"])
    assert "Te laat" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("count", [3, 40])
def test_my_actions_query_count_does_not_grow(client, world, django_assert_max_num_queries, count):
    for _ in range(count):
        action = ActionFactory(
            action_plan=world.objects["a"]["action_plan"], lead_person=world.users["action_lead"]
        )
        action.partners.add(world.partner)
    for role in ("action_lead", "partner_contact"):
        login(client, world.users[role])
        with django_assert_max_num_queries(12):
            assert client.get(reverse("actions:mine")).status_code == 200
        with django_assert_max_num_queries(16):
            assert client.get(reverse("home")).status_code == 200


# --- making an action plan ---------------------------------------------------------------------


def _plan_without_action_plan(world):
    return PlanFactory(
        owner=world.municipality_a,
        slug="ivp-zonder",
        title="IVP zonder actieplan",
        period_start=2023,
        period_end=2026,
    )


def test_action_plan_create_matrix(client, world):
    plan = _plan_without_action_plan(world)
    url = reverse("actions:action-plan-create", args=[plan.slug])
    assert_matrix(
        client,
        world,
        "GET",
        url,
        expect(
            403,
            anonymous=302,
            administrator=200,
            programme_manager=200,
            partner_contact=404,
            other_municipality=404,
        ),
    )


def test_adding_an_action_to_a_plan_without_action_plan_leads_to_making_one(client, world):
    plan = _plan_without_action_plan(world)
    login(client, world.users["programme_manager"])
    listing = client.get(reverse("actions:plan-list", args=[plan.slug])).content.decode()
    assert "Dit plan heeft nog geen actieplan." in listing
    create_url = reverse("actions:action-plan-create", args=[plan.slug])
    assert create_url in listing
    # Adding an action first explains instead of refusing.
    response = client.get(reverse("actions:create", args=[plan.slug]), follow=True)
    assert response.redirect_chain[-1][0] == create_url
    assert "Maak eerst een actieplan aan" in response.content.decode()

    response = client.post(create_url, {"years": "2024", "title": ""})
    assert response["Location"] == reverse("actions:create", args=[plan.slug])
    action_plan = ActionPlan.objects.get(plan=plan)
    assert (action_plan.year_start, action_plan.year_end) == (2024, 2024)
    assert action_plan.title == "Actieplan 2024 – IVP zonder actieplan"
    response = client.post(
        reverse("actions:create", args=[plan.slug]),
        {"action_plan": action_plan.pk, "description": "Buurtpreventie starten", "subject": "BP"},
    )
    assert response.status_code == 302
    assert action_plan.actions.get().description == "Buurtpreventie starten"
    # A year that has its action plan is no longer offered.
    page = client.get(create_url).content.decode()
    assert 'value="2024"' not in page and 'value="2025"' in page


def test_action_plan_rules_are_the_services(world):
    plan = _plan_without_action_plan(world)
    with pytest.raises(ValidationError) as error:
        services.add_action_plan(plan=plan, year_start=2027, year_end=2027)
    assert "2023 tot en met 2026" in str(error.value)
    with pytest.raises(ValidationError):
        services.add_action_plan(plan=plan, year_start=2025, year_end=2024)
    whole = services.add_action_plan(plan=plan, year_start=2023, year_end=2026)
    assert whole.title == "Actieplan 2023-2026 – IVP zonder actieplan"
    with pytest.raises(ValidationError) as error:
        services.add_action_plan(plan=plan, year_start=2023, year_end=2023)
    assert "al een actieplan voor 2023" in str(error.value)


def test_making_an_action_plan_is_in_the_change_log(world):
    from openveiligheid.core.changelog import changes_for

    plan = _plan_without_action_plan(world)
    action_plan = services.add_action_plan(
        plan=plan, year_start=2023, year_end=2023, actor=world.users["programme_manager"]
    )
    assert changes_for(action_plan).filter(actor=world.users["programme_manager"]).exists()


def test_existing_action_plan_offers_the_management_links(client, world):
    login(client, world.users["programme_manager"])
    html = client.get(reverse("actions:plan-list", args=["plan-a"])).content.decode()
    for name in ("actions:create", "action_sheets:upload", "actions:action-plan-create"):
        assert reverse(name, args=["plan-a"]) in html, name
    assert "volgend jaar starten" in html
    login(client, world.users["council_member"])
    html = client.get(reverse("actions:plan-list", args=["plan-a"])).content.decode()
    assert reverse("actions:action-plan-create", args=["plan-a"]) not in html
