from django import forms
from django.utils.translation import gettext_lazy as _

from openveiligheid.reports.models import ReportType


class ReportCreateForm(forms.Form):
    report_type = forms.ChoiceField(label=_("Soort rapportage"), choices=ReportType.choices)
    period = forms.CharField(
        label=_("Periode"),
        max_length=20,
        help_text=_("Een jaar (2024), halfjaar (2024-H1) of kwartaal (2024-Q3)."),
    )


class InterpretationForm(forms.Form):
    text = forms.CharField(
        label=_("Duiding"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class StatusForm(forms.Form):
    status = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CorrectionForm(forms.Form):
    # Required, but checked by the service (one message for the page and the command line).
    reason = forms.CharField(
        label=_("Reden van de correctie"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
