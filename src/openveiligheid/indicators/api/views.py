from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from openveiligheid.areas.models import Area
from openveiligheid.core.api.permissions import (
    IF_MATCH,
    IF_NONE_MATCH,
    PRECONDITION_FAILED,
    ScopedQuerysetMixin,
    expected_version,
    query_choice,
    query_int,
    service_errors,
)
from openveiligheid.core.concurrency import etag
from openveiligheid.core.periods import parse_period
from openveiligheid.indicators import services
from openveiligheid.indicators.api.serializers import (
    IndicatorDetailSerializer,
    IndicatorSerializer,
    InterpretationCreateSerializer,
    InterpretationSerializer,
    MeasurementCreateSerializer,
    MeasurementSerializer,
    SignalCategoryLinkSerializer,
)
from openveiligheid.indicators.filters import IndicatorFilterSet
from openveiligheid.indicators.models import PERIOD_CHOICES, Indicator, Interpretation, Measurement
from openveiligheid.indicators.selectors import indicators_with_targets, statuses_for
from openveiligheid.organisations.scoping import CHANGE, get_scoped_object_or_404
from openveiligheid.signals.models import Category

INDICATOR_PARAMETER = OpenApiParameter(
    "indicator", OpenApiTypes.INT, description="Id of the indicator"
)
PERIOD_TYPE_PARAMETER = OpenApiParameter(
    "period_type", OpenApiTypes.STR, enum=[choice for choice, _label in PERIOD_CHOICES]
)


def attach_statuses(indicators: list[Indicator]) -> list[Indicator]:
    """Compute the status of a page of indicators at once (a fixed number of queries)."""
    statuses = statuses_for(indicators)
    for indicator in indicators:
        indicator.current_status = statuses[indicator.pk]
    return indicators


def area_for(indicator: Indicator, code: str | None) -> Area:
    """The area named by its CBS code, by default the indicator's own. Whether it lies within
    the indicator's area is a rule of record_measurement."""
    if not code:
        return indicator.area
    area = Area.objects.filter(code=code.strip().upper()).first()
    if area is None:
        raise serializers.ValidationError(
            {"area": [_("Onbekend gebied: '%(code)s'.") % {"code": code}]}
        )
    return area


def changeable_indicator(request) -> Indicator:
    """The indicator named in the request body, if the user may record figures for it: 404 when
    it is out of sight, 403 when visible but not theirs to change. Checked before the rest of
    the body so that the answer does not depend on what else was sent."""
    indicator_id = request.data.get("indicator") if hasattr(request.data, "get") else None
    try:
        indicator_id = int(indicator_id)
    except (TypeError, ValueError) as error:
        raise serializers.ValidationError({"indicator": [_("Kies een indicator.")]}) from error
    return get_scoped_object_or_404(
        Indicator.objects.select_related("area"), request.user, CHANGE, pk=indicator_id
    )


def measurement_exists(indicator, area, period_code: str) -> bool:
    """Whether record_measurement will update rather than create (for the status code)."""
    try:
        period = parse_period(period_code)
    except ValueError:
        return False
    return Measurement.objects.filter(
        indicator=indicator, area=area, period_type=period.type, period_start=period.start
    ).exists()


@extend_schema_view(
    list=extend_schema(
        summary="List indicators with target and current status",
        parameters=[
            OpenApiParameter("plan", OpenApiTypes.STR, description="Slug of the plan"),
            OpenApiParameter("theme", OpenApiTypes.INT, description="Id of the theme"),
        ],
    ),
    retrieve=extend_schema(summary="Retrieve an indicator with its series, target and status"),
)
class IndicatorViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Indicators with their target and current status (met, on course, off course, no data)."""

    scoped_model = Indicator
    serializer_class = IndicatorSerializer

    def get_serializer_class(self):
        return IndicatorDetailSerializer if self.action == "retrieve" else IndicatorSerializer

    def scope_queryset(self, queryset):
        queryset = (
            indicators_with_targets(queryset)
            .select_related("plan", "signal_category")
            .order_by("plan__slug", "theme__order", "order", "id")
        )
        if self.action == "list":
            filterset = IndicatorFilterSet(
                self.request.query_params, queryset, request=self.request
            )
            if not filterset.is_valid():
                raise serializers.ValidationError(filterset.errors)
            queryset = filterset.qs
        return queryset

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer(attach_statuses(list(page)), many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        indicator = attach_statuses([self.get_object()])[0]
        return Response(self.get_serializer(indicator).data)

    @extend_schema(
        summary="Choose the meldpunt category an indicator counts",
        description=(
            "Ties a count indicator to a meldpunt category of the plan's municipality (or unties "
            "it with null), as the indicator's page does: its measurements are then the counts "
            "of reports per period (`openveiligheid signal-counts`). Refused with the service's "
            "Dutch message for another municipality's category, another unit, a derived "
            "indicator or one that follows a district."
        ),
        request=SignalCategoryLinkSerializer,
        responses=IndicatorDetailSerializer,
    )
    @action(detail=True, methods=["post"], url_path="signal-category", url_name="signal-category")
    def signal_category(self, request, pk=None):
        indicator = self.get_object()
        serializer = SignalCategoryLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        category_id = serializer.validated_data["signal_category"]
        category = None
        if category_id is not None:
            # Any category: whether it may be counted is the service's rule and message.
            category = (
                Category.objects.select_related("organisation").filter(pk=category_id).first()
            )
            if category is None:
                raise serializers.ValidationError(
                    {"signal_category": [_("Kies een categorie uit de lijst.")]}
                )
        with service_errors():
            services.link_signal_category(indicator, category, actor=request.user)
        indicator = attach_statuses([self.get_queryset().get(pk=indicator.pk)])[0]
        return Response(IndicatorDetailSerializer(indicator).data)


@extend_schema_view(
    list=extend_schema(
        summary="List measurements",
        parameters=[
            INDICATOR_PARAMETER,
            OpenApiParameter("area", OpenApiTypes.STR, description="CBS code of the area"),
            PERIOD_TYPE_PARAMETER,
        ],
    ),
    retrieve=extend_schema(summary="Retrieve a measurement"),
    create=extend_schema(
        summary="Record a measurement",
        description=(
            "Records the value of an indicator for a period and area through the indicator "
            "service (unit and period are validated; messages are in Dutch). When a measurement "
            "for that period and area exists it is updated and the answer is 200, otherwise 201. "
            "Send If-Match with the ETag of a GET to replace exactly that version, or "
            "If-None-Match: * to create only; when that no longer holds the answer is 412."
        ),
        request=MeasurementCreateSerializer,
        parameters=[IF_MATCH, IF_NONE_MATCH],
        responses={
            201: MeasurementSerializer,
            200: MeasurementSerializer,
            412: PRECONDITION_FAILED,
        },
    ),
)
class MeasurementViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Measurements per indicator, area and period; recorded through the indicator service."""

    scoped_model = Measurement
    serializer_class = MeasurementSerializer

    def get_serializer_class(self):
        return MeasurementCreateSerializer if self.action == "create" else MeasurementSerializer

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("area", "source").order_by(
            "indicator_id", "area__code", "period_type", "period_start", "id"
        )
        if self.action == "list":
            indicator = query_int(self.request, "indicator")
            if indicator is not None:
                queryset = queryset.filter(indicator_id=indicator)
            area = self.request.query_params.get("area")
            if area:
                queryset = queryset.filter(area__code=area.strip().upper())
            period_type = query_choice(self.request, "period_type", PERIOD_CHOICES)
            if period_type:
                queryset = queryset.filter(period_type=period_type)
        return queryset

    def create(self, request, *args, **kwargs):
        indicator = changeable_indicator(request)
        serializer = MeasurementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        area = area_for(indicator, data.get("area"))
        # record_measurement creates or updates; the status code tells the client which.
        existed = measurement_exists(indicator, area, data["period"])
        with service_errors():
            measurement, _changed = services.record_measurement(
                indicator=indicator,
                period=data["period"],
                value=data["value"],
                area=area,
                source=data.get("source"),
                note=data.get("note", ""),
                is_example=data.get("is_example_data", False),
                actor=request.user,
                expected_version=expected_version(request),
            )
        return Response(
            MeasurementSerializer(measurement).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
            headers={"ETag": etag(measurement)},
        )

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response


@extend_schema_view(
    list=extend_schema(summary="List interpretations (duiding)", parameters=[INDICATOR_PARAMETER]),
    retrieve=extend_schema(summary="Retrieve an interpretation"),
    create=extend_schema(
        summary="Write an interpretation",
        description=(
            "Writes the interpretation (duiding) of an indicator for a period, or replaces the "
            "existing one for that period. If-Match and If-None-Match: * as for measurements."
        ),
        request=InterpretationCreateSerializer,
        parameters=[IF_MATCH, IF_NONE_MATCH],
        responses={201: InterpretationSerializer, 412: PRECONDITION_FAILED},
    ),
)
class InterpretationViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Interpretations (duiding) of an indicator per reporting period."""

    scoped_model = Interpretation
    serializer_class = InterpretationSerializer

    def get_serializer_class(self):
        if self.action == "create":
            return InterpretationCreateSerializer
        return InterpretationSerializer

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("written_by").order_by(
            "indicator_id", "-period_start", "period_type", "id"
        )
        if self.action == "list":
            indicator = query_int(self.request, "indicator")
            if indicator is not None:
                queryset = queryset.filter(indicator_id=indicator)
        return queryset

    def create(self, request, *args, **kwargs):
        indicator = changeable_indicator(request)
        serializer = InterpretationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            interpretation = services.write_interpretation(
                indicator=indicator,
                period=serializer.validated_data["period"],
                text=serializer.validated_data["text"],
                actor=request.user,
                expected_version=expected_version(request),
            )
        return Response(
            InterpretationSerializer(interpretation).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": etag(interpretation)},
        )

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response
