"""The triage API: the reports of the user's municipalities (VIEW_SIGNALS), and for a partner's
staff those forwarded to the partner (read-only), and the triage steps (TRIAGE_SIGNALS in the
municipality) through the same services as the pages. Every read, also a refused one, writes
an audit entry, as the pages do."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from openveiligheid.core.api.permissions import (
    ScopedQuerysetMixin,
    query_choice,
    query_int,
    service_errors,
)
from openveiligheid.organisations.models import Organisation
from openveiligheid.privacy.models import AuditEntry
from openveiligheid.privacy.services import audited
from openveiligheid.signals import downloads, selectors, services
from openveiligheid.signals.api.serializers import (
    AskReporterSerializer,
    ClassifySerializer,
    CloseSerializer,
    ForwardSerializer,
    LinkSerializer,
    NoteSerializer,
    PrioritiseSerializer,
    SignalReportDetailSerializer,
    SignalReportSerializer,
)
from openveiligheid.signals.models import Category, Report, TriageStep

OPEN = "open"


def _refused(request, object_id: str = "") -> None:
    audited(
        request,
        AuditEntry.Action.READ,
        object_type="signals.report",
        object_id=object_id[:20],
        object_repr="" if object_id else "Meldingen",
        result=AuditEntry.Result.REFUSED,
    )


# Reads are refused outright (not just empty) for users who hold VIEW_SIGNALS nowhere: the
# refusal is in the audit trail, as on the pages.
NO_ACCESS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "The user reads no reports: no VIEW_SIGNALS in a municipality or in a partner "
        "organisation (a `detail` message)."
    ),
)


def _step(summary: str, request_serializer):
    return extend_schema(
        summary=summary,
        description=(
            "Only for a user who may triage in the report's municipality (403 otherwise, "
            "before the input is checked: the staff of a partner the report was forwarded to "
            "read it, but may not), and only when the report allows the step now (see "
            "allowed_steps; 400 with the reason otherwise). The step is "
            "appended to the report's history and written to the audit trail."
        ),
        request=request_serializer,
        responses=SignalReportDetailSerializer,
    )


@extend_schema_view(
    list=extend_schema(
        summary="List the meldpunt's reports (the triage queue)",
        description=(
            "Open reports by default, newest first: those of the user's municipalities and, "
            "for a partner's staff, those forwarded to the partner. Every read is in the "
            "audit trail."
        ),
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=[*Report.Status.values, "all", OPEN],
                description="A status, 'open' (default: every status but closed) or 'all'.",
            ),
            OpenApiParameter("priority", OpenApiTypes.STR, enum=Report.Priority.values),
            OpenApiParameter("category", OpenApiTypes.INT, description="Id of a category"),
            OpenApiParameter("organisation", OpenApiTypes.INT, description="Id of a municipality"),
        ],
        responses={200: SignalReportSerializer(many=True), 403: NO_ACCESS},
    ),
    retrieve=extend_schema(
        summary="Retrieve a report with its attachments, links and history",
        responses={200: SignalReportDetailSerializer, 403: NO_ACCESS},
    ),
)
class SignalReportViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Reports of the meldpunt, for the staff who triage them."""

    scoped_model = Report
    serializer_class = SignalReportSerializer
    # Whether the user may triage is the services' check, which writes the refusal to the audit
    # trail; the mixin's object check would refuse before that.
    permission_classes = [IsAuthenticated]
    person_level_data = True
    lookup_field = "reference"
    lookup_value_regex = "[A-Za-z0-9-]{1,20}"

    def get_serializer_class(self):
        return SignalReportSerializer if self.action == "list" else SignalReportDetailSerializer

    def scope_queryset(self, queryset):
        queryset = queryset.select_related("organisation", "category")
        if self.action == "attachment":
            return queryset
        if self.action != "list":
            return selectors.with_history(queryset.prefetch_related("attachments"))
        status = query_choice(
            self.request,
            "status",
            [*Report.Status.choices, ("all", "all"), (OPEN, OPEN)],
        )
        if status in (None, OPEN):
            queryset = queryset.exclude(status=Report.Status.CLOSED)
        elif status != "all":
            queryset = queryset.filter(status=status)
        priority = query_choice(self.request, "priority", Report.Priority.choices)
        if priority:
            queryset = queryset.filter(priority=priority)
        category = query_int(self.request, "category")
        if category is not None:
            queryset = queryset.filter(category_id=category)
        organisation = query_int(self.request, "organisation")
        if organisation is not None:
            queryset = queryset.filter(organisation_id=organisation)
        return queryset.order_by("-created_at", "-pk")

    def _reading_organisations(self) -> list[Organisation]:
        organisations = selectors.signal_organisations(self.request.user)
        if not organisations:
            _refused(self.request)
            raise PermissionDenied(_("U heeft geen toegang tot de meldingen."))
        return organisations

    def get_object(self):
        self._reading_organisations()
        try:
            return super().get_object()
        except Http404:
            # Another municipality's report, or none: the attempt is in the trail all the same.
            _refused(self.request, str(self.kwargs.get(self.lookup_field, "")))
            raise

    def list(self, request, *args, **kwargs):
        organisations = self._reading_organisations()
        response = super().list(request, *args, **kwargs)
        for organisation in organisations:
            audited(
                request,
                AuditEntry.Action.READ,
                object_type="signals.report",
                object_repr="Meldingen",
                organisation=organisation,
            )
        return response

    def _detail(self, report: Report) -> Response:
        """The report as GET shows it (re-read, with its history), read in the audit trail."""
        fresh = self.scope_queryset(Report.objects.restrict(self.request.user)).get(pk=report.pk)
        audited(self.request, AuditEntry.Action.READ, obj=fresh)
        serializer = SignalReportDetailSerializer(
            fresh,
            context={
                "links": selectors.linked_reports(fresh, self.request.user),
                "may_triage": services.may_triage(self.request.user, fresh),
                "request": self.request,
            },
        )
        return Response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        summary="Download an attachment of a report",
        description=(
            "The file the resident sent with the report, always as a download (Content-"
            "Disposition: attachment) in its checked type; for the same users who read the report. "
            "Every download is in the audit trail, as on the report's page."
        ),
        parameters=[
            OpenApiParameter(
                "attachment_id",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description="Id of the attachment (see the report's attachments)",
            )
        ],
        responses={
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file.")
            for content_type in services.ATTACHMENT_CONTENT_TYPES
        }
        | {403: NO_ACCESS},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_id>[0-9]{1,18})",
        url_name="attachment",
    )
    def attachment(self, request, reference=None, attachment_id=None):
        report = self.get_object()
        return downloads.attachment_response(request, report, int(attachment_id))

    def _report_to_triage(self, step: str) -> Report:
        """The report of a step: 404 when the user does not read it, 403 when they read but may
        not triage it (a partner's staff), before its input is checked."""
        report = self.get_object()
        services.require_triager(self.request.user, report, step, self.request)
        return report

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _common(self) -> dict:
        return {"actor": self.request.user, "request": self.request}

    @_step("Take a report into triage (again, after the reporter answered)", NoteSerializer)
    @action(detail=True, methods=["post"])
    def take(self, request, reference=None):
        report = self._report_to_triage(TriageStep.TAKE)
        data = self._input(NoteSerializer)
        with service_errors():
            services.take_into_triage(report, note=data["note"], **self._common())
        return self._detail(report)

    @_step("Put a report under another category", ClassifySerializer)
    @action(detail=True, methods=["post"])
    def classify(self, request, reference=None):
        report = self._report_to_triage(TriageStep.CLASSIFY)
        data = self._input(ClassifySerializer)
        category = Category.objects.filter(
            pk=data["category"], organisation_id=report.organisation_id
        ).first()
        with service_errors():
            services.classify(report, category=category, note=data["note"], **self._common())
        return self._detail(report)

    @_step("Set the priority of a report", PrioritiseSerializer)
    @action(detail=True, methods=["post"])
    def prioritise(self, request, reference=None):
        report = self._report_to_triage(TriageStep.PRIORITISE)
        data = self._input(PrioritiseSerializer)
        with service_errors():
            services.prioritise(
                report, priority=data["priority"], note=data["note"], **self._common()
            )
        return self._detail(report)

    @_step(
        "Record that a report was forwarded to a partner or Meld Misdaad Anoniem", ForwardSerializer
    )
    @action(detail=True, methods=["post"])
    def forward(self, request, reference=None):
        report = self._report_to_triage(TriageStep.FORWARD)
        data = self._input(ForwardSerializer)
        partner = None
        if data["partner"] is not None:
            partner = Organisation.objects.filter(pk=data["partner"]).first()
            if partner is None:
                raise ValidationError(
                    {"partner": [_("Kies de partner waaraan u de melding doorzet.")]}
                )
        with service_errors():
            services.forward(
                report,
                partner=partner,
                to_meld_misdaad_anoniem=data["meld_misdaad_anoniem"],
                note=data["note"],
                **self._common(),
            )
        return self._detail(report)

    @_step("E-mail the reporter a question and wait for the answer", AskReporterSerializer)
    @action(detail=True, methods=["post"], url_path="ask-reporter")
    def ask_reporter(self, request, reference=None):
        report = self._report_to_triage(TriageStep.ASK_REPORTER)
        data = self._input(AskReporterSerializer)
        with service_errors():
            services.ask_reporter(report, question=data["question"], **self._common())
        return self._detail(report)

    @_step("Link a report to another report of the same municipality", LinkSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request, reference=None):
        report = self._report_to_triage(TriageStep.LINK)
        data = self._input(LinkSerializer)
        other = (
            selectors.reports_for(request.user)
            .filter(reference=data["other"].strip().upper())
            .first()
        )
        if other is None:
            raise ValidationError({"other": [_("Er is geen melding met dit kenmerk.")]})
        with service_errors():
            services.link(report, other, reason=data["reason"], note=data["note"], **self._common())
        return self._detail(report)

    @_step("Close a report with a reason", CloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, reference=None):
        report = self._report_to_triage(TriageStep.CLOSE)
        data = self._input(CloseSerializer)
        with service_errors():
            services.close(report, reason=data["reason"], note=data["note"], **self._common())
        return self._detail(report)
