from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "openveiligheid.signals"
    label = "signals"
    verbose_name = _("Meldpunt")

    def ready(self):
        from . import navigation  # noqa: F401  (menu entry)
