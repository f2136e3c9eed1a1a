from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "openveiligheid.core"
    label = "core"
    verbose_name = _("Kern")


class SuperuserAdminConfig(admin_apps.AdminConfig):
    """Django's admin under /beheer/, for superusers only: the people who administer an
    organisation do so in the product's own pages (organisations.views), scoped to it; the
    admin sees everything."""

    default = False  # named in INSTALLED_APPS; CoreConfig stays this module's default
    default_site = "openveiligheid.core.admin.SuperuserAdminSite"
