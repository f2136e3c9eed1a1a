"""The main menu as a registry: each app registers its own entries from its `navigation.py`
(imported in its AppConfig.ready(), as NetBox does), so core names no domain URL.

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
