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
    VIEW_AUDIT = "view_audit", _("Audittrail inzien")
    VIEW_IDENTITIES = "view_identities", _("Identiteitsgegevens inzien")
    # In a municipality: its meldpunt's reports; in a partner organisation: the reports a
    # municipality forwarded to it (signals.models.ReportQuerySet).
    VIEW_SIGNALS = "view_signals", _("Meldingen inzien")
    TRIAGE_SIGNALS = "triage_signals", _("Meldingen behandelen")


# Whoever holds one of these must sign in with a second factor (privacy.two_factor): they see
# person-level data, its trail, or can hand out access to it.
TWO_FACTOR_PERMISSIONS = (
    Permission.VIEW_AUDIT,
    Permission.VIEW_IDENTITIES,
    Permission.MANAGE_MEMBERS,
    Permission.VIEW_SIGNALS,
    Permission.TRIAGE_SIGNALS,
)


# The roles every organisation gets with its first membership (services.role_by_slug); its
# administrators may change them as data.
DEFAULT_ROLES = {
    # Need-to-know: administrators manage the product and its accounts, they do not read the
    # identities behind pseudonyms, nor residents' reports.
    "administrator": (
        "Beheerder",
        [
            p.value
            for p in Permission
            if p
            not in (Permission.VIEW_IDENTITIES, Permission.VIEW_SIGNALS, Permission.TRIAGE_SIGNALS)
        ],
    ),
    "programme_manager": (
        "Programmamanager",
        [
            Permission.VIEW_UNPUBLISHED,
            Permission.MANAGE_PLAN,
            Permission.RECORD_MEASUREMENTS,
            Permission.MANAGE_ACTIONS,
            Permission.MANAGE_PROGRAMME,
            Permission.VIEW_SIGNALS,
            Permission.TRIAGE_SIGNALS,
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
    "privacy_officer": (
        "Privacyfunctionaris",
        [Permission.VIEW_AUDIT, Permission.VIEW_IDENTITIES],
    ),
}
