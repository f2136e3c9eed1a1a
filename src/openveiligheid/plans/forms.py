"""The form to share a concept plan with partner organisations. Input only; the write and its
rules are plans.services.share_concept."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openveiligheid.core.concurrency import version_field
from openveiligheid.organisations.models import Organisation
from openveiligheid.plans.models import Plan


class ShareConceptForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Delen met"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "De contactpersonen van deze partners zien de acties die aan hun organisatie zijn "
            "gegeven, met op elke pagina 'concept'. Zet alle vinkjes uit om het delen in te "
            "trekken."
        ),
        error_messages={"invalid_choice": _("Kies partners uit de lijst.")},
    )
    version = version_field()

    def __init__(self, *args, plan: Plan, **kwargs):
        kwargs.setdefault(
            "initial",
            {"organisations": list(plan.shared_with.all()), "version": plan.version},
        )
        super().__init__(*args, **kwargs)
        # Whether an organisation may receive a concept is a rule of share_concept; the choices
        # are what it allows.
        self.fields["organisations"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.PARTNER
        ).order_by("name")
