from rest_framework import serializers

from openveiligheid.core.api.fields import NamedChoiceField
from openveiligheid.programme.models import (
    Assignment,
    BudgetAmount,
    BudgetLine,
    Level,
    Participant,
    Pillar,
    Programme,
    ProgrammeRole,
    Risk,
)


class AssignmentSerializer(serializers.ModelSerializer):
    approach_label = serializers.CharField(source="get_approach_display", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "number",
            "title",
            "what",
            "goal",
            "result",
            "who",
            "how",
            "when",
            "approach",
            "approach_label",
            "order",
        ]
        read_only_fields = fields


class PillarSerializer(serializers.ModelSerializer):
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Pillar
        fields = ["id", "name", "description", "order", "assignments"]
        read_only_fields = fields


class ProgrammeRoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeRole
        fields = ["id", "name", "description", "holder", "order"]
        read_only_fields = fields


class ParticipantSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Participant
        fields = ["id", "name", "organisation", "organisation_name", "role", "order"]
        read_only_fields = fields


class RiskSerializer(serializers.ModelSerializer):
    likelihood = NamedChoiceField(
        Level.choices, enum_name="LevelEnum", allow_null=True, read_only=True
    )
    impact = NamedChoiceField(Level.choices, enum_name="LevelEnum", allow_null=True, read_only=True)

    class Meta:
        model = Risk
        fields = ["id", "description", "likelihood", "impact", "mitigation", "owner", "order"]
        read_only_fields = fields


class BudgetAmountSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = BudgetAmount
        fields = ["year", "amount"]
        read_only_fields = fields


class BudgetLineSerializer(serializers.ModelSerializer):
    amounts = BudgetAmountSerializer(many=True, read_only=True)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "item",
            "funding_source",
            "is_structural",
            "is_mpb_claim",
            "order",
            "amounts",
        ]
        read_only_fields = fields


class BudgetTotalSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)


class ProgrammeSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "plan", "title", "description"]
        read_only_fields = fields


class ProgrammeDetailSerializer(ProgrammeSerializer):
    pillars = PillarSerializer(many=True, read_only=True)
    roles = ProgrammeRoleSerializer(many=True, read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    risks = RiskSerializer(many=True, read_only=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    budget_totals = BudgetTotalSerializer(
        many=True, read_only=True, help_text="Budget total per year."
    )

    class Meta(ProgrammeSerializer.Meta):
        fields = [
            *ProgrammeSerializer.Meta.fields,
            "pillars",
            "roles",
            "participants",
            "risks",
            "budget_lines",
            "budget_totals",
        ]
        read_only_fields = fields
