"""Organisations, units, roles and memberships: the security-relevant data, under /beheer/ for
superusers (organisations manage their own users and roles in the product: organisations.views).
Every save and delete leaves a change log entry (core.admin.ChangeLoggedAdmin), also
for what a delete takes with it."""

from django.contrib import admin

from openveiligheid.core.admin import ChangeLoggedAdmin
from openveiligheid.core.changelog import record_changes_bulk, snapshot
from openveiligheid.core.models import ChangeLogEntry
from openveiligheid.organisations.models import Membership, Organisation, Role, Unit


def log_cascade(request, queryset) -> None:
    """Change log entries for rows a delete removes along with the object (cascades)."""
    rows = list(queryset)
    if rows:
        record_changes_bulk(
            rows,
            request.user,
            ChangeLogEntry.Operation.DELETE,
            befores=[snapshot(row) for row in rows],
        )


@admin.register(Organisation)
class OrganisationAdmin(ChangeLoggedAdmin):
    list_display = ("name", "kind", "cbs_code", "partner_type")
    list_filter = ("kind", "partner_type")
    search_fields = ("name", "cbs_code", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members",)
    # The logo is checked and redrawn by services.change_house_style (the organisation's
    # "Huisstijl" page); a file stored from here would skip that.
    exclude = ("logo",)
    readonly_fields = ("logo_sha256",)

    def log_cascaded_deletions(self, request, objects):
        log_cascade(request, Membership.objects.filter(organisation__in=objects))
        log_cascade(request, Role.objects.filter(organisation__in=objects))
        log_cascade(request, Unit.objects.filter(organisation__in=objects))


@admin.register(Unit)
class UnitAdmin(ChangeLoggedAdmin):
    list_display = ("name", "abbreviation", "organisation")
    search_fields = ("name", "abbreviation")


@admin.register(Role)
class RoleAdmin(ChangeLoggedAdmin):
    list_display = ("name", "organisation", "slug", "permissions")
    list_filter = ("organisation",)


@admin.register(Membership)
class MembershipAdmin(ChangeLoggedAdmin):
    list_display = ("user", "organisation", "role", "unit")
    list_filter = ("role", "organisation")
    search_fields = ("user__username", "user__last_name", "organisation__name")
    autocomplete_fields = ("organisation",)
