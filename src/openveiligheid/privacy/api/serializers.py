from rest_framework import serializers

from openveiligheid.privacy.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)
    actor = serializers.CharField(source="actor_name", read_only=True)
    organisation = serializers.IntegerField(
        source="organisation_id", read_only=True, allow_null=True
    )

    class Meta:
        model = AuditEntry
        fields = [
            "sequence",
            "at",
            "action",
            "action_label",
            "result",
            "result_label",
            "object_type",
            "object_id",
            "object_repr",
            "actor",
            "organisation",
            "ip_address",
            "user_agent",
            "request_id",
            "purpose",
            "previous_hash",
            "entry_hash",
        ]
        read_only_fields = fields
