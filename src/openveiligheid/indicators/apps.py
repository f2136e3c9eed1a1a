from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "openveiligheid.indicators"
    label = "indicators"
    verbose_name = _("Indicatoren")

    def ready(self):
        from openveiligheid.plans.services import plan_created

        from .bbv import ensure_on_plan_created

        plan_created.connect(ensure_on_plan_created, dispatch_uid="bbv-indicators")
