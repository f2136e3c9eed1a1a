"""The main menu is built from the entries the apps register (core.navigation)."""

import re

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

from openveiligheid.core import navigation
from openveiligheid.core.navigation import MenuItem, menu_for
from tests.permissions import ROLES, login

MENU = [
    ("Dashboard", "home"),
    ("Acties", "actions:list"),
    ("Overleggen", "meetings:series-list"),
    ("Cijfers importeren", "imports:measurement-upload"),
    ("API", "api-docs"),
]
# Only for those who manage an organisation's members (organisations.navigation).
MEMBER_ADMINISTRATION = ("Gebruikers en rollen", "organisations:home")


def menu_links(html: str) -> list[tuple[str, str, str | None]]:
    nav = re.search(r'<nav class="utrecht-nav-bar ov-nav".*?</nav>', html, re.S)
    if nav is None:
        return []
    return re.findall(
        r'<a class="utrecht-nav-list__link" href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>',
        nav.group(0),
    )


@pytest.mark.django_db
def test_every_signed_in_role_sees_the_same_menu(client, world):
    expected = [(reverse(name), label) for label, name in MENU]
    administrator = [*expected[:-1], (reverse(MEMBER_ADMINISTRATION[1]), MEMBER_ADMINISTRATION[0])]
    administrator.append(expected[-1])
    for role in ROLES:
        login(client, world.users[role])
        page = client.get(reverse("actions:list"), follow=True).content.decode()
        links = [(url, label) for url, _current, label in menu_links(page)]
        wanted = {"anonymous": [], "administrator": administrator}.get(role, expected)
        assert links == wanted, role


@pytest.mark.django_db
def test_the_current_page_and_section_are_marked(client, world):
    login(client, world.users["programme_manager"])
    links = menu_links(client.get(reverse("actions:list")).content.decode())
    assert [current for _url, current, _label in links] == ["", "page", "", "", ""]
    action = world.objects["a"]["action"]
    links = menu_links(client.get(reverse("actions:detail", args=[action.pk])).content.decode())
    assert [current for _url, current, _label in links] == ["", "true", "", "", ""]


@pytest.fixture
def scratch_registry(monkeypatch):
    """Registrations in a test leave the process's menu as it was."""
    monkeypatch.setattr(navigation, "_registry", dict(navigation._registry))
    yield
    monkeypatch.undo()
    navigation._resolved_menu.cache_clear()


def test_an_entry_with_a_condition_shows_only_when_it_holds(scratch_registry):
    navigation.register(
        MenuItem(
            label="Alleen voor beheer",
            url_name="admin:index",
            order=950,
            condition=lambda request: request.user.is_superuser,
        )
    )
    request = RequestFactory().get("/")
    request.resolver_match = resolve("/")

    # Not authenticated: the entries whose condition reads the user's roles stay out of it.
    request.user = type("User", (), {"is_superuser": False, "is_authenticated": False})()
    assert [entry.label for entry in menu_for(request)] == [label for label, _name in MENU]
    request.user.is_superuser = True
    assert menu_for(request)[-1].label == "Alleen voor beheer"
