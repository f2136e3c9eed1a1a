"""Forms for uploading a file of figures and for editing the mapping of measures to indicators."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from openveiligheid.core.concurrency import version_field
from openveiligheid.imports.models import AREA_LEVEL_CHOICES, MeasureMapping
from openveiligheid.imports.services import FIGURE_PERMISSIONS
from openveiligheid.imports.uploads import check_size
from openveiligheid.indicators.models import Indicator
from openveiligheid.organisations.models import Organisation
from openveiligheid.organisations.permissions import Permission
from openveiligheid.organisations.scoping import CHANGE, access_for

SOURCE_CHOICES = [
    ("auto", _("Automatisch herkennen")),
    ("statline", _("CBS StatLine / data.politie.nl (CSV)")),
    ("odata", _("CBS OData (JSON)")),
    ("geojson", _("GeoJSON")),
    ("incidents", _("Incidentenlijst (postcode, datum, soort)")),
    ("survey", _("Enquête (XLSX of CSV)")),
]


def organisations_for(user, *permissions: str):
    """Municipalities in which the user holds one of the permissions."""
    access = access_for(user)
    municipalities = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    if access is None:
        return municipalities.none()
    if access.is_superuser:
        return municipalities
    return municipalities.filter(pk__in=access.orgs_with(*permissions))


def import_organisations(user):
    return organisations_for(user, *FIGURE_PERMISSIONS)


def mapping_organisations(user):
    return organisations_for(user, Permission.MANAGE_PLAN)


class MeasurementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_(
            "Een export van data.politie.nl of CBS StatLine (CSV), CBS OData (JSON), GeoJSON, een "
            "incidentenlijst of enquêteresultaten (XLSX of CSV)."
        ),
        error_messages={"required": _("Kies een bestand.")},
    )
    source = forms.ChoiceField(label=_("Soort bestand"), choices=SOURCE_CHOICES, initial="auto")
    organisation = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("Kies de gemeente waarvoor u de cijfers inleest."),
            "invalid_choice": _("Kies een gemeente uit de lijst."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = import_organisations(user)
        self.fields["organisation"].queryset = organisations
        choices = list(organisations[:2])
        self.only_organisation = choices[0] if len(choices) == 1 else None
        if self.only_organisation is not None:
            # One municipality: no choice to make.
            self.fields["organisation"].initial = self.only_organisation
            self.fields["organisation"].required = False
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_organisation(self):
        return self.cleaned_data.get("organisation") or self.only_organisation

    def clean_file(self):
        file = self.cleaned_data["file"]
        check_size(file.size)
        return file


class MeasureMappingForm(forms.ModelForm):
    extra_areas = forms.CharField(
        label=_("Extra gebieden"),
        required=False,
        help_text=_(
            "CBS-codes van vergelijkingsgebieden, gescheiden door komma's: GM0213, GM0232."
        ),
    )

    class Meta:
        model = MeasureMapping
        fields = [
            "organisation",
            "table_id",
            "measure",
            "key",
            "indicator",
            "area_level",
            "extra_areas",
            "active",
        ]

    # The version the form was shown with (core.concurrency): a save on an older one is refused.
    version = version_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        organisations = mapping_organisations(user)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].required = True
        self.fields["organisation"].empty_label = None
        self.fields["organisation"].error_messages["required"] = _("Kies een gemeente.")
        self.fields["indicator"].queryset = (
            Indicator.objects.restrict(user, CHANGE)
            .filter(plan__owner__in=organisations)
            .select_related("plan")
            .order_by("plan__title", "name")
        )
        self.fields["indicator"].label_from_instance = lambda ind: f"{ind.plan.title}: {ind.name}"
        self.fields["area_level"].choices = [("", _("Zoals in het bestand")), *AREA_LEVEL_CHOICES]
        if self.instance.pk:
            self.initial["extra_areas"] = ", ".join(self.instance.extra_areas or [])

    def clean_extra_areas(self):
        text = self.cleaned_data.get("extra_areas") or ""
        codes = [code.strip().upper() for code in re.split(r"[,;\s]+", text) if code.strip()]
        wrong = [code for code in codes if not re.fullmatch(r"(GM|WK|BU)\d{4,8}", code)]
        if wrong:
            raise forms.ValidationError(
                _("Geen CBS-code: %(codes)s. Gebruik codes als GM0200.")
                % {"codes": ", ".join(wrong)}
            )
        return codes

    def clean(self):
        data = super().clean()
        organisation, indicator = data.get("organisation"), data.get("indicator")
        if (
            indicator is not None
            and organisation is not None
            and indicator.plan.owner_id != organisation.pk
        ):
            self.add_error(
                "indicator",
                _("Kies een indicator uit een plan van %(org)s.") % {"org": organisation},
            )
        if not data.get("table_id") and not data.get("measure"):
            if not (data.get("key") and indicator):
                raise forms.ValidationError(
                    _(
                        "Geef een tabel of onderwerp op, of koppel een sleutel aan een indicator "
                        "(sleutel én indicator)."
                    )
                )
        elif not indicator and not data.get("key"):
            raise forms.ValidationError(_("Kies een indicator of geef een sleutel op."))
        return data
