"""Sharing a concept plan with partners: the owner's plan managers share and withdraw it on a
page (in the change log, without undoing another manager's sharing), and a shared concept opens
exactly the partner's actions in it, on the pages and in the API, for every role."""

import re

import pytest
from django.urls import reverse

from openveiligheid.core.changelog import changes_for
from openveiligheid.plans.services import share_concept
from tests.actions.factories import ActionFactory
from tests.organisations.factories import PartnerFactory
from tests.permissions import API, PAGE, assert_matrix, expect, login

pytestmark = pytest.mark.django_db

# Plan managers of A (MANAGE_PLAN) manage the sharing; A's other staff see the concept but may
# not share it (403); the rest do not see the concept at all (404).
MANAGERS = {"administrator": 200, "programme_manager": 200}
SHARE_PAGE = expect(404, anonymous=302, safety_adviser=403, action_lead=403, **MANAGERS)


def share_url(plan) -> str:
    return reverse("plans:share", args=[plan.slug])


@pytest.fixture
def concept_action(world):
    """An action of A's concept plan given to the partner."""
    action = ActionFactory(
        action_plan=world.objects["draft_a"]["action_plan"],
        subject="Conceptactie met de politie",
        lead_organisation=world.partner,
    )
    action.partners.add(world.partner)
    return action


def test_share_page_matrix(client, world):
    assert_matrix(client, world, "GET", share_url(world.draft_plan_a), SHARE_PAGE)
    assert_matrix(
        client,
        world,
        "POST",
        share_url(world.draft_plan_a),
        SHARE_PAGE | {"administrator": 302, "programme_manager": 302},
        data={"organisations": [world.partner.pk]},
    )
    assert list(world.draft_plan_a.shared_with.all()) == [world.partner]
    # Another municipality's concept stays out of sight, also for its name.
    assert_matrix(
        client,
        world,
        "GET",
        share_url(world.plan_b),
        expect(404, anonymous=302, other_municipality=200),
    )


def test_share_and_withdraw_are_in_the_change_log_and_open_and_close_the_partners_access(
    client, world, concept_action
):
    url = share_url(world.draft_plan_a)
    login(client, world.users["programme_manager"])
    response = client.post(url, {"organisations": [world.partner.pk]}, follow=True)
    html = response.content.decode()
    assert "Het concept is gedeeld met: Politie Oost." in html
    entry = changes_for(world.draft_plan_a).first()
    assert entry.actor == world.users["programme_manager"]
    assert entry.after["shared_with"] == [world.partner.pk]

    login(client, world.users["partner_contact"])
    assert client.get(reverse("actions:detail", args=[concept_action.pk])).status_code == 200

    login(client, world.users["programme_manager"])
    response = client.post(url, {}, follow=True)
    assert "met geen enkele partner gedeeld" in response.content.decode()
    assert not world.draft_plan_a.shared_with.exists()
    assert changes_for(world.draft_plan_a).first().after["shared_with"] == []

    login(client, world.users["partner_contact"])
    assert client.get(reverse("actions:detail", args=[concept_action.pk])).status_code == 404


def test_only_partners_are_offered_and_an_adopted_plan_is_not_shared(client, world):
    login(client, world.users["programme_manager"])
    page = client.get(share_url(world.draft_plan_a)).content.decode()
    assert "Politie Oost" in page and "Gemeente B" not in page
    response = client.post(
        share_url(world.draft_plan_a), {"organisations": [world.municipality_b.pk]}
    )
    assert response.status_code == 200
    assert "Kies partners uit de lijst." in response.content.decode()

    adopted = client.get(share_url(world.plan_a)).content.decode()
    assert "Dit plan is vastgesteld" in adopted and 'name="organisations"' not in adopted
    refused = client.post(share_url(world.plan_a), {"organisations": [world.partner.pk]})
    assert refused.status_code == 200
    assert "alleen een concept" in refused.content.decode()
    assert not world.plan_a.shared_with.exists()


def test_a_stale_share_form_does_not_undo_another_managers_sharing(client, world):
    url = share_url(world.draft_plan_a)
    login(client, world.users["programme_manager"])
    page = client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page)[1]
    # Another plan manager shares with a second partner meanwhile.
    second = PartnerFactory(name="Brandweer Oost", slug="brandweer-oost")
    share_concept(world.draft_plan_a, [second], actor=world.users["administrator"])

    response = client.post(url, {"organisations": [world.partner.pk], "version": version})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert "ov-edit-conflict" in html
    assert list(world.draft_plan_a.shared_with.all()) == [second]

    version = re.search(r'name="version" value="(\d+)"', html)[1]
    data = {"organisations": [world.partner.pk, second.pk], "version": version}
    assert client.post(url, data).status_code == 302
    assert set(world.draft_plan_a.shared_with.all()) == {world.partner, second}


def test_the_plan_dashboard_offers_sharing_to_plan_managers_of_a_concept_only(client, world):
    for role, offered in (("programme_manager", True), ("safety_adviser", False)):
        login(client, world.users[role])
        page = client.get(reverse("dashboards:plan", args=["concept-a"])).content.decode()
        assert (share_url(world.draft_plan_a) in page) is offered, role
    login(client, world.users["programme_manager"])
    page = client.get(reverse("dashboards:plan", args=["plan-a"])).content.decode()
    assert share_url(world.plan_a) not in page


def test_concept_plan_matrix_before_and_after_sharing(client, world, concept_action):
    """Every role, pages and API: the concept and its actions as A's staff see them; the
    partner gets exactly its actions once the concept is shared, never the plan itself."""
    action_pages = [
        ("GET", reverse("actions:detail", args=[concept_action.pk]), PAGE.read_draft_a),
        ("GET", reverse("action-detail", args=[concept_action.pk]), API.read_draft_a),
        ("GET", reverse("dashboards:plan", args=["concept-a"]), PAGE.read_draft_a),
        ("GET", reverse("plan-detail", args=["concept-a"]), API.read_draft_a),
    ]
    for method, url, expected in action_pages:
        assert_matrix(client, world, method, url, expected)
    status_url = reverse("action-status", args=[concept_action.pk])
    may_change = expect(
        404,
        anonymous=401,
        administrator=200,
        programme_manager=200,
        safety_adviser=403,
        action_lead=403,
    )
    assert_matrix(
        client,
        world,
        "POST",
        status_url,
        may_change,
        data={"status": "planned"},
        content_type="application/json",
    )

    share_concept(world.draft_plan_a, [world.partner], actor=world.users["programme_manager"])
    partner_sees_actions = {"partner_contact": 200}
    for method, url, expected in action_pages[:2]:
        assert_matrix(client, world, method, url, expected | partner_sees_actions)
    for method, url, expected in action_pages[2:]:
        assert_matrix(client, world, method, url, expected)
    assert_matrix(
        client,
        world,
        "POST",
        status_url,
        may_change | partner_sees_actions,
        data={"status": "planned"},
        content_type="application/json",
    )
    login(client, world.users["partner_contact"])
    listed = client.get(reverse("action-list"), {"plan": "concept-a"}).json()["results"]
    assert [action["id"] for action in listed] == [concept_action.pk]
    # The concept's other actions (not given to the partner) stay hidden.
    other = world.objects["draft_a"]["action"]
    assert client.get(reverse("action-detail", args=[other.pk])).status_code == 404
