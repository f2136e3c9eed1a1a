"""What the public API reads and answers for the meldpunt. The fields only parse: every rule a
report must meet is services.submit_report's, so the API refuses what the page refuses, in the
same words (a missing description or category is told as the page tells it)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from openveiligheid.signals.models import Category

REQUIRED = _("Dit veld is verplicht.")
CHOOSE_CATEGORY = _("Kies waar uw melding over gaat.")


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name"]
        read_only_fields = fields


def _text(help_text: str, max_length: int):
    """An optional text; `max_length` only documents the limit, the service checks it."""
    return serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=f"{help_text} At most {max_length} characters.",
    )


class OptionalDateField(serializers.DateField):
    """An ISO date, or empty or null for none (as on the page)."""

    def validate_empty_values(self, data):
        if data == "":
            return True, None
        return super().validate_empty_values(data)


class ReportSerializer(serializers.Serializer):
    category = serializers.CharField(
        help_text="The `slug` of one of the municipality's categories (GET categories/).",
        error_messages={"required": CHOOSE_CATEGORY, "blank": CHOOSE_CATEGORY},
    )
    description = serializers.CharField(
        help_text="What is going on: 10 to 5000 characters.",
        error_messages={"required": REQUIRED, "blank": REQUIRED},
    )
    postcode = _text("Postcode as 1234 AB, with `house_number`; or give `location_description`.", 7)
    house_number = _text("House number with an optional addition, as 12 or 12a.", 10)
    location_description = _text(
        "A free description of the place, when there is no postcode and house number.", 300
    )
    occurred_on = OptionalDateField(
        required=False,
        allow_null=True,
        help_text="When it happened (YYYY-MM-DD), not in the future.",
        # The page's words for a date it cannot read.
        error_messages={"invalid": forms.DateField.default_error_messages["invalid"]},
    )
    contact_name = _text("Optional: the reporter's name (stored encrypted).", 200)
    contact_phone = _text("Optional: a phone number of 8 to 20 digits (stored encrypted).", 20)
    contact_email = _text("Optional: an e-mail address (stored encrypted).", 254)


class FileListField(serializers.ListField):
    """Its messages as one list, as every other field's (DRF's ListField keys them by position)."""

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            messages = dict.fromkeys(
                str(message) for messages in error.detail.values() for message in messages
            )
            raise serializers.ValidationError(list(messages)) from error


class ReportUploadSerializer(ReportSerializer):
    attachments = FileListField(
        child=serializers.FileField(
            # An empty file goes on to the service, which refuses it as any other wrong type.
            allow_empty_file=True,
            use_url=False,
            error_messages={
                "invalid": _("Stuur hier een bestand mee."),
                "no_name": _("Stuur hier een bestand mee."),
            },
        ),
        required=False,
        help_text="Optional photos (JPEG, PNG) or PDF files, their type read from their content.",
    )


class ReportReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField(
        help_text="The report's reference (MLD-…): the only thing the answer tells."
    )
