"""The search of the audit trail, shared by the page and its CSV export."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openveiligheid.privacy.models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_name", lookup_expr="icontains", label=_("Gebruiker")
    )
    object = django_filters.CharFilter(
        method="filter_object",
        label=_("Object"),
        help_text=_("Soort, nummer of omschrijving, zoals signals.report of een referentie."),
    )
    action = django_filters.ChoiceFilter(
        choices=AuditEntry.Action.choices, label=_("Handeling"), empty_label=_("Alle")
    )
    result = django_filters.ChoiceFilter(
        choices=AuditEntry.Result.choices, label=_("Resultaat"), empty_label=_("Alle")
    )
    date_from = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__gte",
        label=_("Vanaf"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_until = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__lte",
        label=_("Tot en met"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = []

    def filter_object(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(object_type__iexact=value) | Q(object_id=value) | Q(object_repr__icontains=value)
        )
