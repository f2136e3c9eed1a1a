"""One rule, one place: the rules about what an action refers to live in actions.services, and
the page, the API and the spreadsheet import refuse the same invalid input with the same message.

A path that does not take an input (the sheet has no unit, holder, topic or goal column; the
pages have no unit, topic or goal field) cannot be given it, so those rules are shown on the
paths that do take it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openveiligheid.actions import services
from openveiligheid.actions.models import STATUS_NOTE_MAX_LENGTH, ActionStatus
from openveiligheid.actions.selectors import (
    eligible_lead_organisations,
    eligible_lead_people,
    units_of,
)
from openveiligheid.core.changelog import changes_for
from tests.actions.factories import ActionFactory
from tests.actions.test_xlsx_roundtrip import edit, row_of
from tests.organisations.factories import (
    MembershipFactory,
    OrganisationFactory,
    UnitFactory,
    UserFactory,
)
from tests.permissions import login
from tests.plans.factories import GoalFactory, ThemeFactory, TopicFactory

pytestmark = pytest.mark.django_db

LEAD_ORGANISATION = (
    "Deze organisatie kan geen trekker zijn van een actie in dit plan. Kies de eigen organisatie, "
    "een deelnemer van het samenwerkingsverband of een ketenpartner."
)
LEAD_UNIT = "Deze afdeling hoort niet bij de trekkende organisatie."
LEAD_PERSON = (
    "Deze persoon kan geen actiehouder zijn. Kies een actief lid van de organisatie van het plan "
    "of van de trekkende organisatie."
)
THEME = "Dit thema hoort niet bij het plan van de actie."
TOPIC = "Dit subthema hoort niet bij het thema van de actie."
GOAL = "Dit doel hoort niet bij het thema van de actie."


def _refusal(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def _api_patch(client, world, action, payload):
    login(client, world.users["programme_manager"])
    return client.patch(
        reverse("action-detail", args=[action.pk]), payload, content_type="application/json"
    )


def _sheet_preview(client, world, changes: dict):
    """The preview of the exported action plan of municipality A with ``changes`` typed in."""
    action_plan = world.objects["a"]["action_plan"]
    login(client, world.users["programme_manager"])
    exported = client.get(
        reverse("actions:export", args=["plan-a"]), {"action_plan": action_plan.pk}
    ).content
    content = edit(
        exported,
        {(row_of(exported, pk), header): value for (pk, header), value in changes.items()},
    )
    return services.import_actions_xlsx(action_plan, content, dry_run=True)


# --- choice lists ------------------------------------------------------------------------------


def test_eligible_lead_organisations_are_owner_members_regions_and_partners(world):
    member = OrganisationFactory(name="Gemeente in R")
    world.region.members.add(member)
    assert set(eligible_lead_organisations(world.plan_a)) == {
        world.municipality_a,
        world.region,
        world.partner,
    }
    region_plan = world.plan_a
    region_plan.owner = world.region
    assert set(eligible_lead_organisations(region_plan)) == {
        world.region,
        world.municipality_a,
        member,
        world.partner,
    }


def test_units_and_people_choice_lists(world):
    unit = UnitFactory(organisation=world.municipality_a)
    UnitFactory(organisation=world.municipality_b)
    assert list(units_of(world.municipality_a.pk)) == [unit]
    assert not units_of(None).exists()
    people = set(eligible_lead_people(world.plan_a))
    assert world.users["action_lead"] in people
    assert world.users["other_municipality"] not in people
    assert world.users["partner_contact"] not in people
    assert world.users["partner_contact"] in set(
        eligible_lead_people(world.plan_a, world.partner.pk)
    )
    world.users["action_lead"].is_active = False
    world.users["action_lead"].save()
    assert world.users["action_lead"] not in set(eligible_lead_people(world.plan_a))


# --- lead organisation -------------------------------------------------------------------------


def test_service_refuses_an_ineligible_lead_organisation(world):
    action = world.objects["a"]["action"]
    refused = _refusal(
        lambda: services.update_action(action, lead_organisation=world.municipality_b)
    )
    assert refused == {"lead_organisation": [LEAD_ORGANISATION]}
    refused = _refusal(
        lambda: services.create_action(
            action_plan=action.action_plan,
            description="Nieuw",
            lead_organisation=world.municipality_b,
        )
    )
    assert refused == {"lead_organisation": [LEAD_ORGANISATION]}
    services.update_action(action, lead_organisation=world.partner)
    action.refresh_from_db()
    assert action.lead_organisation == world.partner


def test_page_api_and_sheet_refuse_an_ineligible_lead_organisation_alike(client, world):
    action = world.objects["a"]["action"]
    login(client, world.users["programme_manager"])
    page = client.post(
        reverse("actions:create", args=["plan-a"]),
        {
            "action_plan": world.objects["a"]["action_plan"].pk,
            "description": "Nieuwe actie",
            "lead_organisation": world.municipality_b.pk,
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors["lead_organisation"] == [LEAD_ORGANISATION]

    api = _api_patch(client, world, action, {"lead_organisation": world.municipality_b.pk})
    assert api.status_code == 400
    assert api.json() == {"lead_organisation": [LEAD_ORGANISATION]}

    preview = _sheet_preview(client, world, {(action.pk, "Trekker"): "Gemeente B"})
    [row] = preview.rows
    assert row.errors == [LEAD_ORGANISATION]
    assert preview.refused == 1
    action.refresh_from_db()
    assert action.lead_organisation is None


def test_sheet_accepts_an_eligible_lead_by_name(client, world):
    action = world.objects["a"]["action"]
    preview = _sheet_preview(client, world, {(action.pk, "Trekker"): "Politie Oost"})
    [row] = preview.rows
    assert row.errors == []


# --- lead unit ---------------------------------------------------------------------------------


def test_service_and_api_refuse_a_unit_of_another_organisation(client, world):
    action = world.objects["a"]["action"]
    foreign_unit = UnitFactory(organisation=world.partner)
    own_unit = UnitFactory(organisation=world.municipality_a)
    refused = _refusal(
        lambda: services.update_action(
            action, lead_organisation=world.municipality_a, lead_unit=foreign_unit
        )
    )
    assert refused == {"lead_unit": [LEAD_UNIT]}
    # A unit needs its organisation as the lead.
    assert _refusal(lambda: services.update_action(action, lead_unit=own_unit)) == {
        "lead_unit": [LEAD_UNIT]
    }

    api = _api_patch(
        client,
        world,
        action,
        {"lead_organisation": world.municipality_a.pk, "lead_unit": foreign_unit.pk},
    )
    assert api.status_code == 400
    assert api.json() == {"lead_unit": [LEAD_UNIT]}

    ok = _api_patch(
        client,
        world,
        action,
        {"lead_organisation": world.municipality_a.pk, "lead_unit": own_unit.pk},
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["lead_unit"] == own_unit.pk


# --- action holder -----------------------------------------------------------------------------


def test_service_refuses_an_ineligible_holder_but_keeps_a_moved_one(world):
    action = world.objects["a"]["action"]  # held by action_lead, a member of municipality A
    outsider = world.users["other_municipality"]
    refused = _refusal(lambda: services.update_action(action, lead_person=outsider))
    assert refused == {"lead_person": [LEAD_PERSON]}
    # The holder leaves; the other fields can still be saved.
    world.users["action_lead"].memberships.all().delete()
    services.update_action(action, subject="Ander onderwerp")
    action.refresh_from_db()
    assert action.lead_person == world.users["action_lead"]
    # A member of the lead (partner) organisation may hold it.
    services.update_action(
        action, lead_organisation=world.partner, lead_person=world.users["partner_contact"]
    )


def test_page_and_api_refuse_an_ineligible_holder_alike(client, world):
    action = world.objects["a"]["action"]
    outsider = world.users["other_municipality"]
    login(client, world.users["programme_manager"])
    page = client.post(
        reverse("actions:edit", args=[action.pk]),
        {"description": action.description, "lead_person": outsider.pk},
    )
    assert page.status_code == 200
    assert page.context["form"].errors["lead_person"] == [LEAD_PERSON]
    # Offered: the plan owner's active members (and the current holder).
    offered = set(page.context["form"].fields["lead_person"].queryset)
    assert world.users["action_lead"] in offered
    assert outsider not in offered

    api = _api_patch(client, world, action, {"lead_person": outsider.pk})
    assert api.status_code == 400
    assert api.json() == {"lead_person": [LEAD_PERSON]}
    action.refresh_from_db()
    assert action.lead_person == world.users["action_lead"]


def test_next_year_leaves_out_a_holder_who_left(world):
    action = world.objects["a"]["action"]
    stayer = UserFactory()
    MembershipFactory(user=stayer, organisation=world.municipality_a)
    kept = ActionFactory(action_plan=action.action_plan, lead_person=stayer)
    world.users["action_lead"].memberships.all().delete()
    new_plan = services.start_next_year(action.action_plan, year=2031)
    carried = {a.carried_over_from_id: a for a in new_plan.actions.all()}
    assert carried[action.pk].lead_person is None
    assert carried[kept.pk].lead_person == stayer


# --- theme, topic and goal ---------------------------------------------------------------------


def test_service_refuses_a_theme_of_another_plan_and_a_topic_or_goal_of_another_theme(world):
    action = world.objects["a"]["action"]
    other_theme = ThemeFactory(plan=world.plan_a, name="Zorg en veiligheid", slug="zorg")
    assert _refusal(lambda: services.update_action(action, theme=world.objects["b"]["theme"])) == {
        "theme": [THEME]
    }
    topic, goal = TopicFactory(theme=other_theme), GoalFactory(theme=other_theme)
    assert _refusal(lambda: services.update_action(action, topic=topic)) == {"topic": [TOPIC]}
    assert _refusal(lambda: services.update_action(action, goal=goal)) == {"goal": [GOAL]}
    # Moving the action to the topic's theme makes both fit.
    services.update_action(action, theme=other_theme, topic=topic, goal=goal)
    # Changing only the theme leaves topic and goal behind: refused.
    assert _refusal(lambda: services.update_action(action, theme=world.objects["a"]["theme"])) == {
        "topic": [TOPIC],
        "goal": [GOAL],
    }


def test_page_and_api_refuse_a_theme_of_another_plan_alike(client, world):
    action = world.objects["a"]["action"]
    foreign_theme = world.objects["b"]["theme"]
    login(client, world.users["programme_manager"])
    page = client.post(
        reverse("actions:create", args=["plan-a"]),
        {
            "action_plan": world.objects["a"]["action_plan"].pk,
            "description": "Nieuwe actie",
            "theme": foreign_theme.pk,
        },
    )
    assert page.status_code == 200
    assert page.context["form"].errors["theme"] == [THEME]
    # Offered: this plan's themes only.
    assert foreign_theme not in set(page.context["form"].fields["theme"].queryset)

    api = _api_patch(client, world, action, {"theme": foreign_theme.pk})
    assert api.status_code == 400
    assert api.json() == {"theme": [THEME]}


def test_api_refuses_a_topic_of_another_theme(client, world):
    action = world.objects["a"]["action"]
    topic = TopicFactory(theme=ThemeFactory(plan=world.plan_a, slug="ander-thema"))
    api = _api_patch(client, world, action, {"topic": topic.pk})
    assert api.status_code == 400
    assert api.json() == {"topic": [TOPIC]}


# --- status note -------------------------------------------------------------------------------


def test_status_note_length_is_one_rule_for_service_page_and_api(client, world):
    action = world.objects["a"]["action"]
    note = "x" * (STATUS_NOTE_MAX_LENGTH + 1)
    message = (
        f"De toelichting is {STATUS_NOTE_MAX_LENGTH + 1} tekens lang; er passen ten hoogste "
        f"{STATUS_NOTE_MAX_LENGTH} tekens in."
    )
    refused = _refusal(lambda: services.change_status(action, ActionStatus.DONE, note=note))
    assert refused == {"note": [message]}
    refused = _refusal(
        lambda: services.create_action(
            action_plan=action.action_plan, description="Nieuw", status_note=note
        )
    )
    assert refused == {"note": [message]}

    login(client, world.users["programme_manager"])
    page = client.post(
        reverse("actions:change-status", args=[action.pk]), {"status": "done", "note": note}
    )
    assert page.status_code == 200
    assert page.context["status_form"].errors["note"] == [message]

    api = client.post(
        reverse("action-status", args=[action.pk]),
        {"status": "done", "note": note},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json() == {"note": [message]}
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED
    assert not changes_for(action).exists()
    services.change_status(action, ActionStatus.DONE, note="x" * STATUS_NOTE_MAX_LENGTH)
