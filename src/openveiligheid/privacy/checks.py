"""Deployment checks (`openveiligheid check --deploy`): the privacy keys are set."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def privacy_keys(app_configs, **kwargs):
    errors = []
    for name in ("OPENVEILIGHEID_AUDIT_KEY",):
        value = getattr(settings, name, "")
        if len(value) < 32 or value.startswith("development-only-"):
            errors.append(
                Error(
                    f"{name} ontbreekt of is korter dan 32 tekens.",
                    hint="Zet een lange willekeurige waarde in de omgeving (README, Privacy keys).",
                    id="openveiligheid.privacy.E001",
                )
            )
    return errors
