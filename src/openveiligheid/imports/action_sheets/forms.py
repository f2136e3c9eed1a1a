"""The upload form of the action sheet import."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from openveiligheid.actions.models import ActionPlan
from openveiligheid.imports.uploads import check_size


class ImportUploadForm(forms.Form):
    action_plan = forms.ModelChoiceField(
        label=_("Actieplan"),
        queryset=ActionPlan.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Kies een actieplan."),
            "invalid_choice": _("Kies een actieplan uit de lijst."),
        },
    )
    file = forms.FileField(
        label=_("Excelbestand (.xlsx)"),
        help_text=_("Een export van deze lijst, bewerkt in Excel."),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Het bestand is leeg."),
        },
    )

    def __init__(self, *args, action_plans, **kwargs):
        kwargs.setdefault("initial", {})
        latest = action_plans.order_by("-year_start", "-id").first()
        if latest is not None:
            kwargs["initial"].setdefault("action_plan", latest.pk)
        super().__init__(*args, **kwargs)
        self.fields["action_plan"].queryset = action_plans.order_by("-year_start", "title")

    def clean_file(self):
        file = self.cleaned_data["file"]
        check_size(file.size)
        if not file.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Kies een Excelbestand (.xlsx)."))
        return file
