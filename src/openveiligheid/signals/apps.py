from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    name = "openveiligheid.signals"
    label = "signals"
    verbose_name = _("Meldpunt")

    def ready(self):
        from openveiligheid.privacy.retention import register_retention_provider
        from openveiligheid.privacy.services import register_encrypted_field
        from openveiligheid.privacy.subject_requests import register_person_data_provider

        from . import navigation  # noqa: F401  (menu entry)
        from .models import Report
        from .person_data import ReportPersonData
        from .retention import ReportRetention

        # The contact details are under the identity keys: rotated with the identities.
        register_encrypted_field(Report, "encrypted_contact")
        register_retention_provider(ReportRetention())
        register_person_data_provider(ReportPersonData())
