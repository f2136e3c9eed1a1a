from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.response import Response

from openveiligheid.core.api.permissions import (
    ScopedQuerysetMixin,
    query_choice,
    service_errors,
)
from openveiligheid.core.documents import PdfUnavailable
from openveiligheid.organisations.scoping import CHANGE, get_scoped_object_or_404
from openveiligheid.plans.models import Plan, Theme
from openveiligheid.reports import exports, services
from openveiligheid.reports.api.serializers import (
    ReportCreateSerializer,
    ReportDetailSerializer,
    ReportSerializer,
    StatusChangeSerializer,
    ThemeInterpretationSerializer,
    ThemeInterpretationWriteSerializer,
)
from openveiligheid.reports.models import Report, ReportStatus, ReportType
from openveiligheid.reports.selectors import content_for, may_write_theme

OUTPUT_PARAMETER = OpenApiParameter(
    "output",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(exports.CONTENT_TYPES),
    description="The file: the report (html, pdf, docx) or its data annex (xlsx, csv).",
)


class PdfServiceUnavailable(APIException):
    status_code = 503
    default_code = "pdf_unavailable"


@extend_schema_view(
    list=extend_schema(
        summary="List reports",
        description="Reports of the plans the user may see; without access to unpublished "
        "material (council members) only published reports.",
        parameters=[
            OpenApiParameter("plan", OpenApiTypes.STR, description="Slug of the plan"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ReportStatus.values),
            OpenApiParameter("report_type", OpenApiTypes.STR, enum=ReportType.values),
        ],
    ),
    retrieve=extend_schema(summary="Retrieve a report with its content"),
    create=extend_schema(
        summary="Create a draft report",
        description="A new draft (version 1) of a type for a period of the plan: 2024, 2024-H1 "
        "or 2024-Q3. The driehoek reports are for regional plans only.",
        request=ReportCreateSerializer,
        responses={201: ReportSerializer},
    ),
)
class ReportViewSet(
    ScopedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Reports to the council, their workflow, the duiding per theme and their files."""

    scoped_model = Report
    serializer_class = ReportSerializer

    def get_permissions(self):
        if self.action == "interpretations":
            # Who writes a duiding is the service's rule (the theme's advisers and the plan's
            # managers), not the right to change the report itself.
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ReportDetailSerializer
        if self.action == "create":
            return ReportCreateSerializer
        return ReportSerializer

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("plan__owner", "corrects").order_by(
            "plan__slug", "-period_start", "report_type", "-version", "pk"
        )
        if self.action == "list":
            plan = self.request.query_params.get("plan")
            if plan:
                queryset = queryset.filter(plan__slug=plan)
            wanted = query_choice(self.request, "status", ReportStatus.choices)
            if wanted:
                queryset = queryset.filter(status=wanted)
            report_type = query_choice(self.request, "report_type", ReportType.choices)
            if report_type:
                queryset = queryset.filter(report_type=report_type)
        return queryset

    def retrieve(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = ReportDetailSerializer(
            report, context={"request": request, "content": content_for(report)}
        )
        return Response(serializer.data)

    def create(self, request, *args, **kwargs):
        plan = self._changeable_plan(request)
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            report = services.create_report(
                plan=plan,
                report_type=serializer.validated_data["report_type"],
                period=serializer.validated_data["period"],
                actor=request.user,
            )
        return Response(
            ReportSerializer(report, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @staticmethod
    def _changeable_plan(request) -> Plan:
        """The plan named in the body: 404 when out of sight, 403 when visible but not the
        user's to change; checked before the rest of the body."""
        slug = request.data.get("plan") if hasattr(request.data, "get") else None
        if not isinstance(slug, str) or not slug.strip():
            raise serializers.ValidationError({"plan": [_("Kies een plan.")]})
        return get_scoped_object_or_404(
            Plan.objects.select_related("owner"), request.user, CHANGE, slug=slug.strip()
        )

    @extend_schema(
        summary="Change the status of a report",
        description="Along the transition table: draft, in review, approved, published; "
        "publishing freezes the content. For the plan's managers.",
        request=StatusChangeSerializer,
        responses={200: ReportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        report = self.get_object()
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            report = services.change_status(
                report,
                serializer.validated_data["status"],
                actor=request.user,
                note=serializer.validated_data["note"],
            )
        return Response(ReportSerializer(report, context={"request": request}).data)

    @extend_schema(
        summary="Write the duiding of a theme",
        description="The duiding (and for a strategic theme the cooperation examples) of one "
        "theme, while the report is a draft; by the theme's advisers or the plan's managers.",
        request=ThemeInterpretationWriteSerializer,
        responses={200: ThemeInterpretationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="interpretations")
    def interpretations(self, request, pk=None):
        report = self.get_object()
        serializer = ThemeInterpretationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        theme = Theme.objects.filter(plan_id=report.plan_id, pk=data["theme"]).first()
        if theme is None:
            raise serializers.ValidationError(
                {"theme": [_("Dit thema hoort niet bij het plan van de rapportage.")]}
            )
        if not may_write_theme(request.user, report, theme):
            raise PermissionDenied(_("U mag de duiding van dit thema niet schrijven."))
        with service_errors():
            interpretation = services.write_interpretation(
                report=report,
                theme=theme,
                text=data.get("text"),
                cooperation_examples=data.get("cooperation_examples"),
                actor=request.user,
            )
        return Response(ThemeInterpretationSerializer(interpretation).data)

    @extend_schema(
        summary="Download a report as a file",
        parameters=[OUTPUT_PARAMETER],
        responses={
            (200, content_type.split(";")[0]): OpenApiResponse(
                OpenApiTypes.BINARY, description=f"The {output.upper()} file."
            )
            for output, content_type in exports.CONTENT_TYPES.items()
        }
        | {503: OpenApiResponse(description="This server cannot make PDF files.")},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"download/(?P<output>[a-z]+)",
        url_name="download",
    )
    def download(self, request, pk=None, output=None):
        if output not in exports.CONTENT_TYPES:
            raise NotFound
        report = self.get_object()
        try:
            data = exports.build(report, output)
        except PdfUnavailable as error:
            raise PdfServiceUnavailable(
                _("Deze server kan geen PDF maken: WeasyPrint of Pango ontbreekt.")
            ) from error
        response = HttpResponse(data, content_type=exports.CONTENT_TYPES[output])
        response["Content-Disposition"] = (
            f'attachment; filename="{exports.file_name(report, output)}"'
        )
        return response
