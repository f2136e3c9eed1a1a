from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from openveiligheid.signals.models import Category
from openveiligheid.signals.services import (
    CONTACT_NAME_MAX,
    DESCRIPTION_MAX,
    EMAIL_MAX,
    LOCATION_MAX,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; their checks are services.check_attachments'."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # An empty file goes on to the service, which refuses it as it refuses any other type.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    """The public meldpunt's form. Its fields carry only the HTML limits (maxlength, no
    validator): every rule is in services.submit_report, so that the page and the public API
    refuse the same input in the same words."""

    category = forms.ModelChoiceField(
        label=_("Waar gaat uw melding over?"),
        queryset=Category.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        # None goes on to the service, which asks for a category in its own words.
        required=False,
        error_messages={"invalid_choice": _("Kies waar uw melding over gaat.")},
    )
    description = forms.CharField(
        label=_("Wat is er aan de hand?"),
        help_text=_("Beschrijf wat u heeft gezien of gehoord, en wie erbij betrokken zijn."),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": DESCRIPTION_MAX}),
        error_messages={"required": _("Dit veld is verplicht.")},
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "maxlength": 7}),
    )
    house_number = forms.CharField(
        label=_("Huisnummer"), required=False, widget=forms.TextInput(attrs={"maxlength": 10})
    )
    location_description = forms.CharField(
        label=_("Of beschrijf de plek"),
        help_text=_("Bijvoorbeeld een straat, een park of een winkel."),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": LOCATION_MAX}),
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
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": CONTACT_NAME_MAX}),
    )
    contact_phone = forms.CharField(
        label=_("Telefoonnummer"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "maxlength": 20}),
    )
    contact_email = forms.CharField(
        label=_("E-mailadres"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "email", "autocomplete": "email", "maxlength": EMAIL_MAX}
        ),
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
