from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from openveiligheid.core.api.permissions import ScopedQuerysetMixin
from openveiligheid.programme.api.serializers import (
    ProgrammeDetailSerializer,
    ProgrammeSerializer,
)
from openveiligheid.programme.models import (
    Assignment,
    BudgetAmount,
    BudgetLine,
    Participant,
    Pillar,
    Programme,
    ProgrammeRole,
    Risk,
)
from openveiligheid.programme.selectors import budget_totals


@extend_schema_view(
    list=extend_schema(
        summary="List programmes",
        parameters=[
            OpenApiParameter("plan", OpenApiTypes.STR, description="Slug of the plan"),
        ],
    ),
    retrieve=extend_schema(
        summary="Retrieve a programme",
        description=(
            "Pillars with their assignments (opgaves), roles, participants, risks, budget lines "
            "and the budget totals per year."
        ),
    ),
)
class ProgrammeViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Programmes, one per plan, looked up by the id the list gives; ?plan=<slug> lists the
    programme of one plan."""

    scoped_model = Programme

    def get_serializer_class(self):
        return ProgrammeDetailSerializer if self.action == "retrieve" else ProgrammeSerializer

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("plan").order_by("plan__slug", "id")
        plan = self.request.query_params.get("plan")
        if plan and self.action == "list":
            queryset = queryset.filter(plan__slug=plan)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "pillars",
                    queryset=Pillar.objects.prefetch_related(
                        Prefetch("assignments", queryset=Assignment.objects.order_by("order", "id"))
                    ),
                ),
                Prefetch("roles", queryset=ProgrammeRole.objects.all()),
                Prefetch(
                    "participants", queryset=Participant.objects.select_related("organisation")
                ),
                Prefetch("risks", queryset=Risk.objects.all()),
                Prefetch(
                    "budget_lines",
                    queryset=BudgetLine.objects.prefetch_related(
                        Prefetch("amounts", queryset=BudgetAmount.objects.order_by("year"))
                    ),
                ),
            )
        return queryset

    def retrieve(self, request, *args, **kwargs):
        programme = self.get_object()
        programme.budget_totals = [
            {"year": year, "amount": amount} for year, amount in budget_totals(programme).items()
        ]
        return Response(ProgrammeDetailSerializer(programme).data)
