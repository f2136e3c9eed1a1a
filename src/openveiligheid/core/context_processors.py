"""Values the page layout (core/templates/base.html) needs on every page."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

# The header, the menu and the language and logout forms link to the same places on every page.
# Reversing them costs about 0.1 ms each, over a millisecond per page, so they are resolved once
# per process (and script prefix, which reverse() includes).
LAYOUT_URL_NAMES = {
    "home": "home",
    "actions": "actions:list",
    "meetings": "meetings:series-list",
    "imports": "imports:measurement-upload",
    "api_docs": "api-docs",
    "set_language": "set_language",
    "logout": "logout",
}


@lru_cache(maxsize=8)
def _layout_urls(script_prefix: str) -> dict[str, str]:
    return {key: reverse(name) for key, name in LAYOUT_URL_NAMES.items()}


def layout_urls(request) -> dict:
    return {"layout_urls": _layout_urls(get_script_prefix())}
