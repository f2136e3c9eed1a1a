"""Form fields shared by the apps' forms."""

from django import forms
from django.core.exceptions import ValidationError


class OfferedChoiceField(forms.ModelChoiceField):
    """Offers the choices of a selector (``queryset``) but accepts any existing object of its
    model.

    Whether the chosen object is allowed is a rule of the service the view calls; leaving it to
    the service gives the page the same message as the API and the imports, instead of a generic
    "choose from the list"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        model = self.queryset.model
        key = self.to_field_name or "pk"
        if isinstance(value, model):
            value = getattr(value, key)
        try:
            return model._default_manager.get(**{key: value})
        except (ValueError, TypeError, model.DoesNotExist) as error:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from error
