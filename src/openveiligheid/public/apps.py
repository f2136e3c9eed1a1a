from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "openveiligheid.public"
    label = "public"
    verbose_name = _("Openbare pagina's")

    def ready(self):
        from openveiligheid.public import checks, receivers  # noqa: F401  (deployment check)
        from openveiligheid.reports.signals import report_published

        report_published.connect(receivers.mail_subscribers, dispatch_uid="public.mail_subscribers")
