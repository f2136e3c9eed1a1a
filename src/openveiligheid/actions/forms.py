"""Forms of the action pages. They validate input only; every write goes through services.py."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openveiligheid.actions.models import Action, ActionStatus
from openveiligheid.actions.selectors import STATUS_ORDER


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=ActionStatus.choices,
        error_messages={
            "required": _("Kies een nieuwe status."),
            "invalid_choice": _("Kies een status uit de lijst."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optioneel: waarom verandert de status?"),
    )

    def __init__(self, *args, action: Action, **kwargs):
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

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Beschrijf de voortgang."))
        return text


class LeadPersonChoiceField(forms.ModelChoiceField):
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

    FIELDS = ("subject", "description", "due_text", "lead_person", "is_new", "is_unplanned")

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("initial", {name: getattr(action, name) for name in self.FIELDS})
        super().__init__(*args, **kwargs)
        owner_id = action.action_plan.plan.owner_id
        # The action holder works for the organisation that owns the plan; the current holder
        # stays selectable so that saving other fields never fails on a since-moved person.
        self.fields["lead_person"].queryset = (
            get_user_model()
            .objects.filter(
                Q(is_active=True, memberships__organisation_id=owner_id)
                | Q(pk=action.lead_person_id)
            )
            .distinct()
            .order_by("last_name", "first_name", "username")
        )

    def clean_description(self):
        description = self.cleaned_data["description"].strip()
        if not description:
            raise ValidationError(_("Beschrijf de actie."))
        return description

    def changes(self) -> dict:
        """Only the fields the user changed, so that an unchanged 'Wanneer' is not re-parsed."""
        return {name: self.cleaned_data[name] for name in self.FIELDS if name in self.changed_data}
