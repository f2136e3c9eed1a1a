"""The triage API's serializers: a report as the queue and the report's page show it, and the
input of each triage step (whose rules are in signals.services)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openveiligheid.core.api.fields import NamedChoiceField
from openveiligheid.core.numbers import LARGEST_DATABASE_INTEGER
from openveiligheid.signals import selectors
from openveiligheid.signals.models import Report, ReportEvent, ReportLink, TriageStep
from openveiligheid.signals.services import NOTE_MAX

STATUS = {"choices": Report.Status.choices, "enum_name": "SignalReportStatusEnum"}
PRIORITY = {"choices": Report.Priority.choices, "enum_name": "SignalReportPriorityEnum"}
CLOSE_REASON = {"choices": Report.CloseReason.choices, "enum_name": "SignalCloseReasonEnum"}
STEP = {"choices": TriageStep.choices, "enum_name": "TriageStepEnum"}
LINK_REASON = {"choices": ReportLink.Reason.choices, "enum_name": "SignalLinkReasonEnum"}


def _id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=LARGEST_DATABASE_INTEGER, **kwargs)


def _note_field(**kwargs):
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("default", "")
    return serializers.CharField(max_length=NOTE_MAX, trim_whitespace=True, **kwargs)


class SignalReportSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    status = NamedChoiceField(**STATUS, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    priority = NamedChoiceField(**PRIORITY, read_only=True)
    close_reason = NamedChoiceField(**CLOSE_REASON, read_only=True, allow_null=True)

    class Meta:
        model = Report
        fields = [
            "reference",
            "organisation",
            "organisation_name",
            "category",
            "category_name",
            "status",
            "status_label",
            "priority",
            "close_reason",
            "forwarded_to_name",
            "created_at",
            "forwarded_at",
            "closed_at",
        ]
        read_only_fields = fields


class SignalAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, attachment) -> str:
        """Where the file is downloaded (an audited read, as on the report's page)."""
        path = reverse(
            "signal-report-attachment", args=[attachment.report.reference, attachment.pk]
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class SignalEventSerializer(serializers.ModelSerializer):
    step = NamedChoiceField(**STEP, read_only=True)
    from_status = NamedChoiceField(**STATUS, read_only=True, allow_null=True)
    to_status = NamedChoiceField(**STATUS, read_only=True, allow_null=True)
    actor = serializers.CharField(source="actor_name", read_only=True)

    class Meta:
        model = ReportEvent
        fields = ["step", "from_status", "to_status", "summary", "note", "actor", "at"]
        read_only_fields = fields


class SignalLinkSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True)
    reason = NamedChoiceField(**LINK_REASON, read_only=True)


class SignalReportDetailSerializer(SignalReportSerializer):
    is_anonymous = serializers.BooleanField(read_only=True)
    allowed_steps = serializers.SerializerMethodField()
    attachments = SignalAttachmentSerializer(many=True, read_only=True)
    history = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta(SignalReportSerializer.Meta):
        fields = [
            *SignalReportSerializer.Meta.fields,
            "postcode",
            "house_number",
            "location_description",
            "occurred_on",
            "description",
            "is_anonymous",
            "allowed_steps",
            "attachments",
            "history",
            "links",
        ]
        read_only_fields = fields

    @extend_schema_field(SignalEventSerializer(many=True))
    def get_history(self, report) -> list[dict]:
        events = selectors.history_of(report, for_triager=self.context.get("may_triage", True))
        return SignalEventSerializer(events, many=True).data

    def get_allowed_steps(self, report) -> list[str]:
        """The triage steps this report allows now, for this user: none for a user who reads
        but may not triage it (the staff of the partner it was forwarded to)."""
        if not self.context.get("may_triage", True):
            return []
        return [step for step in TriageStep.values if step in report.allowed_steps]

    def get_links(self, report) -> list[dict]:
        links = self.context.get("links", [])
        return [{"reference": other.reference, "reason": link.reason} for other, link in links]


class NoteSerializer(serializers.Serializer):
    note = _note_field()


class ClassifySerializer(NoteSerializer):
    category = _id_field(help_text="Id of a category of the report's municipality.")


class PrioritiseSerializer(NoteSerializer):
    priority = NamedChoiceField(**PRIORITY)


class ForwardSerializer(serializers.Serializer):
    partner = _id_field(
        required=False, allow_null=True, default=None, help_text="Id of a partner organisation."
    )
    meld_misdaad_anoniem = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The reporter was pointed to Meld Misdaad Anoniem (instead of a partner).",
    )
    note = _note_field(help_text="What was passed on, and how (at least 10 characters).")


class AskReporterSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=NOTE_MAX, allow_blank=True)


class LinkSerializer(NoteSerializer):
    other = serializers.CharField(max_length=20, help_text="Reference of the other report.")
    reason = NamedChoiceField(**LINK_REASON)


class CloseSerializer(NoteSerializer):
    reason = NamedChoiceField(**CLOSE_REASON)
