"""What every API endpoint shares: organisation scoping, object permissions and service errors.

- Lists and detail views read through `Model.objects.restrict(user, VIEW)`, so an object outside
  the user's scope is simply not found (404) and nobody learns it exists.
- Writes check that the object is in `restrict(user, CHANGE)` too: visible but not changeable
  gives 403.
- Writes go through the app's services; their Django ValidationErrors (Dutch messages) become a
  400 response with the same field names.

`restrict` is the scoping protocol that `organisations.scoping.ScopedQuerySet` implements; these
helpers use only that method, so core needs no import of the domain apps.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import permissions, serializers
from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings

from openveiligheid.core.concurrency import EditConflict, version_from_headers
from openveiligheid.core.numbers import LARGEST_DATABASE_INTEGER

# The two actions of `Model.objects.restrict(user, action)`.
VIEW = "view"
CHANGE = "change"


class ScopedChangePermission(permissions.BasePermission):
    """Object-level check for unsafe methods: the object must be changeable by the user.

    Reading needs no extra check: the object was found through the restricted queryset."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        changeable = type(obj).objects.filter(pk=obj.pk).restrict(request.user, CHANGE)
        return changeable.exists()


class ScopedQuerysetMixin:
    """A viewset whose queryset is always the model's queryset restricted to what the user sees.

    Subclasses set `scoped_model` and may narrow or enrich the queryset in `scope_queryset`."""

    scoped_model = None
    permission_classes = [permissions.IsAuthenticated, ScopedChangePermission]

    def get_queryset(self):
        queryset = self.scoped_model.objects.restrict(self.request.user, VIEW)
        return self.scope_queryset(queryset)

    def scope_queryset(self, queryset):
        return queryset


@contextmanager
def service_errors():
    """Turn a service's Django ValidationError into DRF's, so the client gets a 400 with the
    service's Dutch messages keyed by field (errors without a field under non_field_errors)."""
    try:
        yield
    except EditConflict as conflict:
        raise PreconditionFailed(conflict.message) from conflict
    except DjangoValidationError as error:
        detail = serializers.as_serializer_error(error)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        raise serializers.ValidationError(detail) from error


def query_int(request, name: str) -> int | None:
    """An optional integer filter from the query string; a malformed or out-of-range one is a
    400, not a 500."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    message = _("'%(value)s' is geen geldig nummer.") % {"value": value}
    if not (value.isascii() and value.lstrip("-").isdigit()):
        raise serializers.ValidationError({name: [message]})
    number = int(value)
    if abs(number) > LARGEST_DATABASE_INTEGER:
        raise serializers.ValidationError({name: [message]})
    return number


class PreconditionFailed(APIException):
    status_code = 412
    default_code = "precondition_failed"
    default_detail = gettext_lazy(
        "Deze versie is niet meer de huidige; haal het object opnieuw op (GET) en stuur de "
        "ETag mee als If-Match."
    )


# The schema of the conditional-write headers that expected_version reads.
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag of a GET: write only if the object is still that version (else 412).",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    enum=["*"],
    description="'*': only create; when the object exists the answer is 412.",
)
PRECONDITION_FAILED = OpenApiResponse(
    description="The object changed since the ETag sent as If-Match (or exists, with "
    "If-None-Match: *); nothing was written."
)


def expected_version(request) -> int | None:
    """The version an API write was made on: the If-Match header (the ETag of a GET), or
    `If-None-Match: *` for a write that may only create."""
    try:
        return version_from_headers(
            request.headers.get("If-Match"), request.headers.get("If-None-Match")
        )
    except ValueError:
        raise PreconditionFailed(
            _(
                "If-Match bevat geen ETag van dit object, zoals een GET die geeft "
                "(of If-None-Match is niet '*')."
            )
        ) from None


def query_choice(request, name: str, choices) -> str | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    allowed = [choice for choice, _label in choices]
    if value not in allowed:
        message = _("Onbekende waarde '%(value)s'; kies uit: %(allowed)s.") % {
            "value": value,
            "allowed": ", ".join(allowed),
        }
        raise serializers.ValidationError({name: [message]})
    return value
