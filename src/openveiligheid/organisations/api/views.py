from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from openveiligheid.core.api.permissions import query_choice
from openveiligheid.organisations.api.serializers import OrganisationSerializer
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.scoping import access_for


def visible_organisations(user):
    """The organisations a user is a member of, the regions (samenwerkingsverbanden) those take
    part in, and the municipalities and partners taking part in those regions.

    Organisation has no scoped queryset of its own (it is the scope), so its reach is derived
    from the same Access object that every restrict() uses."""
    access = access_for(user)
    if access is None:
        return Organisation.objects.none()
    if access.is_superuser:
        return Organisation.objects.all()
    own_and_regions = access.member_orgs
    regions = Organisation.objects.filter(
        pk__in=own_and_regions, kind=Organisation.Kind.REGION
    ).values("pk")
    return Organisation.objects.filter(
        Q(pk__in=own_and_regions)
        | Q(
            pk__in=Organisation.members.through.objects.filter(
                from_organisation_id__in=regions
            ).values("to_organisation_id")
        )
    )


@extend_schema_view(
    list=extend_schema(
        summary="List organisations",
        description=(
            "The organisations the user is a member of, the regions (samenwerkingsverbanden) "
            "these take part in, and the municipalities and partners taking part in those regions."
        ),
        parameters=[
            OpenApiParameter(
                "kind", str, enum=Organisation.Kind.values, description="Kind of organisation"
            ),
        ],
    ),
    retrieve=extend_schema(summary="Retrieve an organisation"),
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations within the user's reach (read-only)."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        queryset = visible_organisations(self.request.user).order_by("name", "pk")
        kind = query_choice(self.request, "kind", Organisation.Kind.choices)
        if kind and self.action == "list":
            queryset = queryset.filter(kind=kind)
        return queryset
