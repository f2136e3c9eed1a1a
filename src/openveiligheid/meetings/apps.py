from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "openveiligheid.meetings"
    label = "meetings"
    verbose_name = _("Overleggen")

    def ready(self):
        from . import navigation  # noqa: F401  (registers the app's menu entries)
