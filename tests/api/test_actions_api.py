"""API: action plans and actions - reading, editing, status changes and progress updates."""

import pytest
from django.urls import reverse

from openveiligheid.actions import services
from openveiligheid.actions.models import Action, ActionStatus, ActionStatusChange, ProgressUpdate
from tests.actions.factories import ActionFactory
from tests.permissions import API, assert_matrix, expect, login

pytestmark = pytest.mark.django_db

# Changing A's own action: action managers and its lead (world makes action_lead its lead).
CHANGE_OWN_ACTION = expect(
    403,
    anonymous=401,
    administrator=200,
    programme_manager=200,
    action_lead=200,
    partner_contact=404,
    other_municipality=404,
)


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("name", ["action-plan-list", "action-list"])
def test_lists_need_login(client, world, name):
    assert_matrix(client, world, "GET", reverse(name), API.any_user)


def test_read_matrix(client, world):
    for key, expected in (("a", API.read_published_a), ("draft_a", API.read_draft_a)):
        objects = world.objects[key]
        assert_matrix(
            client,
            world,
            "GET",
            reverse("action-plan-detail", args=[objects["action_plan"].pk]),
            expected,
        )
        assert_matrix(
            client, world, "GET", reverse("action-detail", args=[objects["action"].pk]), expected
        )
    assert_matrix(
        client,
        world,
        "GET",
        reverse("action-detail", args=[world.objects["a"]["partner_action"].pk]),
        API.read_published_a | {"partner_contact": 200},
    )


def test_partner_contact_sees_only_the_partner_action(client, world):
    login(client, world.users["partner_contact"])
    rows = results(client.get(reverse("action-list")))
    assert [row["id"] for row in rows] == [world.objects["a"]["partner_action"].pk]
    assert rows[0]["partner_names"] == ["Politie Oost"]
    assert results(client.get(reverse("action-plan-list"))) == []


def test_patch_matrix(client, world):
    action = world.objects["a"]["action"]
    assert_matrix(
        client,
        world,
        "PATCH",
        reverse("action-detail", args=[action.pk]),
        CHANGE_OWN_ACTION,
        data={"subject": "Aanpak woonoverlast"},
        content_type="application/json",
    )
    action.refresh_from_db()
    assert action.subject == "Aanpak woonoverlast"
    draft_action = world.objects["draft_a"]["action"]
    assert_matrix(
        client,
        world,
        "PATCH",
        reverse("action-detail", args=[draft_action.pk]),
        {**CHANGE_OWN_ACTION, "action_lead": 403, "council_member": 404},
        data={"subject": "Concept"},
        content_type="application/json",
    )


def test_put_and_delete_are_not_offered(client, world):
    action = world.objects["a"]["action"]
    login(client, world.users["administrator"])
    url = reverse("action-detail", args=[action.pk])
    assert client.put(url, {"subject": "x"}, content_type="application/json").status_code == 405
    assert client.delete(url).status_code == 405


def test_status_matrix(client, world):
    action = world.objects["a"]["action"]
    assert_matrix(
        client,
        world,
        "POST",
        reverse("action-status", args=[action.pk]),
        CHANGE_OWN_ACTION,
        data={"status": "in_progress", "note": "Gestart"},
        content_type="application/json",
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_progress_matrix(client, world):
    action = world.objects["a"]["action"]
    assert_matrix(
        client,
        world,
        "POST",
        reverse("action-progress", args=[action.pk]),
        {role: (201 if code == 200 else code) for role, code in CHANGE_OWN_ACTION.items()},
        data={"text": "Eerste bijeenkomst gehouden", "progress": 20},
        content_type="application/json",
    )
    assert ProgressUpdate.objects.filter(action=action).count() == 3


def test_partner_contact_may_post_progress_to_the_partner_action(client, world):
    partner_action = world.objects["a"]["partner_action"]
    assert_matrix(
        client,
        world,
        "POST",
        reverse("action-progress", args=[partner_action.pk]),
        expect(
            403,
            anonymous=401,
            administrator=201,
            programme_manager=201,
            partner_contact=201,
            other_municipality=404,
        ),
        data={"text": "Extra surveillance ingezet"},
        content_type="application/json",
    )
    login(client, world.users["partner_contact"])
    response = client.post(
        reverse("action-progress", args=[partner_action.pk]),
        {"text": "Halverwege", "progress": 50},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["author"]
    partner_action.refresh_from_db()
    assert partner_action.progress == 50


def test_refused_status_transition_gives_400_and_changes_nothing(client, world):
    action = world.objects["a"]["action"]
    services.change_status(action, ActionStatus.CANCELLED)
    login(client, world.users["programme_manager"])
    history_before = ActionStatusChange.objects.filter(action=action).count()
    response = client.post(
        reverse("action-status", args=[action.pk]),
        {"status": "done"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["status"] == [
        "Een actie met status 'Vervallen' kan niet naar 'Afgerond'."
    ]
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED
    assert ActionStatusChange.objects.filter(action=action).count() == history_before
    unknown = client.post(
        reverse("action-status", args=[action.pk]),
        {"status": "klaar"},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert "status" in unknown.json()


def test_status_change_shows_in_the_history(client, world):
    action = world.objects["a"]["action"]
    login(client, world.users["action_lead"])
    response = client.post(
        reverse("action-status", args=[action.pk]),
        {"status": "delayed", "note": "Wacht op partner"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "delayed"
    assert body["status_label"] == "Vertraagd"
    assert body["allowed_transitions"] == ["cancelled", "done", "in_progress"]
    detail = client.get(reverse("action-detail", args=[action.pk])).json()
    assert detail["status_history"][-1]["from_status"] == "planned"
    assert detail["status_history"][-1]["to_status"] == "delayed"
    assert detail["status_history"][-1]["note"] == "Wacht op partner"
    assert detail["status_history"][-1]["changed_by"]


def test_progress_update_validation(client, world):
    action = world.objects["a"]["action"]
    login(client, world.users["action_lead"])
    url = reverse("action-progress", args=[action.pk])
    empty = client.post(url, {"text": " "}, content_type="application/json")
    assert empty.status_code == 400
    assert empty.json()["text"] == ["Beschrijf de voortgang."]
    too_much = client.post(url, {"text": "Klaar", "progress": 150}, content_type="application/json")
    assert too_much.status_code == 400
    assert too_much.json()["progress"] == ["De voortgang ligt tussen 0 en 100%."]
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_patch_goes_through_the_service_and_checks_related_objects(client, world):
    action = world.objects["a"]["action"]
    login(client, world.users["programme_manager"])
    url = reverse("action-detail", args=[action.pk])
    response = client.patch(
        url,
        {"description": "Nieuwe omschrijving", "partners": [world.partner.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "Nieuwe omschrijving"
    assert response.json()["partners"] == [world.partner.pk]
    other_theme = world.objects["b"]["theme"]
    foreign = client.patch(url, {"theme": other_theme.pk}, content_type="application/json")
    assert foreign.status_code == 400
    assert "theme" in foreign.json()
    empty = client.patch(url, {"description": ""}, content_type="application/json")
    assert empty.status_code == 400
    # Fields outside the editable set are ignored rather than written past the service.
    client.patch(url, {"status": "done", "progress": 90}, content_type="application/json")
    action.refresh_from_db()
    assert (action.status, action.progress) == (ActionStatus.PLANNED, 0)
    assert action.description == "Nieuwe omschrijving"


def test_action_filters(client, world):
    plan_a = world.objects["a"]
    done = ActionFactory(action_plan=plan_a["action_plan"], theme=plan_a["theme"], status="done")
    login(client, world.users["programme_manager"])
    url = reverse("action-list")
    ids = {row["id"] for row in results(client.get(url, {"plan": "plan-a"}))}
    assert ids == {plan_a["action"].pk, plan_a["partner_action"].pk, done.pk}
    assert [row["id"] for row in results(client.get(url, {"status": "done"}))] == [done.pk]
    themed = {row["id"] for row in results(client.get(url, {"theme": plan_a["theme"].pk}))}
    assert themed == {plan_a["action"].pk, done.pk}
    by_plan = results(client.get(url, {"action_plan": world.objects["draft_a"]["action_plan"].pk}))
    assert [row["id"] for row in by_plan] == [world.objects["draft_a"]["action"].pk]
    assert client.get(url, {"status": "klaar"}).status_code == 400
    login(client, world.users["council_member"])
    assert world.objects["draft_a"]["action"].pk not in {
        row["id"] for row in results(client.get(url))
    }


def test_action_list_uses_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    action_plan = world.objects["a"]["action_plan"]
    for _ in range(25):
        action = ActionFactory(
            action_plan=action_plan,
            lead_person=world.users["action_lead"],
            lead_organisation=world.municipality_a,
        )
        action.partners.add(world.partner)
    login(client, world.users["programme_manager"])
    with django_assert_max_num_queries(8):
        rows = results(client.get(reverse("action-list")))
    assert len(rows) == Action.objects.exclude(action_plan__plan=world.plan_b).count()
    with django_assert_max_num_queries(8):
        results(client.get(reverse("action-plan-list")))


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"due": "2017-Q9"}, "due", "Kies een kwartaal"),
        ({"theme": "abc"}, "theme", "Kies een thema uit de lijst"),
        ({"lead": "org-abc"}, "lead", "Kies een trekker uit de lijst"),
        ({"plan": "bestaat-niet"}, "plan", "Kies een plan uit de lijst"),
        ({"unplanned": "misschien"}, "unplanned", "Kies gepland of onvoorzien"),
    ],
)
def test_invalid_filters_are_a_400_with_the_page_message(client, world, params, field, message):
    """The API shares the list page's filter set (actions.filters): the same Dutch messages."""
    login(client, world.users["programme_manager"])
    response = client.get(reverse("action-list"), params)
    assert response.status_code == 400
    assert message in response.json()[field][0]
    page = client.get(reverse("actions:list"), params)
    assert page.status_code == 200
    assert message in page.content.decode()


def test_filters_of_the_page_work_in_the_api(client, world):
    plan_a = world.objects["a"]
    login(client, world.users["programme_manager"])
    subject = plan_a["action"].subject
    rows = results(client.get(reverse("action-list"), {"q": subject}))
    assert plan_a["action"].pk in {row["id"] for row in rows}
    assert results(client.get(reverse("action-list"), {"q": "geen-actie-heet-zo-xyz"})) == []
