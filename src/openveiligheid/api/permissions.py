"""What every API endpoint shares: organisation scoping, object permissions and service errors.

- Lists and detail views read through `Model.objects.restrict(user, VIEW)`, so an object outside
  the user's scope is simply not found (404) and nobody learns it exists.
- Writes check `can(user, CHANGE, obj)` on an object the user can see: visible but not changeable
  gives 403.
- Writes go through the app's services; their Django ValidationErrors (Dutch messages) become a
  400 response with the same field names.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions, serializers
from rest_framework.settings import api_settings

from openveiligheid.organisations.scoping import CHANGE, VIEW, can


class ScopedChangePermission(permissions.BasePermission):
    """Object-level check for unsafe methods: the object must be changeable by the user.

    Reading needs no extra check: the object was found through the restricted queryset."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return can(request.user, CHANGE, obj)


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
        raise serializers.ValidationError({name: [f"'{value}' is geen geldig nummer."]}) from error


def query_choice(request, name: str, choices) -> str | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    allowed = [choice for choice, _label in choices]
    if value not in allowed:
        raise serializers.ValidationError(
            {name: [f"Onbekende waarde '{value}'; kies uit: {', '.join(allowed)}."]}
        )
    return value
