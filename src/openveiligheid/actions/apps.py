from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "openveiligheid.actions"
    label = "actions"
    verbose_name = _("Acties")

    def ready(self):
        from . import navigation  # noqa: F401  (registers the app's menu entries)
