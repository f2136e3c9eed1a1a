from django.contrib import admin

from openveiligheid.organisations.models import Membership, Organisation, Role, Unit


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "cbs_code", "partner_type")
    list_filter = ("kind", "partner_type")
    search_fields = ("name", "cbs_code", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "organisation")
    search_fields = ("name", "abbreviation")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "permissions")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "unit")
    list_filter = ("role", "organisation")
    search_fields = ("user__username", "user__last_name", "organisation__name")
    autocomplete_fields = ("organisation",)
