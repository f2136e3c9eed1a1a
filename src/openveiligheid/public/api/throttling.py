"""The throttles of /api/public/: per client address, with a rate per scope from
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (API_THROTTLE_PUBLIC, API_THROTTLE_PUBLIC_REPORT)."""

from rest_framework.throttling import ScopedRateThrottle

from openveiligheid.privacy.services import origin_of


class PublicRateThrottle(ScopedRateThrottle):
    """Counts per client address as the login lock-out and the meldpunt page see it (behind
    TRUSTED_PROXY_COUNT proxies only): DRF's own reading of X-Forwarded-For would let a client
    name a new address with every request."""

    def get_ident(self, request):
        return origin_of(request).ip_address or "unknown"
