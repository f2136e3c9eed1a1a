"""The filters of the indicator list in the API (indicators.api.views.IndicatorViewSet), as a
django-filter set: an invalid value is a 400 with a Dutch message, never a 500."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from openveiligheid.core.numbers import LARGEST_DATABASE_INTEGER
from openveiligheid.indicators.models import Indicator


class IdField(forms.IntegerField):
    """A whole number that fits a database id: a larger one is invalid, never a server error."""

    def to_python(self, value):
        number = super().to_python(value)
        if number is not None and abs(number) > LARGEST_DATABASE_INTEGER:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IdFilter(django_filters.Filter):
    """An id in the query string: a whole number."""

    field_class = IdField


class IndicatorFilterSet(django_filters.FilterSet):
    plan = django_filters.CharFilter(field_name="plan__slug")
    theme = IdFilter(
        field_name="theme_id", error_messages={"invalid": _("Geef het nummer van een thema.")}
    )

    class Meta:
        model = Indicator
        fields: list[str] = []  # all declared above
