from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openveiligheid.privacy.models import MAX_RETENTION_MONTHS, SubjectRequest


class AccessReviewForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2000)
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld welke toegang u heeft laten intrekken."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("Vul de code in.")},
    )


class RetentionForm(forms.Form):
    """One period in months per kind; the fields are made from the kinds."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[row.kind] = forms.IntegerField(
                label=row.label,
                min_value=1,
                max_value=MAX_RETENTION_MONTHS,
                initial=row.months,
                help_text=_("Standaard %(months)d maanden.") % {"months": row.default},
                error_messages={
                    "required": _("Vul een bewaartermijn in maanden in."),
                    "invalid": _("Vul een heel aantal maanden in."),
                    "min_value": _("Kies een bewaartermijn van ten minste 1 maand."),
                    "max_value": _("Kies een bewaartermijn van hoogstens %(limit_value)s maanden."),
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )


class SubjectRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Kies een van uw organisaties.")},
    )
    kind = forms.ChoiceField(
        label=_("Soort verzoek"),
        choices=SubjectRequest.Kind.choices,
        error_messages={"required": _("Kies de soort verzoek.")},
    )
    name = forms.CharField(label=_("Naam"), required=False, max_length=200)
    email = forms.CharField(label=_("E-mailadres"), required=False, max_length=254)
    phone = forms.CharField(label=_("Telefoonnummer"), required=False, max_length=40)
    received_on = forms.DateField(
        label=_("Ontvangen op"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("De uiterste datum van afhandeling is een maand later."),
        error_messages={
            "required": _("Vul de datum van ontvangst in."),
            "invalid": _("Vul een geldige datum in."),
        },
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["received_on"].initial = timezone.localdate()


class SubjectRequestStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Nieuwe status"), choices=(), error_messages={"required": _("Kies een status.")}
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij afwijzen: de reden die u de persoon geeft."),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class RectifyForm(forms.Form):
    provider = forms.CharField(widget=forms.HiddenInput, max_length=100)
    object_id = forms.CharField(widget=forms.HiddenInput, max_length=20)
    name = forms.CharField(label=_("Naam"), required=False, max_length=200)
    email = forms.CharField(label=_("E-mailadres"), required=False, max_length=254)
    phone = forms.CharField(label=_("Telefoonnummer"), required=False, max_length=40)


class EraseForm(forms.Form):
    provider = forms.CharField(widget=forms.HiddenInput, max_length=100)
    object_id = forms.CharField(widget=forms.HiddenInput, max_length=20)
