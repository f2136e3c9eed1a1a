"""The filters of the indicator list in the API (indicators.api.views.IndicatorViewSet), as a
django-filter set: an invalid value is a 400 with a Dutch message, never a 500."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from openveiligheid.indicators.models import Indicator


class IdFilter(django_filters.Filter):
    """An id in the query string: a whole number."""

    field_class = forms.IntegerField


class IndicatorFilterSet(django_filters.FilterSet):
    plan = django_filters.CharFilter(field_name="plan__slug")
    theme = IdFilter(
        field_name="theme_id", error_messages={"invalid": _("Geef het nummer van een thema.")}
    )

    class Meta:
        model = Indicator
        fields: list[str] = []  # all declared above
