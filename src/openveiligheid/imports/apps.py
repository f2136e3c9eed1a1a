from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def load_upload_kinds() -> None:
    """Each kind of upload registers itself with imports.uploads when its module is imported."""
    from openveiligheid.imports import services  # noqa: F401  (figures)
    from openveiligheid.imports.action_sheets import services as action_sheets  # noqa: F401
    from openveiligheid.imports.plans import services as plans  # noqa: F401


class ImportsConfig(AppConfig):
    name = "openveiligheid.imports"
    label = "imports"
    verbose_name = _("Import")

    def ready(self):
        from . import navigation  # noqa: F401  (registers the app's menu entries)

        load_upload_kinds()
