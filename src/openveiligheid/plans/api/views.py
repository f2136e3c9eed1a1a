from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action

from openveiligheid.core.api.permissions import ScopedQuerysetMixin, query_choice, query_int
from openveiligheid.core.numbers import database_id
from openveiligheid.organisations.scoping import VIEW
from openveiligheid.plans.api.serializers import GoalSerializer, PlanSerializer, ThemeSerializer
from openveiligheid.plans.models import Goal, Plan, Theme, Topic

PLAN_PARAMETER = OpenApiParameter("plan", OpenApiTypes.STR, description="Slug of the plan")
THEME_PARAMETER = OpenApiParameter("theme", OpenApiTypes.INT, description="Id of the theme")


def themes_for(user):
    """Themes visible to the user, with their topics, ready to serialise."""
    return (
        Theme.objects.restrict(user, VIEW)
        .select_related("plan")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("order", "id")))
        .order_by("plan__slug", "order", "id")
    )


@extend_schema_view(
    list=extend_schema(
        summary="List plans",
        parameters=[
            OpenApiParameter(
                "owner", OpenApiTypes.STR, description="Id or slug of the owning organisation"
            ),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Plan.Status.values),
        ],
    ),
    retrieve=extend_schema(summary="Retrieve a plan"),
)
class PlanViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Plans (IVP, execution plans) the user may see, looked up by slug. Drafts only for
    members with access to unpublished material."""

    scoped_model = Plan
    serializer_class = PlanSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("owner").order_by("-period_start", "title", "pk")
        if self.action != "list":
            return queryset
        owner = self.request.query_params.get("owner")
        if owner:
            # An id or a slug; "²" or a 30-digit number is neither and finds nothing, instead of
            # a server error.
            owner_id = database_id(owner)
            queryset = (
                queryset.filter(owner_id=owner_id)
                if owner_id is not None
                else queryset.filter(owner__slug=owner)
            )
        status = query_choice(self.request, "status", Plan.Status.choices)
        if status:
            queryset = queryset.filter(status=status)
        return queryset

    @extend_schema(summary="List the themes of a plan", responses=ThemeSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=ThemeSerializer)
    def themes(self, request, slug=None):
        plan = self.get_object()
        queryset = themes_for(request.user).filter(plan=plan)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ThemeSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="List themes", parameters=[PLAN_PARAMETER]),
    retrieve=extend_schema(summary="Retrieve a theme"),
)
class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    """Themes of the plans the user may see, with their topics."""

    serializer_class = ThemeSerializer

    def get_queryset(self):
        queryset = themes_for(self.request.user)
        plan = self.request.query_params.get("plan")
        if plan and self.action == "list":
            queryset = queryset.filter(plan__slug=plan)
        return queryset


@extend_schema_view(
    list=extend_schema(summary="List goals", parameters=[PLAN_PARAMETER, THEME_PARAMETER]),
    retrieve=extend_schema(summary="Retrieve a goal"),
)
class GoalViewSet(viewsets.ReadOnlyModelViewSet):
    """Goals of the themes the user may see."""

    serializer_class = GoalSerializer

    def get_queryset(self):
        # Goals have no scoped queryset of their own: they are as visible as their theme.
        themes = Theme.objects.restrict(self.request.user, VIEW)
        queryset = (
            Goal.objects.filter(theme__in=themes)
            .select_related("theme__plan")
            .order_by("theme__plan__slug", "theme__order", "theme_id", "order", "id")
        )
        if self.action == "list":
            plan = self.request.query_params.get("plan")
            if plan:
                queryset = queryset.filter(theme__plan__slug=plan)
            theme = query_int(self.request, "theme")
            if theme is not None:
                queryset = queryset.filter(theme_id=theme)
        return queryset
