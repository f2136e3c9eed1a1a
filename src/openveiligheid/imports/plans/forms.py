"""The upload form of the plan import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openveiligheid.imports.plans.readers import FORMATS
from openveiligheid.imports.plans.services import importable_organisations
from openveiligheid.imports.uploads import check_size
from openveiligheid.plans.models import Plan


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_(
            "Een plan of programma als Word (.docx), PDF, Excel (.xlsx) of tekst (.txt), "
            "met de actietabellen zoals de gemeente ze al heeft."
        ),
        error_messages={"required": _("Kies een bestand.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Gemeente of samenwerkingsverband"),
        queryset=None,
        error_messages={"required": _("Kies voor wie u het plan inleest.")},
    )
    plan = forms.ModelChoiceField(
        label=_("Bestaand plan bijwerken"),
        queryset=None,
        required=False,
        empty_label=_("Nieuw uitvoeringsplan maken"),
        help_text=_(
            "Leeg laten om een nieuw uitvoeringsplan (concept) te maken. Is het document al "
            "eerder ingelezen, dan toont het voorbeeld wat er in dat plan verandert."
        ),
    )
    year = forms.IntegerField(
        label=_("Jaar"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Voor datums zonder jaartal; leeg laten om het jaar uit de titel te nemen."),
        error_messages={
            "min_value": _("Geef een jaar vanaf 2000."),
            "max_value": _("Geef een jaar tot en met 2100."),
            "invalid": _("Geef een jaar als getal, zoals 2021."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = importable_organisations(user).order_by("name")
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["plan"].queryset = Plan.objects.filter(owner__in=organisations).order_by(
            "owner__name", "-period_start", "title"
        )

    def clean_file(self):
        file = self.cleaned_data["file"]
        suffix = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
        if suffix not in FORMATS:
            raise forms.ValidationError(
                _("Dit bestandstype wordt niet ondersteund; kies een .docx, .pdf, .xlsx of .txt.")
            )
        check_size(file.size)
        return file

    def clean(self):
        cleaned = super().clean()
        plan, organisation = cleaned.get("plan"), cleaned.get("organisation")
        if plan is not None and organisation is not None and plan.owner_id != organisation.pk:
            self.add_error("plan", _("Dit plan hoort niet bij de gekozen organisatie."))
        return cleaned
