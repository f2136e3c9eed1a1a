from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "openveiligheid.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from . import checks, navigation, two_factor  # noqa: F401  (checks, menu, login signal)
