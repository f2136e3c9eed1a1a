from rest_framework import serializers

from openveiligheid.organisations.models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "kind", "kind_label", "name", "slug", "cbs_code", "partner_type"]
        read_only_fields = fields
