"""Least privilege for partners: a partner contact reports progress and status on the actions
given to its organisation, but does not change what the owner decides (description, leads,
partners, timing), unless the owner allows it for that action."""

import pytest
from django.urls import reverse

from openveiligheid.actions import services
from tests.permissions import assert_matrix, expect, login

pytestmark = pytest.mark.django_db

# Changing what the owner decides about the partner action (not led by action_lead).
EDIT_PARTNER_ACTION_PAGE = expect(
    403,
    anonymous=302,
    administrator=200,
    programme_manager=200,
    partner_contact=403,
    other_municipality=404,
)


def test_partner_cannot_open_or_post_the_edit_form(client, world):
    action = world.objects["a"]["partner_action"]
    url = reverse("actions:edit", args=[action.pk])
    assert_matrix(client, world, "GET", url, EDIT_PARTNER_ACTION_PAGE)
    login(client, world.users["partner_contact"])
    response = client.post(url, {"description": "Door de partner herschreven"})
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.description != "Door de partner herschreven"
    assert (
        reverse("actions:edit", args=[action.pk])
        not in client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    )


def test_partner_cannot_patch_the_owners_fields_through_the_api(client, world):
    action = world.objects["a"]["partner_action"]
    login(client, world.users["partner_contact"])
    response = client.patch(
        reverse("action-detail", args=[action.pk]),
        {"lead_organisation": world.partner.pk, "description": "Overgenomen"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "wat de eigenaar besluit" in response.json()["detail"]
    action.refresh_from_db()
    assert action.description != "Overgenomen"


def test_partner_still_reports_progress_and_status(client, world):
    action = world.objects["a"]["partner_action"]
    login(client, world.users["partner_contact"])
    response = client.post(
        reverse("action-progress", args=[action.pk]),
        {"text": "Extra surveillance", "progress": 40},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.post(
        reverse("action-status", args=[action.pk]),
        {"status": "in_progress"},
        content_type="application/json",
    )
    assert response.status_code == 200


def test_the_owner_can_let_partners_edit_one_action(client, world):
    action = world.objects["a"]["partner_action"]
    login(client, world.users["partner_contact"])
    response = client.patch(
        reverse("action-detail", args=[action.pk]),
        {"partners_may_edit": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    login(client, world.users["programme_manager"])
    page = client.get(reverse("actions:edit", args=[action.pk])).content.decode()
    assert 'name="partners_may_edit"' in page
    services.update_action(action, partners_may_edit=True, actor=world.users["programme_manager"])
    login(client, world.users["partner_contact"])
    page = client.get(reverse("actions:edit", args=[action.pk]))
    assert page.status_code == 200
    assert 'name="partners_may_edit"' not in page.content.decode()
    response = client.patch(
        reverse("action-detail", args=[action.pk]),
        {"description": "Samen herschreven"},
        content_type="application/json",
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.description == "Samen herschreven"
