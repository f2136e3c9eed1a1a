"""Protection around every request, before and after the views: the Permissions-Policy header
(besides Django's own headers and the CSP), the request body guard, and the lock-out page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# No page of the product uses a camera, microphone, location, payments, USB or sensors; denying
# them means an injected script or a framed page cannot ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: a page in the product's style, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"lockout_minutes": minutes}, status=429)


# Far above any login or public form, far below any upload worth refusing unread.
ANONYMOUS_MULTIPART_BYTES = 64 * 1024


def public_upload_bound(path: str) -> int | None:
    """The most bytes an anonymous upload to `path` may have, if it is a public upload form."""
    for prefix, bound in settings.OPENVEILIGHEID_PUBLIC_UPLOAD_PATHS.items():
        if path.startswith(prefix):
            return bound
    return None


class RequestBodyGuard:
    """Refuses what no view would accept before anything reads the request body:

    - a body larger than OPENVEILIGHEID_MAX_REQUEST_BYTES (413), by its Content-Length;
    - a multipart body of more than ANONYMOUS_MULTIPART_BYTES (an upload) from someone who is
      not logged in: sent to the login page. Smaller ones pass: a login form may be sent as
      multipart too. The public forms in OPENVEILIGHEID_PUBLIC_UPLOAD_PATHS (path prefix: most
      bytes) take anonymous uploads up to their own bound; larger ones get 413.

    Without this, the CSRF check parses a multipart body (and writes its files to the temporary
    directory) before any view checks who sent it. Runs after the authentication middleware and
    before any view; the CSRF check only reads the body once the views' middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.OPENVEILIGHEID_MAX_REQUEST_BYTES:
            return HttpResponse(
                _("Dit verzoek is te groot."), status=413, content_type="text/plain; charset=utf-8"
            )
        is_upload = (
            request.content_type == "multipart/form-data" and length > ANONYMOUS_MULTIPART_BYTES
        )
        if is_upload and not request.user.is_authenticated:
            bound = public_upload_bound(request.path)
            if bound is None:
                return redirect_to_login(request.get_full_path())
            if length > bound:
                return HttpResponse(
                    _("Dit verzoek is te groot."),
                    status=413,
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)
