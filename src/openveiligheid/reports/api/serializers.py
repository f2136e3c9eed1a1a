from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openveiligheid.core.api.fields import NamedChoiceField
from openveiligheid.reports.exports import CONTENT_TYPES
from openveiligheid.reports.models import Report, ReportStatus, ReportType, ThemeInterpretation


class ReportSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    report_type = NamedChoiceField(ReportType.choices, enum_name="ReportTypeEnum", read_only=True)
    report_type_label = serializers.CharField(source="get_report_type_display", read_only=True)
    period = serializers.CharField(source="period.code", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    status = NamedChoiceField(ReportStatus.choices, enum_name="ReportStatusEnum", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    allowed_transitions = serializers.ListField(
        child=NamedChoiceField(ReportStatus.choices, enum_name="ReportStatusEnum"),
        read_only=True,
        help_text="The statuses the transition table allows next (whoever may change them).",
    )
    downloads = serializers.SerializerMethodField(
        help_text="The address of each file of the report, by format."
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "plan",
            "report_type",
            "report_type_label",
            "period",
            "period_label",
            "version",
            "corrects",
            "correction_reason",
            "status",
            "status_label",
            "allowed_transitions",
            "published_at",
            "downloads",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {output: {"type": "string"} for output in CONTENT_TYPES},
            "required": list(CONTENT_TYPES),
        }
    )
    def get_downloads(self, report) -> dict:
        request = self.context.get("request")
        downloads = {}
        for output in CONTENT_TYPES:
            path = reverse("report-download", kwargs={"pk": report.pk, "output": output})
            downloads[output] = request.build_absolute_uri(path) if request else path
        return downloads


class ReportDetailSerializer(ReportSerializer):
    content = serializers.SerializerMethodField(
        help_text="Everything the report shows (its frozen snapshot once published), with texts "
        "and numbers already formatted in Dutch."
    )

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "content"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_content(self, report) -> dict:
        return self.context["content"]


class ReportCreateSerializer(serializers.Serializer):
    plan = serializers.CharField(max_length=100, help_text="Slug of the plan")
    report_type = NamedChoiceField(ReportType.choices, enum_name="ReportTypeEnum")
    period = serializers.CharField(max_length=20, help_text="2024, 2024-H1 or 2024-Q3")


class StatusChangeSerializer(serializers.Serializer):
    status = NamedChoiceField(ReportStatus.choices, enum_name="ReportStatusEnum")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ThemeInterpretationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ThemeInterpretation
        fields = ["id", "report", "theme", "text", "cooperation_examples", "written_at"]
        read_only_fields = fields


class ThemeInterpretationWriteSerializer(serializers.Serializer):
    theme = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Id of the theme")
    text = serializers.CharField(
        required=False, allow_blank=True, help_text="The duiding; left out, it stays as it is."
    )
    cooperation_examples = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="For a strategic theme only; left out, it stays as it is.",
    )
