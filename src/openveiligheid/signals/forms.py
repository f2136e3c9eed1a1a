from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from openveiligheid.organisations.models import Organisation
from openveiligheid.signals.models import Category, Report, ReportLink
from openveiligheid.signals.services import (
    CONTACT_NAME_MAX,
    DESCRIPTION_MAX,
    EMAIL_MAX,
    LOCATION_MAX,
    NOTE_MAX,
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


class CategoryField(forms.ModelChoiceField):
    """Required, and shown so; but no choice goes on to the service as None, which asks for one
    in its own words while telling what else is missing."""

    def validate(self, value):
        pass

    def offer(self, categories: list[Category]) -> None:
        """Offer these categories, already read (services.ensure_default_categories), without
        reading them again to show the form."""
        self.queryset = Category.objects.filter(pk__in=[category.pk for category in categories])
        self.choices = [(category.pk, category.name) for category in categories]


class ReportForm(forms.Form):
    """The public meldpunt's form. Its fields carry only the HTML limits (maxlength, no
    validator): every rule is in services.submit_report, so that the page and the public API
    refuse the same input in the same words."""

    category = CategoryField(
        label=_("Waar gaat uw melding over?"),
        queryset=Category.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
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

    def __init__(self, *args, categories: list[Category], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].offer(categories)
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


# --- Triage -------------------------------------------------------------------------------------
# One form per step, each with its own prefix: the report page shows several at once. The
# forms only carry the HTML limits; every rule is in the triage services.

NOTE_WIDGET = {"rows": 3, "maxlength": NOTE_MAX}


class QueueFilterForm(forms.Form):
    """The triage queue's filters; an unknown value is a Dutch error on the page."""

    gemeente = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=Organisation.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    categorie = forms.ChoiceField(label=_("Categorie"), required=False)
    prioriteit = forms.ChoiceField(label=_("Prioriteit"), required=False)

    def __init__(self, *args, organisations, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = Organisation.objects.filter(
            pk__in=[org.pk for org in organisations]
        )
        self.fields["gemeente"].empty_label = _("Alle gemeenten")
        self.fields["status"].choices = [
            ("", _("Alle open meldingen")),
            *Report.Status.choices,
            (ALL_STATUSES, _("Alle meldingen")),
        ]
        # Categories by name: the same name in two municipalities is one filter choice.
        names = sorted({category.name for category in categories})
        self.fields["categorie"].choices = [("", _("Alle categorieën"))] + [
            (name, name) for name in names
        ]
        self.fields["prioriteit"].choices = [("", _("Alle prioriteiten")), *Report.Priority.choices]
        if len(organisations) < 2:
            del self.fields["gemeente"]


ALL_STATUSES = "alle"


def note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs=NOTE_WIDGET),
    )


class TakeForm(forms.Form):
    note = note_field()


class ClassifyForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Nieuwe categorie"), queryset=Category.objects.none(), empty_label=None
    )
    note = note_field()

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            organisation_id=report.organisation_id, is_active=True
        )
        self.fields["category"].error_messages["invalid_choice"] = _(
            "Kies een categorie van deze gemeente."
        )


class PrioritiseForm(forms.Form):
    priority = forms.ChoiceField(label=_("Prioriteit"), choices=Report.Priority.choices)
    note = note_field()


MELD_MISDAAD_ANONIEM_CHOICE = "mma"


class ForwardForm(forms.Form):
    destination = forms.ChoiceField(label=_("Doorzetten naar"))
    note = forms.CharField(
        label=_("Wat heeft u doorgegeven, en hoe?"),
        help_text=_("Bijvoorbeeld: per beveiligde e-mail aan de wijkagent."),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs=NOTE_WIDGET),
        error_messages={"required": _("Schrijf op wat u heeft doorgegeven, en hoe.")},
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = {str(partner.pk): partner for partner in partners}
        self.fields["destination"].choices = [
            ("", _("Kies een partner")),
            *((key, partner.name) for key, partner in self.partners.items()),
            (MELD_MISDAAD_ANONIEM_CHOICE, _("Meld Misdaad Anoniem (melder daarop gewezen)")),
        ]
        self.fields["destination"].error_messages["required"] = _(
            "Kies de partner waaraan u de melding doorzet."
        )

    def service_arguments(self) -> dict:
        destination = self.cleaned_data["destination"]
        if destination == MELD_MISDAAD_ANONIEM_CHOICE:
            return {"to_meld_misdaad_anoniem": True}
        return {"partner": self.partners[destination]}


class AskReporterForm(forms.Form):
    question = forms.CharField(
        label=_("Uw vraag aan de melder"),
        help_text=_("De melder krijgt deze vraag per e-mail, met het kenmerk van de melding."),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX}),
        error_messages={"required": _("Schrijf uw vraag aan de melder.")},
    )


class LinkForm(forms.Form):
    other = forms.CharField(
        label=_("Kenmerk van de andere melding"),
        max_length=20,
        help_text=_("Bijvoorbeeld MLD-ABCD2345."),
        error_messages={"required": _("Kies de melding die u wilt koppelen.")},
    )
    reason = forms.ChoiceField(label=_("Reden"), choices=ReportLink.Reason.choices)
    note = note_field()


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reden van afsluiten"),
        choices=Report.CloseReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies de reden van afsluiten.")},
    )
    note = note_field()


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("Waarvoor heeft u de contactgegevens nodig?"),
        help_text=_("Dit wordt met uw naam vastgelegd in de audittrail."),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
        error_messages={"required": _("Geef aan waarvoor u de contactgegevens nodig heeft.")},
    )
