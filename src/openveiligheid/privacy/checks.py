"""Deployment checks (`openveiligheid check --deploy`): the privacy keys are set."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def privacy_keys(app_configs, **kwargs):
    errors = []
    for name in ("OPENVEILIGHEID_AUDIT_KEY", "OPENVEILIGHEID_PSEUDONYM_KEY"):
        value = getattr(settings, name, "")
        if len(value) < 32 or value.startswith("development-only-"):
            errors.append(
                Error(
                    f"{name} ontbreekt of is korter dan 32 tekens.",
                    hint="Zet een lange willekeurige waarde in de omgeving (README, Privacy keys).",
                    id="openveiligheid.privacy.E001",
                )
            )
    keys = getattr(settings, "OPENVEILIGHEID_IDENTITY_KEYS", [])
    try:
        from cryptography.fernet import Fernet

        for key in keys:
            Fernet(key)
    except ValueError:
        keys = []
    if not keys or "ZGV2ZWxvcG1lbnQtb25seS1ub3Qtc2VjcmV0LWlkZW4=" in keys:
        errors.append(
            Error(
                "OPENVEILIGHEID_IDENTITY_KEYS ontbreekt of bevat een ongeldige sleutel.",
                hint="Maak een sleutel met python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())' (README, Privacy keys).",
                id="openveiligheid.privacy.E002",
            )
        )
    return errors
