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
from rest_framework import permissions, serializers
from rest_framework.settings import api_settings

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
    except DjangoValidationError as error:
        detail = serializers.as_serializer_error(error)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        raise serializers.ValidationError(detail) from error


def query_int(request, name: str) -> int | None:
    """An optional integer filter from the query string; a malformed one is a 400, not a 500."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as error:
        message = _("'%(value)s' is geen geldig nummer.") % {"value": value}
        raise serializers.ValidationError({name: [message]}) from error


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
