from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "openveiligheid.imports"
    label = "imports"
    verbose_name = _("Import")

    def ready(self):
        from . import navigation  # noqa: F401  (registers the app's menu entries)
