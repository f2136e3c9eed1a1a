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

    def __init__(self, *args, report_types=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The plan's own choice (the driehoek reports only for a regional plan).
        if report_types is not None:
            self.fields["report_type"].choices = report_types


class InterpretationForm(forms.Form):
    text = forms.CharField(
        label=_("Duiding"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    cooperation_examples = forms.CharField(
        label=_("Voorbeelden van samenwerking"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Hoe de partners bij dit strategische thema hebben samengewerkt."),
    )

    def __init__(self, *args, strategic: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a strategic theme reports its cooperation examples.
        if not strategic:
            del self.fields["cooperation_examples"]


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
