from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from openveiligheid.actions import services
from openveiligheid.actions.api.serializers import (
    ActionDetailSerializer,
    ActionPlanSerializer,
    ActionSerializer,
    ActionUpdateSerializer,
    ProgressUpdateRequestSerializer,
    ProgressUpdateSerializer,
    StatusChangeRequestSerializer,
)
from openveiligheid.actions.models import (
    Action,
    ActionPlan,
    ActionStatus,
    ActionStatusChange,
    ProgressUpdate,
)
from openveiligheid.api.permissions import (
    VIEW,
    ScopedQuerysetMixin,
    query_choice,
    query_int,
    service_errors,
)

PLAN_PARAMETER = OpenApiParameter(
    "plan", OpenApiTypes.STR, description="Korte naam (slug) van het plan"
)


def with_history(queryset):
    """Actions with what the detail shows: related names, partners, status history, progress."""
    return queryset.select_related(
        "action_plan__plan", "lead_organisation", "lead_person"
    ).prefetch_related(
        "partners",
        Prefetch(
            "status_history", queryset=ActionStatusChange.objects.select_related("changed_by")
        ),
        Prefetch("progress_updates", queryset=ProgressUpdate.objects.select_related("author")),
    )


@extend_schema_view(
    list=extend_schema(summary="Actieplannen", parameters=[PLAN_PARAMETER]),
    retrieve=extend_schema(summary="Actieplan"),
)
class ActionPlanViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    scoped_model = ActionPlan
    serializer_class = ActionPlanSerializer

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("plan").order_by("plan__slug", "year_start", "id")
        plan = self.request.query_params.get("plan")
        if plan and self.action == "list":
            queryset = queryset.filter(plan__slug=plan)
        return queryset


@extend_schema_view(
    list=extend_schema(
        summary="Acties",
        parameters=[
            PLAN_PARAMETER,
            OpenApiParameter("action_plan", OpenApiTypes.INT, description="Id van het actieplan"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ActionStatus.values),
            OpenApiParameter("theme", OpenApiTypes.INT, description="Id van het thema"),
        ],
    ),
    retrieve=extend_schema(
        summary="Actie met statusgeschiedenis en voortgangsberichten",
        responses=ActionDetailSerializer,
    ),
    partial_update=extend_schema(
        summary="Actie bijwerken",
        request=ActionUpdateSerializer,
        responses=ActionDetailSerializer,
    ),
)
class ActionViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scoped_model = Action
    serializer_class = ActionSerializer

    def get_serializer_class(self):
        if self.action == "list":
            return ActionSerializer
        if self.action == "partial_update":
            return ActionUpdateSerializer
        if self.action == "status":
            return StatusChangeRequestSerializer
        if self.action == "progress":
            return ProgressUpdateRequestSerializer
        return ActionDetailSerializer

    def scope_queryset(self, queryset):
        queryset = queryset.select_related(
            "action_plan__plan", "lead_organisation", "lead_person"
        ).prefetch_related("partners")
        if self.action == "retrieve":
            queryset = with_history(queryset)
        queryset = queryset.order_by("action_plan__plan__slug", "action_plan_id", "order", "id")
        if self.action == "list":
            plan = self.request.query_params.get("plan")
            if plan:
                queryset = queryset.filter(action_plan__plan__slug=plan)
            action_plan = query_int(self.request, "action_plan")
            if action_plan is not None:
                queryset = queryset.filter(action_plan_id=action_plan)
            status_filter = query_choice(self.request, "status", ActionStatus.choices)
            if status_filter:
                queryset = queryset.filter(status=status_filter)
            theme = query_int(self.request, "theme")
            if theme is not None:
                queryset = queryset.filter(theme_id=theme)
        return queryset

    def _detail(self, action_obj) -> Response:
        """The action as GET shows it, after a write (re-read, with its history)."""
        fresh = with_history(Action.objects.restrict(self.request.user, VIEW)).filter(
            pk=action_obj.pk
        ).first()
        return Response(ActionDetailSerializer(fresh or action_obj).data)

    def partial_update(self, request, *args, **kwargs):
        action_obj = self.get_object()
        serializer = ActionUpdateSerializer(action_obj, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            action_obj = services.update_action(
                action_obj, actor=request.user, **serializer.validated_data
            )
        return self._detail(action_obj)

    @extend_schema(
        summary="Status van een actie wijzigen",
        description="Alleen toegestane overgangen; een andere geeft 400 met de reden.",
        request=StatusChangeRequestSerializer,
        responses=ActionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        action_obj = self.get_object()
        serializer = StatusChangeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            action_obj = services.change_status(
                action_obj,
                serializer.validated_data["status"],
                actor=request.user,
                note=serializer.validated_data["note"],
            )
        return self._detail(action_obj)

    @extend_schema(
        summary="Voortgangsbericht toevoegen",
        request=ProgressUpdateRequestSerializer,
        responses={201: ProgressUpdateSerializer},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        action_obj = self.get_object()
        serializer = ProgressUpdateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            update = services.add_progress_update(
                action_obj,
                text=serializer.validated_data["text"],
                progress=serializer.validated_data.get("progress"),
                actor=request.user,
            )
        return Response(ProgressUpdateSerializer(update).data, status=HTTP_201_CREATED)
