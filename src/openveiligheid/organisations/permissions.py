"""Permissions are named here, in code; roles (data) grant a set of them per organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Permission(models.TextChoices):
    VIEW_UNPUBLISHED = "view_unpublished", _("Niet-gepubliceerde stukken inzien")
    MANAGE_PLAN = "manage_plan", _("Plan, thema's, doelen en indicatoren beheren")
    RECORD_MEASUREMENTS = "record_measurements", _("Metingen en duiding vastleggen (alle thema's)")
    RECORD_THEME_MEASUREMENTS = (
        "record_theme_measurements",
        _("Metingen en duiding vastleggen (eigen thema's)"),
    )
    MANAGE_ACTIONS = "manage_actions", _("Alle acties beheren")
    UPDATE_OWN_ACTIONS = "update_own_actions", _("Eigen acties bijwerken")
    UPDATE_PARTNER_ACTIONS = (
        "update_partner_actions",
        _("Acties van de eigen partnerorganisatie bijwerken"),
    )
    MANAGE_PROGRAMME = "manage_programme", _("Programma, risico's en begroting beheren")
    MANAGE_MEMBERS = "manage_members", _("Gebruikers en rollen beheren")


# The roles every organisation gets with its first membership (services.role_by_slug); its
# administrators may change them as data.
DEFAULT_ROLES = {
    "administrator": ("Beheerder", [p.value for p in Permission]),
    "programme_manager": (
        "Programmamanager",
        [
            Permission.VIEW_UNPUBLISHED,
            Permission.MANAGE_PLAN,
            Permission.RECORD_MEASUREMENTS,
            Permission.MANAGE_ACTIONS,
            Permission.MANAGE_PROGRAMME,
        ],
    ),
    "safety_adviser": (
        "Adviseur veiligheid",
        [
            Permission.VIEW_UNPUBLISHED,
            Permission.RECORD_THEME_MEASUREMENTS,
            Permission.UPDATE_OWN_ACTIONS,
        ],
    ),
    "action_lead": ("Actiehouder", [Permission.VIEW_UNPUBLISHED, Permission.UPDATE_OWN_ACTIONS]),
    "partner_contact": ("Contactpersoon partner", [Permission.UPDATE_PARTNER_ACTIONS]),
    "council_member": ("Raadslid", []),
}
