"""Serializer fields shared by the apps' APIs."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choice set appears once in the OpenAPI schema, under a fixed name.

    Several choice sets are used under the same field name ("status" of a plan, an action and an
    indicator) and one set under several names (an action's status, allowed transitions and
    history): named components keep the generated schema free of naming collisions."""

    def __init__(self, choices, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)

    def to_representation(self, value):
        # An empty value (the first entry of a status history) is null, not an unknown choice.
        if value in ("", None):
            return None
        return super().to_representation(value)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        choices = [(value, label) for value, label in self.target.choices.items() if value != ""]
        return {
            "type": "string",
            "enum": [value for value, _label in choices],
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices),
        }
