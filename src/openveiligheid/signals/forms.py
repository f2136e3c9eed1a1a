from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from openveiligheid.signals.models import Category
from openveiligheid.signals.services import DESCRIPTION_MAX, LOCATION_MAX


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; their checks are services.check_attachments'."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    """The public meldpunt's form. Its fields carry only the HTML limits; every rule is in
    services.submit_report."""

    category = forms.ModelChoiceField(
        label=_("Waar gaat uw melding over?"),
        queryset=Category.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    description = forms.CharField(
        label=_("Wat is er aan de hand?"),
        help_text=_("Beschrijf wat u heeft gezien of gehoord, en wie erbij betrokken zijn."),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": DESCRIPTION_MAX}),
        max_length=DESCRIPTION_MAX,
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    house_number = forms.CharField(label=_("Huisnummer"), required=False, max_length=10)
    location_description = forms.CharField(
        label=_("Of beschrijf de plek"),
        help_text=_("Bijvoorbeeld een straat, een park of een winkel."),
        required=False,
        max_length=LOCATION_MAX,
    )
    occurred_on = forms.DateField(
        label=_("Wanneer was het?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    attachments = MultipleFileField(
        label=_("Foto's of documenten"),
        required=False,
    )
    contact_name = forms.CharField(
        label=_("Naam"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Telefoonnummer"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.CharField(
        label=_("E-mailadres"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )
    # The honeypot: hidden from people (and assistive technology), filled in by simple bots.
    website = forms.CharField(
        label=_("Laat dit veld leeg"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["attachments"].help_text = _(
            "Foto's (JPEG of PNG) of PDF-bestanden; hoogstens %(count)d bestanden van elk "
            "hoogstens %(size)d MB."
        ) % {
            "count": settings.OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENTS,
            "size": settings.OPENVEILIGHEID_MELDPUNT_MAX_ATTACHMENT_BYTES // (1024 * 1024),
        }

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
