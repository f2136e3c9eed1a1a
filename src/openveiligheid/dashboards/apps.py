from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "openveiligheid.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from . import navigation  # noqa: F401  (registers the app's menu entries)
