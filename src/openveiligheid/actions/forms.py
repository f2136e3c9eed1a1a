"""Forms of the action pages. They validate input only; every write goes through services.py."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openveiligheid.actions.models import (
    STATUS_NOTE_MAX_LENGTH,
    Action,
    ActionPlan,
    ActionStatus,
)
from openveiligheid.actions.selectors import (
    STATUS_ORDER,
    eligible_lead_organisations,
    eligible_lead_people,
)
from openveiligheid.core.concurrency import version_field
from openveiligheid.core.form_fields import OfferedChoiceField
from openveiligheid.organisations.models import Organisation
from openveiligheid.plans.models import Theme


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=ActionStatus.choices,
        error_messages={
            "required": _("Kies een nieuwe status."),
            "invalid_choice": _("Kies een status uit de lijst."),
        },
    )
    # The length is a rule of services.change_status (the same message as the API); the
    # browser is only told the maximum.
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATUS_NOTE_MAX_LENGTH}),
        help_text=_("Optioneel: waarom verandert de status?"),
    )
    version = version_field()

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("initial", {"version": action.version})
        super().__init__(*args, **kwargs)
        self.action = action
        # Offer only the statuses the transition table allows; the service checks again.
        allowed = set(action.allowed_transitions())
        self.fields["status"].widget.choices = [("", _("Kies een status"))] + [
            (value, ActionStatus(value).label) for value in STATUS_ORDER if value in allowed
        ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == self.action.status:
            raise ValidationError(
                _("De actie heeft al de status '%(status)s'.")
                % {"status": ActionStatus(status).label}
            )
        return status


class ProgressUpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Voortgang"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Beschrijf de voortgang.")},
    )
    progress = forms.IntegerField(
        label=_("Voortgang (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Optioneel: een getal van 0 tot en met 100."),
        error_messages={
            "invalid": _("Vul een heel getal in, van 0 tot en met 100."),
            # Django fills these messages with %-formatting, hence the doubled percent sign.
            "min_value": _("De voortgang ligt tussen 0 en 100%%."),
            "max_value": _("De voortgang ligt tussen 0 en 100%%."),
        },
    )
    version = version_field()

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("initial", {"version": action.version})
        super().__init__(*args, **kwargs)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Beschrijf de voortgang."))
        return text


class LeadPersonChoiceField(OfferedChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ActionEditForm(forms.Form):
    subject = forms.CharField(label=_("Onderwerp"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Actie"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Beschrijf de actie.")},
    )
    due_text = forms.CharField(
        label=_("Wanneer"),
        max_length=300,
        required=False,
        help_text=_(
            "Zoals in het plan, bijvoorbeeld 'Doorlopend', 'Eind 2017' of '2e kwartaal 2017'."
        ),
    )
    lead_person = LeadPersonChoiceField(
        label=_("Actiehouder"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Geen actiehouder"),
        error_messages={"invalid_choice": _("Kies een actiehouder uit de lijst.")},
    )
    is_new = forms.BooleanField(label=_("Nieuw ten opzichte van het vorige plan"), required=False)
    is_unplanned = forms.BooleanField(
        label=_("Onvoorzien (in de loop van het jaar toegevoegd)"), required=False
    )
    partners_may_edit = forms.BooleanField(
        label=_("Partners mogen deze actie bewerken"),
        help_text=_(
            "Anders melden partners alleen voortgang en status; beschrijving, actiehouder en "
            "termijn blijven bij uw organisatie."
        ),
        required=False,
    )

    FIELDS = (
        "subject",
        "description",
        "due_text",
        "lead_person",
        "is_new",
        "is_unplanned",
        "partners_may_edit",
    )

    # The version the form was shown with: saving it after someone else saved is refused
    # (optimistic concurrency) instead of silently undoing their change.
    version = version_field()

    def __init__(self, *args, action: Action, owner: bool = False, **kwargs):
        initial = {name: getattr(action, name) for name in self.FIELDS}
        kwargs.setdefault("initial", {**initial, "version": action.version})
        super().__init__(*args, **kwargs)
        if not owner:
            # Only the owner's action managers decide whether partners may edit.
            del self.fields["partners_may_edit"]
        # The current holder stays selectable so that saving other fields never fails on a
        # since-moved person (update_action checks the holder only when it changes).
        eligible = eligible_lead_people(action.action_plan.plan, action.lead_organisation_id)
        self.fields["lead_person"].queryset = eligible | get_user_model().objects.filter(
            pk=action.lead_person_id
        )

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if not description:
            raise ValidationError(_("Beschrijf de actie."))
        return description

    def changes(self) -> dict:
        """Only the fields the user changed, so that an unchanged 'Wanneer' is not re-parsed."""
        return {
            name: self.cleaned_data[name]
            for name in self.FIELDS
            if name in self.fields and name in self.changed_data
        }


class UnplannedActionForm(forms.Form):
    """An action added during the year; by default flagged unplanned, dated today."""

    action_plan = forms.ModelChoiceField(
        label=_("Actieplan"),
        queryset=ActionPlan.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Kies een actieplan."),
            "invalid_choice": _("Kies een actieplan uit de lijst."),
        },
    )
    theme = OfferedChoiceField(
        label=_("Thema"),
        queryset=Theme.objects.none(),
        required=False,
        empty_label=_("Geen thema"),
        error_messages={"invalid_choice": _("Kies een thema uit de lijst.")},
    )
    subject = forms.CharField(label=_("Onderwerp"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Actie"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Beschrijf de actie.")},
    )
    lead_organisation = OfferedChoiceField(
        label=_("Trekker"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Nog geen trekker"),
        help_text=_("De gemeente of partner die de actie trekt."),
        error_messages={"invalid_choice": _("Kies een trekker uit de lijst.")},
    )
    lead_text = forms.CharField(
        label=_("Trekker (toelichting)"),
        max_length=500,
        required=False,
        help_text=_("Optioneel, bijvoorbeeld de afdeling of persoon."),
    )
    due_text = forms.CharField(
        label=_("Wanneer"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld 'Doorlopend', 'Eind 2024' of '3e kwartaal 2024'."),
    )
    is_unplanned = forms.BooleanField(
        label=_("Onvoorzien (in de loop van het jaar toegevoegd)"), required=False, initial=True
    )
    unplanned_since = forms.DateField(
        label=_("Binnengekomen op"),
        required=False,
        help_text=_("De datum waarop de actie binnenkwam, als dd-mm-jjjj."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d-%m-%Y"),
        error_messages={"invalid": _("Vul een datum in als dd-mm-jjjj, bijvoorbeeld 14-03-2024.")},
    )

    def __init__(self, *args, plan, action_plans, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("unplanned_since", timezone.localdate())
        latest = action_plans.order_by("-year_start", "-id").first()
        if latest is not None:
            kwargs["initial"].setdefault("action_plan", latest.pk)
        super().__init__(*args, **kwargs)
        self.fields["action_plan"].queryset = action_plans.order_by("-year_start", "title")
        self.fields["theme"].queryset = plan.themes.order_by("order", "id")
        self.fields["lead_organisation"].queryset = eligible_lead_organisations(plan)

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if not description:
            raise ValidationError(_("Beschrijf de actie."))
        return description

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_unplanned"):
            cleaned["unplanned_since"] = None
        return cleaned


class NextYearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Jaar"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Vul het jaar in."),
            "invalid": _("Vul een jaartal in, zoals 2025."),
            "min_value": _("Vul een jaartal in, zoals 2025."),
            "max_value": _("Vul een jaartal in, zoals 2025."),
        },
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=300,
        required=False,
        help_text=_("Leeg: de titel van dit jaar met het nieuwe jaartal."),
    )


class ActionPlanForm(forms.Form):
    """A new action plan for a plan: for one of its years or for its whole period."""

    years = forms.ChoiceField(
        label=_("Voor welke jaren"),
        error_messages={
            "required": _("Kies een jaar of de hele periode."),
            "invalid_choice": _("Kies een jaar of de hele periode uit de lijst."),
        },
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=300,
        required=False,
        help_text=_("Leeg: 'Actieplan' met de jaren en de naam van het plan."),
    )

    def __init__(self, *args, plan, taken_years=(), **kwargs):
        super().__init__(*args, **kwargs)
        first, last = plan.period_start, plan.period_end
        choices = [
            (str(year), str(year)) for year in range(first, last + 1) if year not in taken_years
        ]
        if first != last and first not in taken_years:
            whole = _("De hele periode, %(first)s-%(last)s") % {"first": first, "last": last}
            choices.append((f"{first}-{last}", whole))
        self.fields["years"].choices = choices

    def clean_years(self):
        first, _sep, last = self.cleaned_data["years"].partition("-")
        return int(first), int(last or first)
