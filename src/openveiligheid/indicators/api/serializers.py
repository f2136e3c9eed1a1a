from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openveiligheid.core.api.fields import NamedChoiceField
from openveiligheid.core.numbers import LARGEST_DATABASE_INTEGER
from openveiligheid.indicators.models import (
    FREQUENCY_CHOICES,
    PERIOD_CHOICES,
    Indicator,
    Interpretation,
    Measurement,
    Source,
    Target,
)
from openveiligheid.indicators.selectors import STATUS_LABELS

DECIMAL_SCHEMA = {
    "type": "string",
    "format": "decimal",
    "pattern": r"^-?\d+(\.\d+)?$",
    "example": "7.6",
}


@extend_schema_field(DECIMAL_SCHEMA)
class DecimalValueField(serializers.Field):
    """A measured value as a string with a decimal point ("7.6", "17347824"), never a float.

    Input is passed on as text: the indicator service validates it against the unit and answers
    in Dutch, so the API and the forms give the same messages."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float | Decimal):
            raise serializers.ValidationError(_('Geef de waarde als getal, bijvoorbeeld "7.6".'))
        return str(data).strip()

    def to_representation(self, value):
        if value is None:
            return None
        number = Decimal(value).normalize()
        return format(number, "f")


class PointSerializer(serializers.Serializer):
    period = serializers.CharField(
        source="period.code", help_text="2024, 2024-H1, 2024-Q2 or 2024-05"
    )
    period_type = NamedChoiceField(PERIOD_CHOICES, enum_name="PeriodTypeEnum", source="period.type")
    period_label = serializers.CharField(source="period.label")
    value = DecimalValueField()
    is_example_data = serializers.BooleanField(
        source="is_example",
        help_text="Example data (voorbeelddata): a generated value, not a real measurement.",
    )


class TargetSerializer(serializers.ModelSerializer):
    comparison_label = serializers.CharField(source="get_comparison_display", read_only=True)
    value = DecimalValueField(allow_null=True)

    class Meta:
        model = Target
        fields = ["comparison", "comparison_label", "value", "year", "text"]
        read_only_fields = fields


class IndicatorStatusSerializer(serializers.Serializer):
    status = NamedChoiceField(list(STATUS_LABELS.items()), enum_name="IndicatorStatusEnum")
    status_label = serializers.CharField()
    change = serializers.ChoiceField(choices=["up", "down", "flat"], allow_null=True)
    start = PointSerializer(allow_null=True)
    latest = PointSerializer(allow_null=True)
    previous = PointSerializer(allow_null=True)
    has_example_data = serializers.BooleanField()


class IndicatorSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    source_name = serializers.CharField(
        source="source.name", read_only=True, default=None, allow_null=True
    )
    unit_label = serializers.CharField(source="get_unit_display", read_only=True)
    frequency = NamedChoiceField(FREQUENCY_CHOICES, enum_name="FrequencyEnum", read_only=True)
    target = serializers.SerializerMethodField()
    current_status = IndicatorStatusSerializer(
        read_only=True, help_text="Status against the start value and the target."
    )
    signal_category_name = serializers.CharField(
        source="signal_category.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "theme",
            "goal",
            "name",
            "slug",
            "unit",
            "unit_label",
            "direction",
            "frequency",
            "definition",
            "area",
            "area_name",
            "source",
            "source_name",
            "start_year",
            "is_headline",
            "is_derived",
            "signal_category",
            "signal_category_name",
            "target",
            "current_status",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "signal_category": {
                "help_text": "Id of the meldpunt category whose reports are counted as this "
                "indicator's measurements, or null."
            }
        }

    @extend_schema_field(TargetSerializer(allow_null=True))
    def get_target(self, indicator):
        try:
            return TargetSerializer(indicator.target).data
        except Target.DoesNotExist:
            return None


class IndicatorDetailSerializer(IndicatorSerializer):
    series = PointSerializer(source="current_status.series", many=True, read_only=True)

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "series"]
        read_only_fields = fields


class SignalCategoryLinkSerializer(serializers.Serializer):
    signal_category = serializers.IntegerField(
        min_value=1,
        max_value=LARGEST_DATABASE_INTEGER,
        allow_null=True,
        help_text="Id of a meldpunt category of the plan's municipality; null: count no reports.",
    )


class MeasurementSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    period = serializers.CharField(source="period.code", read_only=True)
    period_type = NamedChoiceField(PERIOD_CHOICES, enum_name="PeriodTypeEnum", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    value = DecimalValueField(read_only=True)
    source_name = serializers.CharField(
        source="source.name", read_only=True, default=None, allow_null=True
    )
    is_example_data = serializers.BooleanField(
        source="is_example",
        read_only=True,
        help_text="Example data (voorbeelddata): a generated value, not a real measurement.",
    )

    class Meta:
        model = Measurement
        fields = [
            "id",
            "indicator",
            "area",
            "area_name",
            "period",
            "period_type",
            "period_label",
            "period_start",
            "value",
            "source",
            "source_name",
            "is_example_data",
            "note",
            "entered_at",
            "version",
        ]
        read_only_fields = fields


class MeasurementCreateSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    period = serializers.CharField(help_text="2024, 2024-H1, 2024-Q2 or 2024-05")
    value = DecimalValueField()
    area = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="CBS code of the area (GM0200, WK020001) within the indicator's area; "
        "by default the indicator's own area.",
    )
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    is_example_data = serializers.BooleanField(required=False, default=False)


class InterpretationSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.code", read_only=True)
    period_type = NamedChoiceField(PERIOD_CHOICES, enum_name="PeriodTypeEnum", read_only=True)
    period_label = serializers.CharField(source="period.label", read_only=True)
    written_by = serializers.SerializerMethodField()

    class Meta:
        model = Interpretation
        fields = [
            "id",
            "indicator",
            "period",
            "period_type",
            "period_label",
            "text",
            "written_by",
            "written_at",
            "version",
        ]
        read_only_fields = fields

    def get_written_by(self, interpretation) -> str | None:
        user = interpretation.written_by
        return (user.get_full_name() or user.get_username()) if user else None


class InterpretationCreateSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    period = serializers.CharField(help_text="2024, 2024-H1, 2024-Q2 or 2024-05")
    text = serializers.CharField(allow_blank=True)
