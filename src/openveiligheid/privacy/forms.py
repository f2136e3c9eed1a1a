from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
