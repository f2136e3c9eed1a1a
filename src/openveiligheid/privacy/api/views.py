"""The audit trail through the API (read-only), for privacy officers: the entries of the
organisations where the user holds VIEW_AUDIT, searched with the same filters as the page
(privacy.filters.AuditEntryFilter). For anyone else the list is empty and an entry is not found,
as everywhere in the API."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from openveiligheid.core.api.permissions import ScopedQuerysetMixin
from openveiligheid.privacy.api.serializers import AuditEntrySerializer
from openveiligheid.privacy.filters import AuditEntryFilter
from openveiligheid.privacy.models import AuditEntry

FILTER_PARAMETERS = [
    OpenApiParameter("actor", OpenApiTypes.STR, description="Part of the user name"),
    OpenApiParameter(
        "object",
        OpenApiTypes.STR,
        description="Object type (signals.report), object id, or part of the object's text",
    ),
    OpenApiParameter("action", OpenApiTypes.STR, enum=AuditEntry.Action.values),
    OpenApiParameter("result", OpenApiTypes.STR, enum=AuditEntry.Result.values),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="From this day (YYYY-MM-DD)"),
    OpenApiParameter(
        "date_until", OpenApiTypes.DATE, description="Up to and including this day (YYYY-MM-DD)"
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="List audit entries",
        description=(
            "The audit trail of person-level data of the organisations where the user may see it "
            "(privacy officer), newest first."
        ),
        parameters=FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(summary="Retrieve an audit entry by its sequence number"),
)
class AuditEntryViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Audit entries (read-only; the trail is append-only)."""

    scoped_model = AuditEntry
    person_level_data = True
    serializer_class = AuditEntrySerializer
    lookup_field = "sequence"
    lookup_value_regex = "[0-9]{1,18}"

    def scope_queryset(self, queryset):
        queryset = queryset.order_by("-sequence")
        if self.action == "list":
            search = AuditEntryFilter(self.request.query_params, queryset=queryset)
            if not search.is_valid():
                raise serializers.ValidationError(search.errors)
            queryset = search.qs
        return queryset
