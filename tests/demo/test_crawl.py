"""Every link a role is offered works for that role: a crawl of the demo per demo account.

From the start page, every link on every page the role reaches is followed (the test client,
not a browser, for speed). A page kind (a view, with the same query parameters) is visited with
up to PER_VIEW different objects, which covers every kind of link without fetching the 2.800
pages of the whole demo; a link that resolves to no page at all is always reported. No link may
answer 403 or 404 (or fail), since then the page offered the role something it may not use.
"""

from collections import Counter, deque
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from openveiligheid.demo.loader import DEMO_ACCOUNTS
from tests.demo.helpers import remove_demo
from tests.permissions import login

pytestmark = pytest.mark.django_db

PER_VIEW = 3
# Not pages of the product: the API's own browsable pages, Django's admin (superusers only) and
# the language switch and login (forms, not links).
OUTSIDE = ("/api/", "/beheer/", "/i18n/", "/accounts/", "/static/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.links.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def crawl(client, start: str) -> tuple[Counter, list[tuple[int, str, str]]]:
    """The views reached (with how many pages each) and the broken links: (status, url, page)."""
    queue = deque([(start, "(inloggen)")])
    seen: set[str] = set()
    per_view: Counter = Counter()
    broken = []
    while queue:
        url, source = queue.popleft()
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site (a source's own website) or an anchor on the page
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if target in seen or parts.path.startswith(OUTSIDE):
            continue
        seen.add(target)
        try:
            match = resolve(parts.path)
        except Resolver404:
            broken.append((404, target, source))
            continue
        key = (match.view_name, tuple(sorted(k.split("=")[0] for k in parts.query.split("&"))))
        if per_view[key] >= PER_VIEW:
            continue
        per_view[key] += 1
        response = client.get(target)
        if response.status_code >= 400:
            broken.append((response.status_code, target, source))
            continue
        if response.status_code in (301, 302):
            queue.append((response["Location"], target))
            continue
        if response["Content-Type"].startswith("text/html"):
            queue.extend((link, target) for link in links_of(response.content.decode()))
    return Counter(view for view, _query in per_view.elements()), broken


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load-demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        remove_demo()


# The main tasks each demo account reaches by clicking (tests/browser/test_roles.py does them
# in a browser): the crawl must reach their pages too.
REACHED = {
    "beheerder": {
        "actions:mine",
        "actions:plan-list",
        "actions:action-plan-create",
        "actions:create",
        "action_sheets:upload",
        "actions:next-year",
        "imports:measurement-upload",
        "plan_imports:upload",
        "meetings:agenda",
        "programme:detail",
        "organisations:users",
        "organisations:roles",
    },
    "programmamanager": {
        "actions:plan-list",
        "actions:action-plan-create",
        "actions:create",
        "action_sheets:upload",
        "actions:next-year",
        "imports:measurement-upload",
        "imports:mapping-list",
        "plan_imports:upload",
        "meetings:agenda",
        "programme:detail",
        "indicators:detail",
    },
    "adviseur": {"actions:mine", "indicators:detail", "meetings:calendar"},
    "actiehouder": {"actions:mine", "actions:edit", "dashboards:theme"},
    "raadslid": {"dashboards:plan", "dashboards:theme", "indicators:detail", "programme:detail"},
    "politie": {"actions:mine", "actions:detail", "actions:list"},
    "oij-programmamanager": {"actions:plan-list", "actions:create", "imports:measurement-upload"},
}
# What a role is never offered.
NOT_REACHED = {
    "programmamanager": {"organisations:users"},
    "adviseur": {"imports:measurement-upload", "plan_imports:upload", "actions:create"},
    "actiehouder": {"imports:measurement-upload", "plan_imports:upload", "actions:create"},
    "raadslid": {"meetings:series-list", "actions:mine", "imports:measurement-upload"},
    "politie": {"dashboards:plan", "dashboards:theme", "meetings:series-list"},
}


def test_every_demo_account_is_covered():
    assert set(REACHED) == {username for username, *_rest in DEMO_ACCOUNTS}


@pytest.mark.parametrize("username", [username for username, *_rest in DEMO_ACCOUNTS])
def test_no_link_a_role_is_offered_is_refused(loaded_demo, client, username):
    login(client, get_user_model().objects.get(username=username))  # with a second factor
    views, broken = crawl(client, reverse("home"))
    assert not broken, "\n".join(f"{code} {url} (link on {page})" for code, url, page in broken)
    assert REACHED[username] <= set(views), REACHED[username] - set(views)
    assert not NOT_REACHED.get(username, set()) & set(views)
