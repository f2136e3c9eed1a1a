"""A concept plan's actions stay with the owner: partner contacts see them only when the owner
shares the concept with their organisation, and then every page says "concept"."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openveiligheid.actions.models import Action
from openveiligheid.plans.services import share_concept
from tests.actions.factories import ActionFactory
from tests.permissions import API, PAGE, assert_matrix, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def concept_partner_action(world):
    """An action in A's concept plan given to the partner (lead and partner)."""
    action = ActionFactory(
        action_plan=world.objects["draft_a"]["action_plan"],
        subject="Conceptactie met de politie",
        lead_organisation=world.partner,
    )
    action.partners.add(world.partner)
    return action


def test_partners_do_not_see_actions_of_a_concept_plan(client, world, concept_partner_action):
    pk = concept_partner_action.pk
    # Exactly as the concept's other content: A's staff (not the council) see it.
    assert_matrix(client, world, "GET", reverse("actions:detail", args=[pk]), PAGE.read_draft_a)
    assert_matrix(client, world, "GET", reverse("action-detail", args=[pk]), API.read_draft_a)
    assert_matrix(
        client,
        world,
        "GET",
        reverse("actions:edit", args=[pk]),
        PAGE.read_draft_a | {"safety_adviser": 403, "action_lead": 403, "council_member": 404},
    )
    login(client, world.users["partner_contact"])
    assert (
        concept_partner_action.subject not in client.get(reverse("actions:list")).content.decode()
    )
    subjects = [a["subject"] for a in client.get(reverse("action-list")).json()["results"]]
    assert concept_partner_action.subject not in subjects
    assert not Action.objects.restrict(world.users["partner_contact"]).filter(pk=pk).exists()


def test_a_shared_concept_is_visible_to_that_partner_and_marked_concept(
    client, world, concept_partner_action
):
    share_concept(
        concept_partner_action.action_plan.plan,
        [world.partner],
        actor=world.users["programme_manager"],
    )
    pk = concept_partner_action.pk
    assert_matrix(
        client,
        world,
        "GET",
        reverse("actions:detail", args=[pk]),
        PAGE.read_draft_a | {"partner_contact": 200},
    )
    login(client, world.users["partner_contact"])
    page = client.get(reverse("actions:detail", args=[pk])).content.decode()
    assert "ov-label--concept" in page
    listing = client.get(reverse("actions:list")).content.decode()
    assert concept_partner_action.subject in listing and "ov-label--concept" in listing
    # Only the partner it was shared with; stopping the share hides it again.
    share_concept(concept_partner_action.action_plan.plan, [])
    assert client.get(reverse("actions:detail", args=[pk])).status_code == 404


def test_only_partners_can_be_given_a_concept(world):
    with pytest.raises(ValidationError):
        share_concept(world.draft_plan_a, [world.municipality_b])
