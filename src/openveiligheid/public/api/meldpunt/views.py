"""The meldpunt of /api/public/: a municipality's categories and filing a report, without login.

No authentication at all (so no CSRF token: nothing of a session is used) and throttled per
client address. A report is filed through signals.services.submit_report, as on the page, and
counts towards the same hourly limit per client as the page's (signals.limits)."""

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from openveiligheid.core.api.messages import FIELD_MESSAGES
from openveiligheid.core.api.permissions import service_errors
from openveiligheid.organisations.models import Organisation
from openveiligheid.public.api.meldpunt.serializers import (
    CategorySerializer,
    ReportReceiptSerializer,
    ReportSerializer,
    ReportUploadSerializer,
)
from openveiligheid.public.api.throttling import PublicRateThrottle
from openveiligheid.signals import limits, services

NOT_AN_OBJECT = FIELD_MESSAGES[serializers.Serializer]["invalid"]
TEXT_FIELDS = (
    "description",
    "postcode",
    "house_number",
    "location_description",
    "contact_name",
    "contact_phone",
    "contact_email",
)


class TooManyReports(Throttled):
    """The page's words when a client passes the hourly limit of reports."""

    default_detail = _(
        "U heeft in korte tijd te veel meldingen verstuurd. Probeer het over een uur opnieuw. "
        "Is er nu gevaar? Bel 112."
    )

    def __init__(self):
        super().__init__()  # without a wait, so the detail is the message alone
        self.wait = limits.WINDOW_SECONDS  # still sent as Retry-After


def _municipality(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.MUNICIPALITY)


def _validated(request) -> dict:
    """The request's fields, parsed (JSON or multipart) and typed; every rule comes after, in
    the service. The refusals of the parsing itself in the page's words where the page has any."""
    try:
        body = request.data
    except TooManyFilesSent as error:
        # More files than Django reads at all: said as the service says too many.
        raise ValidationError(
            {
                "attachments": [
                    gettext("Voeg hoogstens %(count)d bestanden toe.")
                    % {"count": settings.OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENTS}
                ]
            }
        ) from error
    if body is None:
        # JSON null: DRF would answer in English ("No data provided").
        raise ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [NOT_AN_OBJECT.format(datatype="null")]}
        )
    is_upload = request.content_type.startswith("multipart/")
    serializer = (ReportUploadSerializer if is_upload else ReportSerializer)(data=body)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class PublicAPIView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (PublicRateThrottle,)


class CategoryListView(PublicAPIView):
    throttle_scope = "public"

    @extend_schema(
        operation_id="meldpunt_categories",
        summary="The categories of a municipality's meldpunt",
        description="What a report can be about, in the municipality's order.",
        responses=CategorySerializer(many=True),
    )
    def get(self, request, municipality):
        organisation = _municipality(municipality)
        categories = services.ensure_default_categories(organisation)
        return Response(CategorySerializer(categories, many=True).data)


class ReportCreateView(PublicAPIView):
    throttle_scope = "public_report"
    parser_classes = (JSONParser, MultiPartParser)

    @extend_schema(
        operation_id="meldpunt_report_create",
        summary="File a report at a municipality's meldpunt",
        description=(
            "Anonymous unless contact details are given (they are stored encrypted). As JSON, or "
            "as multipart/form-data with `attachments` (repeat the field per file). The answer "
            "is the report's reference only; a report answered with 201 is in the database. "
            "Each client may file a few reports per hour (shared with the meldpunt page); more "
            "get 429 with Retry-After."
        ),
        request={
            "application/json": ReportSerializer,
            "multipart/form-data": ReportUploadSerializer,
        },
        responses={201: OpenApiResponse(ReportReceiptSerializer, description="Report received.")},
    )
    def post(self, request, municipality):
        organisation = _municipality(municipality)
        if limits.over_submission_limit(request):
            raise TooManyReports()
        data = _validated(request)
        active = {
            category.slug: category for category in services.ensure_default_categories(organisation)
        }
        with service_errors():
            report = services.submit_report(
                organisation=organisation,
                data=services.ReportInput(
                    category=active.get(data["category"]),
                    occurred_on=data.get("occurred_on"),
                    **{field: data.get(field) or "" for field in TEXT_FIELDS},
                ),
                attachments=data.get("attachments", ()),
                request=request,
            )
        return Response({"reference": report.reference}, status=status.HTTP_201_CREATED)
