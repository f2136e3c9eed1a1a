from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "openveiligheid.organisations"
    label = "organisations"
    verbose_name = _("Organisaties")

    def ready(self):
        from . import navigation  # noqa: F401  (registers the app's menu entries)
