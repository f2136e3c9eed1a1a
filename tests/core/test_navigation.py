"""The main menu is built from the entries the apps register (core.navigation)."""

import re

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

from openveiligheid.core import navigation
from openveiligheid.core.navigation import MenuItem, menu_for
from tests.permissions import ROLES, login

START = ("Start", "home")
MINE = ("Mijn acties", "actions:mine")
PLANS = ("Plannen", "dashboards:plan-list")
ACTIONS = ("Acties", "actions:list")
MEETINGS = ("Overleggen", "meetings:series-list")
FIGURES = ("Cijfers inlezen", "imports:measurement-upload")
PLAN_IMPORT = ("Plan inlezen", "plan_imports:upload")
# Only for those who manage an organisation's members (organisations.navigation).
MEMBER_ADMINISTRATION = ("Gebruikers en rollen", "organisations:home")
API = ("API", "api-docs")
# Only for those who may read the audit trail (privacy.navigation).
AUDIT = ("Audittrail", "privacy:audit-trail")
# Only for those who may read the meldpunt's reports (signals.navigation).
SIGNALS = ("Meldingen", "signals:staff-list")
MANAGER_MENU = [START, PLANS, ACTIONS, MEETINGS, FIGURES, PLAN_IMPORT, SIGNALS, API]
# What each role is offered: every page it may use, nothing it may not (tests/demo/test_crawl.py
# follows every link of every page a role reaches).
MENUS = {
    "anonymous": [],
    "administrator": [
        START,
        MINE,
        PLANS,
        ACTIONS,
        MEETINGS,
        FIGURES,
        PLAN_IMPORT,
        MEMBER_ADMINISTRATION,
        API,
        AUDIT,
    ],
    "programme_manager": MANAGER_MENU,
    "safety_adviser": [START, MINE, PLANS, ACTIONS, MEETINGS, API],
    "action_lead": [START, MINE, PLANS, ACTIONS, MEETINGS, API],
    "partner_contact": [START, MINE, ACTIONS, API],
    "council_member": [START, PLANS, ACTIONS, API],
    "other_municipality": MANAGER_MENU,
}
# The entries without a condition: what a user without any membership sees.
MENU = [START, ACTIONS, API]


def menu_links(html: str) -> list[tuple[str, str, str | None]]:
    nav = re.search(r'<nav class="utrecht-nav-bar ov-nav".*?</nav>', html, re.S)
    if nav is None:
        return []
    return re.findall(
        r'<a class="utrecht-nav-list__link" href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>',
        nav.group(0),
    )


@pytest.mark.django_db
def test_each_role_sees_the_menu_of_its_permissions(client, world):
    for role in ROLES:
        login(client, world.users[role])
        page = client.get(reverse("actions:list"), follow=True).content.decode()
        links = [(url, label) for url, _current, label in menu_links(page)]
        assert links == [(reverse(name), label) for label, name in MENUS[role]], role


@pytest.mark.django_db
def test_the_current_page_and_section_are_marked(client, world):
    login(client, world.users["programme_manager"])
    links = menu_links(client.get(reverse("actions:list")).content.decode())
    assert [current for _url, current, _label in links] == ["", "", "page", "", "", "", "", ""]
    action = world.objects["a"]["action"]
    links = menu_links(client.get(reverse("actions:detail", args=[action.pk])).content.decode())
    assert [current for _url, current, _label in links] == ["", "", "true", "", "", "", "", ""]
    links = menu_links(client.get(reverse("dashboards:plan", args=["plan-a"])).content.decode())
    assert [current for _url, current, _label in links] == ["", "true", "", "", "", "", "", ""]


@pytest.mark.django_db
def test_menu_label_and_page_title_agree(client, world):
    login(client, world.users["programme_manager"])
    for label, name in (FIGURES, PLAN_IMPORT, PLANS):
        html = client.get(reverse(name)).content.decode()
        assert f"<title>{label} - Open Veiligheid</title>" in html, name
        assert re.search(rf'<h1 class="utrecht-heading-1">{label}</h1>', html), name
    login(client, world.users["action_lead"])
    html = client.get(reverse(MINE[1])).content.decode()
    assert "<title>Mijn acties - Open Veiligheid</title>" in html


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
