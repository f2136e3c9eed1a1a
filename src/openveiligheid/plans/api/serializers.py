from rest_framework import serializers

from openveiligheid.core.api.fields import NamedChoiceField
from openveiligheid.plans.models import Goal, Plan, Theme, Topic


class PlanSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = NamedChoiceField(Plan.Status.choices, enum_name="PlanStatusEnum", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "slug",
            "title",
            "kind",
            "kind_label",
            "period_start",
            "period_end",
            "owner",
            "owner_name",
            "status",
            "status_label",
            "adopted_on",
            "summary",
            "source_document",
        ]
        read_only_fields = fields


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "order"]
        read_only_fields = fields


class ThemeSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    topics = TopicSerializer(many=True, read_only=True)

    class Meta:
        model = Theme
        fields = [
            "id",
            "plan",
            "kind",
            "kind_label",
            "name",
            "slug",
            "description",
            "situation",
            "order",
            "topics",
        ]
        read_only_fields = fields


class GoalSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(source="theme.plan", slug_field="slug", read_only=True)

    class Meta:
        model = Goal
        fields = ["id", "plan", "theme", "topic", "text", "target_text", "order"]
        read_only_fields = fields
