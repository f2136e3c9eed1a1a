"""No lost updates: an edit made on an older version of an action is refused, on the page (the
form shows the other change) and in the API (ETag / If-Match, 412)."""

import re

import pytest
from django.urls import reverse

from openveiligheid.actions import services
from openveiligheid.actions.models import Action
from tests.permissions import login

pytestmark = pytest.mark.django_db


def form_data(page_html: str, **changes) -> dict:
    version = re.search(r'name="version" value="(\d+)"', page_html)[1]
    return {"version": version, **changes}


def test_a_stale_edit_form_does_not_undo_another_change(client, world):
    action = world.objects["a"]["action"]
    url = reverse("actions:edit", args=[action.pk])
    login(client, world.users["programme_manager"])
    first_form = client.get(url).content.decode()
    # Someone else saves in between.
    services.update_action(action, description="Nieuwe aanpak", actor=world.users["administrator"])

    data = form_data(
        first_form, subject=action.subject, description=action.description, due_text="Eind 2026"
    )
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert "Nieuwe aanpak" in html  # the other change is shown
    # In the words of the change history: the field's label, not its name in the code.
    conflict = html[
        html.index("ov-edit-conflict") : html.index("</dl>", html.index("ov-edit-conflict"))
    ]
    assert "<dt>Actie</dt>" in conflict and "description" not in conflict
    action.refresh_from_db()
    assert action.description == "Nieuwe aanpak"
    assert action.due_text != "Eind 2026"

    # Saving again from the re-shown form is a deliberate choice and goes through.
    retry = form_data(
        html, subject=action.subject, description="Nieuwe aanpak", due_text="Eind 2026"
    )
    assert client.post(url, retry).status_code == 302
    action.refresh_from_db()
    assert (action.description, action.due_text) == ("Nieuwe aanpak", "Eind 2026")


def test_the_api_gives_an_etag_and_refuses_a_stale_if_match(client, world):
    action = world.objects["a"]["action"]
    url = reverse("action-detail", args=[action.pk])
    login(client, world.users["programme_manager"])
    response = client.get(url)
    etag = response["ETag"]
    assert etag == f'"{response.json()["version"]}"'

    services.update_action(action, subject="Tussendoor", actor=world.users["administrator"])
    stale = client.patch(
        url, {"subject": "Mijn versie"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert "If-Match" in stale.json()["detail"] or "gewijzigd" in stale.json()["detail"]
    assert Action.objects.get(pk=action.pk).subject == "Tussendoor"

    fresh = client.get(url)["ETag"]
    ok = client.patch(
        url, {"subject": "Mijn versie"}, content_type="application/json", HTTP_IF_MATCH=fresh
    )
    assert ok.status_code == 200
    assert ok["ETag"] != fresh
    for path, body in (
        ("action-status", {"status": "in_progress"}),
        ("action-progress", {"text": "x"}),
    ):
        response = client.post(
            reverse(path, args=[action.pk]),
            body,
            content_type="application/json",
            HTTP_IF_MATCH=fresh,
        )
        assert response.status_code == 412, path


def test_a_malformed_if_match_is_a_412_not_a_500(client, world):
    action = world.objects["a"]["action"]
    login(client, world.users["programme_manager"])
    response = client.patch(
        reverse("action-detail", args=[action.pk]),
        {"subject": "x"},
        content_type="application/json",
        HTTP_IF_MATCH="geen-etag",
    )
    assert response.status_code == 412


def test_the_change_log_does_not_list_the_version():
    from openveiligheid.core.changelog import UNLOGGED_FIELDS

    assert "version" in UNLOGGED_FIELDS


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("actions:change-status", {"status": "in_progress", "note": "Mijn stap"}),
        ("actions:add-progress", {"text": "Mijn voortgang", "progress": "40"}),
    ],
)
def test_stale_status_and_progress_forms_are_refused_with_the_other_change(
    client, world, path, data
):
    action = world.objects["a"]["action"]
    login(client, world.users["programme_manager"])
    page = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    services.update_action(action, subject="Tussendoor", actor=world.users["administrator"])

    url = reverse(path, args=[action.pk])
    response = client.post(url, form_data(page, **data))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert "Tussendoor" in html  # the other change, in the form that conflicted
    assert "ov-edit-conflict" in html
    action.refresh_from_db()
    assert action.status == "planned"
    assert not action.progress_updates.exists()

    # The form came back on the current version: saving again goes through.
    assert client.post(url, form_data(html, **data)).status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress" or action.progress_updates.exists()
