"""Forms of the member administration pages. They validate input only; every rule and write is
in services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from openveiligheid.organisations.models import Role
from openveiligheid.organisations.permissions import Permission

ROLE_ERRORS = {
    "required": _("Kies een rol."),
    "invalid_choice": _("Kies een rol uit de lijst."),
}


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=150,
        help_text=_("De uitnodiging gaat naar dit adres; het is ook de gebruikersnaam."),
        error_messages={
            "required": _("Vul het e-mailadres in."),
            "invalid": _("Geef een geldig e-mailadres."),
        },
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        error_messages={"required": _("Vul de achternaam in.")},
    )
    role = forms.ModelChoiceField(
        label=_("Rol"), queryset=Role.objects.none(), empty_label=None, error_messages=ROLE_ERRORS
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles


class AssignRoleForm(forms.Form):
    role = forms.ModelChoiceField(
        label=_("Rol toevoegen"),
        queryset=Role.objects.none(),
        empty_label=_("Kies een rol"),
        error_messages=ROLE_ERRORS,
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles


class RolePermissionsForm(forms.Form):
    permissions = forms.MultipleChoiceField(
        label=_("Rechten"),
        choices=Permission.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Wat iedereen met deze rol in uw organisatie mag."),
        error_messages={"invalid_choice": _("Kies rechten uit de lijst.")},
    )


class SetPasswordForm(forms.Form):
    """The invitee's new password; the password validators run in services.accept_invitation."""

    password = forms.CharField(
        label=_("Nieuw wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Minstens 12 tekens; niet alleen cijfers, geen veelgebruikt wachtwoord en niet te "
            "veel lijkend op uw naam of e-mailadres."
        ),
        error_messages={"required": _("Vul een wachtwoord in.")},
    )
    password_again = forms.CharField(
        label=_("Nieuw wachtwoord (herhaling)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Vul het wachtwoord nogmaals in.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") not in (None, data["password"]):
            raise ValidationError({"password_again": _("De twee wachtwoorden zijn niet gelijk.")})
        return data


class HouseStyleForm(forms.Form):
    """The colour and logo on the organisation's reports; the file's checks are
    services.change_house_style's (organisations.logos)."""

    brand_colour = forms.CharField(
        label=_("Huiskleur"),
        max_length=7,
        help_text=_("Als #RRGGBB, zoals #154273; de kleur van de koppen in rapportages."),
        error_messages={"required": _("Vul de huiskleur in, zoals #154273.")},
    )
    logo = forms.FileField(
        label=_("Nieuw logo"),
        required=False,
        help_text=_(
            "Een PNG- of JPEG-afbeelding van hoogstens %(size)s. SVG wordt niet aangenomen. "
            "Gepubliceerde rapportages houden het logo waarmee ze zijn gepubliceerd."
        ),
        error_messages={"empty": _("Het gekozen bestand is leeg.")},
    )
    remove_logo = forms.BooleanField(label=_("Logo verwijderen"), required=False)

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        from django.template.defaultfilters import filesizeformat

        self.fields["logo"].help_text = self.fields["logo"].help_text % {
            "size": filesizeformat(max_bytes)
        }
