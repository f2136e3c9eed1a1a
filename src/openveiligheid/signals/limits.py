"""How many reports one client may send to the meldpunt per hour: one counter per client
address in the cache, shared by the page and the public API, so that switching between them
gains nothing."""

from django.conf import settings
from django.core.cache import cache

from openveiligheid.privacy.services import origin_of

WINDOW_SECONDS = 3600


def over_submission_limit(request) -> bool:
    """Counts this client's submission (valid or not); True once it passes the hourly limit."""
    client = origin_of(request).ip_address or "unknown"
    key = f"signals:submissions:{client}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count > settings.OPENVEILIGHEID_MELDPUNT_REPORTS_PER_HOUR
