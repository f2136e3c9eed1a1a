"""The form to add a measurement with its duiding on the indicator page, and the choice of the
meldpunt category a count indicator counts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openveiligheid.areas.models import Area
from openveiligheid.core.concurrency import ABSENT, version_field
from openveiligheid.core.dutch import parse_number
from openveiligheid.core.form_fields import OfferedChoiceField
from openveiligheid.core.periods import parse_period
from openveiligheid.indicators.models import Indicator
from openveiligheid.indicators.selectors import areas_within
from openveiligheid.indicators.services import validate_value
from openveiligheid.signals.models import Category

PERIOD_HELP = {
    "year": _("Bijvoorbeeld 2024."),
    "half_year": _("Bijvoorbeeld 2024-H1 (eerste helft) of 2024 voor het hele jaar."),
    "quarter": _("Bijvoorbeeld 2024-Q2 (tweede kwartaal) of 2024 voor het hele jaar."),
    "month": _("Bijvoorbeeld 2024-05 (mei) of 2024 voor het hele jaar."),
}


class MeasurementForm(forms.Form):
    period = forms.CharField(
        label=_("Periode"),
        max_length=20,
        error_messages={"required": _("Vul de periode in, bijvoorbeeld 2024 of 2024-H1.")},
    )
    value = forms.CharField(
        label=_("Waarde"),
        max_length=40,
        help_text=_("Met een komma voor decimalen, bijvoorbeeld 7,6 of 23.555."),
        error_messages={"required": _("Vul een waarde in.")},
    )
    # Whether the area lies within the indicator's is a rule of record_measurement.
    area = OfferedChoiceField(
        label=_("Gebied"),
        queryset=Area.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Kies een gebied uit de lijst.")},
    )
    note = forms.CharField(
        label=_("Toelichting bij de meting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    interpretation = forms.CharField(
        label=_("Duiding"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Het verhaal achter de cijfers voor deze periode (optioneel)."),
    )
    # The versions of the measurement and the duiding this form replaces: none (ABSENT) for a
    # new period, so that a figure someone else recorded meanwhile is never silently replaced.
    version = version_field()
    interpretation_version = version_field()

    def __init__(self, *args, indicator: Indicator, **kwargs):
        kwargs.setdefault("initial", {"version": ABSENT, "interpretation_version": ABSENT})
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        # Empty means the indicator's own area; the choices are the districts and
        # neighbourhoods inside it. Without any, the field is left out.
        sub_areas = areas_within(indicator)
        if sub_areas.exists():
            self.fields["area"].queryset = sub_areas
            self.fields["area"].empty_label = _("%(area)s (standaard)") % {"area": indicator.area}
        else:
            del self.fields["area"]
        self.fields["period"].help_text = PERIOD_HELP.get(indicator.frequency, PERIOD_HELP["year"])
        # The Utrecht classes come from core/includes/form_field.html; only input hints here.
        self.fields["period"].widget.attrs.update(autocomplete="off")
        self.fields["value"].widget.attrs.update(autocomplete="off", inputmode="decimal")

    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        try:
            period = parse_period(text)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from error
        # A period that has not begun is refused by record_measurement (as in the API).
        return period

    def clean_value(self):
        text = self.cleaned_data["value"]
        try:
            number = parse_number(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("'%(value)s' is geen getal. Schrijf bijvoorbeeld 7,6 of 23.555.")
                % {"value": text},
                code="invalid",
            ) from error
        # The same unit check as the service, so the message shows at the field.
        try:
            return validate_value(self.indicator, number)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict.get("value", error.messages)) from error


class SignalCategoryForm(forms.Form):
    """Which meldpunt category a count indicator counts (indicators.services.link_signal_category
    checks the rules); the choices are the categories of the plan's municipality."""

    signal_category = OfferedChoiceField(
        label=_("Meldpuntcategorie"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Geen: de metingen worden ingevoerd"),
        help_text=_(
            "Na elke afgelopen periode telt Open Veiligheid de meldingen in deze categorie en "
            "legt het aantal vast als meting. Een telling blijft staan, ook als de meldingen "
            "later volgens de bewaartermijn worden verwijderd."
        ),
        error_messages={"invalid_choice": _("Kies een categorie uit de lijst.")},
    )

    def __init__(self, *args, indicator: Indicator, **kwargs):
        kwargs.setdefault("initial", {"signal_category": indicator.signal_category_id})
        super().__init__(*args, **kwargs)
        self.fields["signal_category"].queryset = Category.objects.filter(
            organisation_id=indicator.plan.owner_id, is_active=True
        )
