from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "openveiligheid.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from openveiligheid.core.api.messages import use_dutch_messages

        from . import navigation  # noqa: F401  (registers the app's menu entries)

        use_dutch_messages()
