from django import forms
from django.utils.translation import gettext_lazy as _

from openveiligheid.public.services import EMAIL_MAX_LENGTH


class SubscribeForm(forms.Form):
    """The address only; services.subscribe checks it (with its own Dutch messages)."""

    email = forms.CharField(
        label=_("Uw e-mailadres"),
        help_text=_(
            "U krijgt eerst een e-mail met een link om uw aanmelding te bevestigen. We bewaren "
            "alleen uw e-mailadres, en verwijderen het zodra u zich afmeldt."
        ),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": _("Vul uw e-mailadres in."),
            "max_length": _("Een e-mailadres is hoogstens %(limit_value)s tekens lang."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
