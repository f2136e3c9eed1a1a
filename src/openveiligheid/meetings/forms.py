"""Forms of the meeting pages. They validate input only; every write goes through services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openveiligheid.actions.models import Action
from openveiligheid.core.concurrency import ABSENT, version_field


class ActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        label = obj.subject or obj.description[:80]
        if obj.due_text:
            label = f"{label} ({obj.due_text})"
        return label


class ScheduleActionForm(forms.Form):
    action = ActionChoiceField(
        label=_("Actie"),
        queryset=Action.objects.none(),
        empty_label=_("Kies een actie"),
        error_messages={
            "required": _("Kies de actie die op de agenda komt."),
            "invalid_choice": _("Kies een actie uit de lijst."),
        },
    )
    what_to_report = forms.CharField(
        label=_("Wat wordt gerapporteerd"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: stand van zaken, besluit gevraagd, evaluatie."),
    )
    # The version of the action's agenda item this form replaces: none (ABSENT), so that an
    # item someone else scheduled meanwhile is shown instead of silently overwritten.
    version = version_field()

    def __init__(self, *args, actions, **kwargs):
        kwargs.setdefault("initial", {"version": ABSENT})
        super().__init__(*args, **kwargs)
        # Only the actions the user may see, of the programme of this meeting's series.
        self.fields["action"].queryset = actions


class MarkReportedForm(forms.Form):
    reported = forms.TypedChoiceField(
        choices=(("1", _("Gerapporteerd")), ("0", _("Niet gerapporteerd"))),
        coerce=lambda value: value == "1",
        empty_value=True,
        required=False,
    )
