"""Deployment check (`openveiligheid check --deploy`): the mails about new reports can link back."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def public_base_url(app_configs, **kwargs):
    url = getattr(settings, "OPENVEILIGHEID_PUBLIC_BASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc:
        return []
    return [
        Warning(
            "OPENVEILIGHEID_PUBLIC_BASE_URL ontbreekt of is geen https-adres: abonnees krijgen "
            "geen e-mail als er een rapportage wordt gepubliceerd.",
            hint="Zet het adres van de site, bijvoorbeeld https://veiligheid.gemeente.nl.",
            id="openveiligheid.public.W001",
        )
    ]
