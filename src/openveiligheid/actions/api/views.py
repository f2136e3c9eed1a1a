from collections.abc import Mapping

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.status import HTTP_201_CREATED

from openveiligheid.actions import services
from openveiligheid.actions.api.serializers import (
    ActionDetailSerializer,
    ActionPlanSerializer,
    ActionSerializer,
    ActionUpdateSerializer,
    NewProgressUpdateSerializer,
    NewStatusSerializer,
    ProgressUpdateSerializer,
)
from openveiligheid.actions.filters import ActionFilterSet
from openveiligheid.actions.models import (
    EDIT,
    Action,
    ActionPlan,
    ActionStatus,
    ActionStatusChange,
    ProgressUpdate,
)
from openveiligheid.actions.selectors import can_grant_partner_edit
from openveiligheid.core.api.permissions import (
    ScopedQuerysetMixin,
    expected_version,
    service_errors,
)
from openveiligheid.core.concurrency import etag
from openveiligheid.organisations.scoping import VIEW, access_for, can

PLAN_PARAMETER = OpenApiParameter("plan", OpenApiTypes.STR, description="Slug of the plan")


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
    list=extend_schema(summary="List action plans", parameters=[PLAN_PARAMETER]),
    retrieve=extend_schema(summary="Retrieve an action plan"),
)
class ActionPlanViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Action plans (uitvoeringsprogramma's) of the plans the user may see."""

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
        summary="List actions",
        parameters=[
            PLAN_PARAMETER,
            OpenApiParameter("action_plan", OpenApiTypes.INT, description="Id of the action plan"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ActionStatus.values),
            OpenApiParameter("theme", OpenApiTypes.INT, description="Id of the theme"),
            OpenApiParameter(
                "lead", OpenApiTypes.STR, description="org-<id> or unit-<id> of the lead"
            ),
            OpenApiParameter("partner", OpenApiTypes.INT, description="Id of a partner"),
            OpenApiParameter(
                "due", OpenApiTypes.STR, description="A quarter (2017-Q2) or 'doorlopend'"
            ),
            OpenApiParameter("unplanned", OpenApiTypes.STR, enum=["ja", "nee"]),
            OpenApiParameter("scope", OpenApiTypes.STR, enum=["onze"], description="Led by us"),
            OpenApiParameter("q", OpenApiTypes.STR, description="Text to search for"),
        ],
    ),
    retrieve=extend_schema(
        summary="Retrieve an action with its status history and progress updates",
        responses=ActionDetailSerializer,
    ),
    partial_update=extend_schema(
        summary="Update the editable fields of an action",
        request=ActionUpdateSerializer,
        responses=ActionDetailSerializer,
    ),
)
class ActionViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Actions: read what the user may see; leads, partners and action managers update
    them, change their status and add progress updates."""

    scoped_model = Action
    serializer_class = ActionSerializer

    def get_serializer_class(self):
        if self.action == "list":
            return ActionSerializer
        if self.action == "partial_update":
            return ActionUpdateSerializer
        if self.action == "status":
            return NewStatusSerializer
        if self.action == "progress":
            return NewProgressUpdateSerializer
        return ActionDetailSerializer

    def scope_queryset(self, queryset):
        if self.action == "retrieve":
            queryset = with_history(queryset)
        else:
            queryset = queryset.select_related(
                "action_plan__plan", "lead_organisation", "lead_person"
            ).prefetch_related("partners")
        queryset = queryset.order_by("action_plan__plan__slug", "action_plan_id", "order", "id")
        if self.action == "list":
            # The filters of the list page and its export (actions.filters), by plan and by
            # action plan at once; an invalid value is a 400 with the form's Dutch message.
            filterset = ActionFilterSet(
                self.request.query_params,
                queryset,
                request=self.request,
                organisation_ids=set(access_for(self.request.user).permissions),
                all_fields=True,
            )
            if not filterset.is_valid():
                raise ValidationError(filterset.errors)
            queryset = filterset.qs
        return queryset

    def _detail(self, action_obj) -> Response:
        """The action as GET shows it, after a write (re-read, with its history)."""
        fresh = (
            with_history(Action.objects.restrict(self.request.user, VIEW))
            .filter(pk=action_obj.pk)
            .first()
        )
        current = fresh or action_obj
        return Response(ActionDetailSerializer(current).data, headers={"ETag": etag(current)})

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def partial_update(self, request, *args, **kwargs):
        action_obj = self.get_object()
        if not can(request.user, EDIT, action_obj):
            raise PermissionDenied(
                _(
                    "U meldt voortgang en status van deze actie; wat de eigenaar besluit "
                    "(beschrijving, trekker, partners, termijn) wijzigt u niet."
                )
            )
        # A body that is no JSON object is refused by the serializer below.
        granting = isinstance(request.data, Mapping) and "partners_may_edit" in request.data
        if granting and not can_grant_partner_edit(request.user, action_obj):
            raise PermissionDenied(_("Alleen de eigenaar van de actie bepaalt dit."))
        serializer = ActionUpdateSerializer(action_obj, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            action_obj = services.update_action(
                action_obj,
                actor=request.user,
                expected_version=expected_version(request),
                **serializer.validated_data,
            )
        return self._detail(action_obj)

    @extend_schema(
        summary="Change the status of an action",
        description=(
            "Only the allowed transitions (see allowed_transitions); another gives 400 with the "
            "reason. The change is appended to the status history."
        ),
        request=NewStatusSerializer,
        responses=ActionDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        action_obj = self.get_object()
        serializer = NewStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            action_obj = services.change_status(
                action_obj,
                serializer.validated_data["status"],
                actor=request.user,
                note=serializer.validated_data["note"],
                expected_version=expected_version(request),
            )
        return self._detail(action_obj)

    @extend_schema(
        summary="Add a progress update to an action",
        request=NewProgressUpdateSerializer,
        responses={201: ProgressUpdateSerializer},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        action_obj = self.get_object()
        serializer = NewProgressUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            update = services.add_progress_update(
                action_obj,
                text=serializer.validated_data["text"],
                progress=serializer.validated_data.get("progress"),
                actor=request.user,
                expected_version=expected_version(request),
            )
        return Response(ProgressUpdateSerializer(update).data, status=HTTP_201_CREATED)
