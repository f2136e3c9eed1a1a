"""The main menu and the start page as registries: each app registers its own menu entries and
start-page sections from its `navigation.py` (imported in its AppConfig.ready(), as NetBox does),
so core names no domain URL and the start page of a role is what the apps offer that role.

URLs are reversed once per process (and script prefix): reversing costs about 0.1 ms per name,
which on every page adds up; what depends on the request (the condition, which entry is current)
is decided per request over the few registered entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class MenuItem:
    """One entry of the main menu.

    `order` places it among the other apps' entries; `section` is the URL namespace whose pages
    belong to the entry (they mark it as the current section); `condition`, when given, decides
    per request whether the entry is shown (e.g. a permission check of the registering app)."""

    label: str
    url_name: str
    order: int
    section: str | None = None
    condition: Callable[[HttpRequest], bool] | None = None


@dataclass(frozen=True)
class MenuEntry:
    """A menu item as one request shows it."""

    label: str
    url: str
    # "page" on the entry's own page, "true" elsewhere in its section (aria-current values).
    current: str | None


_registry: dict[str, MenuItem] = {}


def register(*items: MenuItem) -> None:
    """Add entries to the menu; registering a URL name again replaces its entry."""
    for item in items:
        _registry[item.url_name] = item
    _resolved_menu.cache_clear()


def registered_items() -> list[MenuItem]:
    return sorted(_registry.values(), key=lambda item: (item.order, item.url_name))


@lru_cache(maxsize=8)
def _resolved_menu(script_prefix: str) -> tuple[tuple[MenuItem, str], ...]:
    return tuple((item, reverse(item.url_name)) for item in registered_items())


def menu_for(request: HttpRequest) -> list[MenuEntry]:
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else None
    namespace = match.namespace if match else None
    entries = []
    for item, url in _resolved_menu(get_script_prefix()):
        if item.condition is not None and not item.condition(request):
            continue
        if view_name == item.url_name:
            current = "page"
        elif item.section and namespace == item.section:
            current = "true"
        else:
            current = None
        entries.append(MenuEntry(label=item.label, url=url, current=current))
    return entries


@dataclass(frozen=True)
class StartSection:
    """One section of the start page (the page a user lands on after logging in).

    `render` returns the section's HTML for the request, or an empty string when it has nothing
    to show; `condition`, when given, decides from the user's permissions alone (no query)
    whether the section applies to the user at all. Sections appear in `order`."""

    name: str
    order: int
    render: Callable[[HttpRequest], SafeString | str]
    condition: Callable[[HttpRequest], bool] | None = None


_start_sections: dict[str, StartSection] = {}


def register_start_section(*sections: StartSection) -> None:
    """Add sections to the start page; registering a name again replaces its section."""
    for section in sections:
        _start_sections[section.name] = section


def start_sections_for(request: HttpRequest) -> list[SafeString | str]:
    """The rendered sections of the start page that apply to the user and have content."""
    rendered = []
    for section in sorted(_start_sections.values(), key=lambda item: (item.order, item.name)):
        if section.condition is not None and not section.condition(request):
            continue
        html = section.render(request)
        if html:
            rendered.append(html)
    return rendered
