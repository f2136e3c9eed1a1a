"""/api/public/v1/: a municipality's published reports and the open data of its adopted plans'
indicators. No login, no session: read-only, for anyone, throttled per client address."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from openveiligheid.public import selectors
from openveiligheid.public.api.serializers import (
    IndicatorSeriesSerializer,
    PublicIndicatorSerializer,
    PublicPlanSerializer,
    PublicReportSerializer,
)
from openveiligheid.public.api.throttling import PublicRateThrottle
from openveiligheid.public.opendata import series_csv, series_json


class PublicAPIView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "public"
    renderer_classes = [JSONRenderer]


class ReportList(PublicAPIView, generics.ListAPIView):
    """The municipality's published reports (every version), newest period first."""

    serializer_class = PublicReportSerializer

    def get_queryset(self):
        return selectors.published_reports(selectors.municipality(self.kwargs["organisation"]))


class PlanList(PublicAPIView, generics.ListAPIView):
    """The municipality's adopted plans."""

    serializer_class = PublicPlanSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.adopted_plans(
            selectors.municipality(self.kwargs["organisation"])
        ).select_related("owner")


class IndicatorList(PublicAPIView):
    """Every indicator of an adopted plan with its start, latest and previous value, target and
    status; counts below the threshold suppressed."""

    @extend_schema(responses=PublicIndicatorSerializer(many=True))
    def get(self, request, organisation, plan):
        plan = selectors.adopted_plan(selectors.municipality(organisation), plan)
        rows = selectors.public_indicators(plan)
        return Response(
            PublicIndicatorSerializer(rows, many=True, context={"request": request}).data
        )


def _indicator(organisation: str, plan: str, indicator: str):
    plan = selectors.adopted_plan(selectors.municipality(organisation), plan)
    return selectors.public_indicator(plan, indicator)


class IndicatorJSON(PublicAPIView):
    """One indicator's series (open data), the same values as the CSV."""

    @extend_schema(responses=IndicatorSeriesSerializer)
    def get(self, request, organisation, plan, indicator):
        return Response(series_json(_indicator(organisation, plan, indicator)))


class IndicatorCSV(PublicAPIView):
    """One indicator's series as CSV (comma separated, decimal point, UTF-8)."""

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description=(
                    "Columns: periode, periode_omschrijving, waarde (empty when suppressed), "
                    "weergave, onderdrukt, voorbeelddata, eenheid, gebied_code, gebied."
                ),
            )
        }
    )
    def get(self, request, organisation, plan, indicator):
        found = _indicator(organisation, plan, indicator)
        response = HttpResponse(series_csv(found), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{found.plan.slug}-{found.slug}.csv"'
        )
        return response
