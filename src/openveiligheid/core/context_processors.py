"""Values the page layout (core/templates/base.html) needs on every page."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

from openveiligheid.core.navigation import menu_for

# The header and the language and logout forms link to the same places on every page. Reversing
# them costs about 0.1 ms each, so they are resolved once per process (and script prefix, which
# reverse() includes). The menu entries come from the apps' registrations (core.navigation).
LAYOUT_URL_NAMES = {
    "home": "home",
    "set_language": "set_language",
    "logout": "logout",
}


@lru_cache(maxsize=8)
def _layout_urls(script_prefix: str) -> dict[str, str]:
    return {key: reverse(name) for key, name in LAYOUT_URL_NAMES.items()}


def layout_urls(request) -> dict:
    return {"layout_urls": _layout_urls(get_script_prefix())}


def main_menu(request) -> dict:
    """The menu entries for signed-in users; anonymous pages (login) show no menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_menu": []}
    return {"main_menu": menu_for(request)}
