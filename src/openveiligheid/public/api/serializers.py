from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openveiligheid.public.opendata import file_urls, number


class PublicReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.SerializerMethodField()
    report_type = serializers.CharField()
    report_type_label = serializers.CharField(source="get_report_type_display")
    period = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True)
    correction_reason = serializers.CharField()
    published_at = serializers.DateTimeField()
    plan = serializers.CharField(source="plan.slug")
    links = serializers.SerializerMethodField()

    def get_title(self, report) -> str:
        return str(report)

    def get_period(self, report) -> str:
        return report.period.code

    @extend_schema_field(
        {
            "type": "object",
            "properties": {name: {"type": "string"} for name in ("html", "pdf", "docx")},
        }
    )
    def get_links(self, report) -> dict:
        slug = report.plan.owner.slug
        return {
            "html": reverse("public:report", args=[slug, report.pk]),
            **{
                output: reverse("public:report-download", args=[slug, report.pk, output])
                for output in ("pdf", "docx")
            },
        }


class PublicPlanSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    period_start = serializers.IntegerField()
    period_end = serializers.IntegerField()
    indicators = serializers.SerializerMethodField()

    def get_indicators(self, plan) -> str:
        return reverse("public-api:indicator-list", args=[plan.owner.slug, plan.slug])


class PublicValueSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.code")
    period_label = serializers.CharField()
    value = serializers.SerializerMethodField()
    display = serializers.CharField()
    suppressed = serializers.BooleanField()
    is_example = serializers.BooleanField()

    @extend_schema_field(OpenApiTypes.NUMBER)
    def get_value(self, value):
        """Null when suppressed."""
        return number(value.value)


class PublicIndicatorSerializer(serializers.Serializer):
    slug = serializers.CharField(source="indicator.slug")
    name = serializers.CharField(source="indicator.name")
    theme = serializers.SerializerMethodField()
    unit = serializers.CharField(source="indicator.unit")
    direction = serializers.CharField(source="indicator.direction")
    start = PublicValueSerializer(allow_null=True)
    previous = PublicValueSerializer(allow_null=True)
    latest = PublicValueSerializer(allow_null=True)
    change = serializers.CharField(source="change_label")
    target = serializers.CharField(source="target_text")
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    has_example_data = serializers.BooleanField()
    files = serializers.SerializerMethodField()

    def get_theme(self, row) -> str:
        return row.indicator.theme.name if row.indicator.theme_id else ""

    def get_status(self, row) -> str:
        return row.status.status

    def get_status_label(self, row) -> str:
        return str(row.status.status_label)

    @extend_schema_field(
        {"type": "object", "properties": {"csv": {"type": "string"}, "json": {"type": "string"}}}
    )
    def get_files(self, row) -> dict:
        return file_urls(row.indicator)


class IndicatorSeriesSerializer(serializers.Serializer):
    """Documents the open-data JSON (public.opendata.series_json)."""

    indicator = serializers.DictField()
    plan = serializers.DictField()
    organisation = serializers.DictField()
    suppressed_below = serializers.IntegerField(allow_null=True)
    values = PublicValueSerializer(many=True)
