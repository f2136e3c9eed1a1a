from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "openveiligheid.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # System checks, menu entries, the login signal, the identities' person-data provider.
        from . import checks, navigation, subject_requests, two_factor  # noqa: F401
        from .models import SubjectRequest
        from .services import register_encrypted_field

        # A request's search terms are under the identity keys: rotated with the identities.
        register_encrypted_field(SubjectRequest, "encrypted_terms")
