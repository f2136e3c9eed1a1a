from rest_framework import serializers

from openveiligheid.actions.models import (
    Action,
    ActionPlan,
    ActionStatus,
    ActionStatusChange,
    ProgressUpdate,
)
from openveiligheid.actions.services import EDITABLE_FIELDS
from openveiligheid.core.api.fields import NamedChoiceField


def display_name(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user else None


class ActionPlanSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ActionPlan
        fields = ["id", "plan", "title", "year_start", "year_end"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(
        source="action_plan.plan", slug_field="slug", read_only=True
    )
    status = NamedChoiceField(ActionStatus.choices, enum_name="ActionStatusEnum", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    lead_organisation_name = serializers.CharField(
        source="lead_organisation.name", read_only=True, default=None, allow_null=True
    )
    lead_person_name = serializers.SerializerMethodField()
    partner_names = serializers.SerializerMethodField()
    allowed_transitions = serializers.ListField(
        child=NamedChoiceField(ActionStatus.choices, enum_name="ActionStatusEnum"),
        read_only=True,
        help_text="The statuses this action may move to now.",
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "version",
            "plan",
            "action_plan",
            "theme",
            "topic",
            "goal",
            "subject",
            "description",
            "lead_text",
            "lead_organisation",
            "lead_organisation_name",
            "lead_unit",
            "lead_person",
            "lead_person_name",
            "partners",
            "partner_names",
            "partner_text",
            "due_text",
            "due_start",
            "due_end",
            "due_recurrence",
            "due_understood",
            "status",
            "status_label",
            "allowed_transitions",
            "progress",
            "is_new",
            "is_unplanned",
            "unplanned_since",
            "is_example",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "is_example": {
                "help_text": "Example data (voorbeelddata): status and progress are invented "
                "examples, not real execution."
            }
        }

    def get_lead_person_name(self, action) -> str | None:
        return display_name(action.lead_person)

    def get_partner_names(self, action) -> list[str]:
        return [partner.name for partner in action.partners.all()]


class StatusChangeSerializer(serializers.ModelSerializer):
    from_status = NamedChoiceField(
        ActionStatus.choices, enum_name="ActionStatusEnum", allow_null=True, read_only=True
    )
    to_status = NamedChoiceField(ActionStatus.choices, enum_name="ActionStatusEnum", read_only=True)
    changed_by = serializers.SerializerMethodField()

    class Meta:
        model = ActionStatusChange
        fields = ["from_status", "to_status", "changed_by", "changed_at", "note"]
        read_only_fields = fields

    def get_changed_by(self, change) -> str | None:
        return display_name(change.changed_by)


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = ["id", "action", "author", "created_at", "text", "progress"]
        read_only_fields = fields

    def get_author(self, update) -> str | None:
        return display_name(update.author)


class ActionDetailSerializer(ActionSerializer):
    status_history = StatusChangeSerializer(many=True, read_only=True)
    progress_updates = ProgressUpdateSerializer(many=True, read_only=True)

    class Meta(ActionSerializer.Meta):
        fields = [*ActionSerializer.Meta.fields, "status_history", "progress_updates"]
        read_only_fields = fields


class ActionUpdateSerializer(serializers.ModelSerializer):
    """The editable fields of an action (actions.services.EDITABLE_FIELDS plus partners).

    Related objects only have to exist here; whether they fit the action (a theme of its plan, a
    topic and goal of that theme, an eligible lead, a unit of the lead organisation, an eligible
    holder) is checked by actions.services.update_action, which answers with the same messages
    as the page and the spreadsheet import."""

    class Meta:
        model = Action
        fields = [*EDITABLE_FIELDS, "partners"]


class NewStatusSerializer(serializers.Serializer):
    status = NamedChoiceField(ActionStatus.choices, enum_name="ActionStatusEnum")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NewProgressUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    progress = serializers.IntegerField(
        required=False, allow_null=True, help_text="Progress in percent (0-100)."
    )
