from django.contrib import admin
from django.db import transaction

from openveiligheid.core.changelog import record_change, record_changes_bulk, snapshot
from openveiligheid.core.models import ChangeLogEntry


class SuperuserAdminSite(admin.AdminSite):
    """Django's admin for superusers only (core.apps.SuperuserAdminConfig); staff status alone
    gives no entry."""

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class ReadOnlyAdmin(admin.ModelAdmin):
    """Domain data is written through services (with the change log), so admin only shows it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChangeLoggedAdmin(admin.ModelAdmin):
    """An admin whose saves and deletes leave change log entries, as a service's writes do.

    The entry of a save is written in save_related, after the many-to-many fields are saved, so
    that it holds them; Django runs the whole change form in one transaction."""

    def save_model(self, request, obj, form, change):
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        # Read before the save, while the database still holds the old values.
        obj._changelog_before = snapshot(stored) if stored is not None else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(obj, "_changelog_before", None)
        operation = ChangeLogEntry.Operation.UPDATE if before else ChangeLogEntry.Operation.CREATE
        record_change(obj, request.user, operation, before)

    def log_cascaded_deletions(self, request, objects) -> None:
        """Hook for what a delete takes with it (cascades) that must be logged as well."""

    def delete_model(self, request, obj):
        with transaction.atomic():
            self.log_cascaded_deletions(request, [obj])
            record_change(obj, request.user, ChangeLogEntry.Operation.DELETE, snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            objects = list(queryset)
            self.log_cascaded_deletions(request, objects)
            record_changes_bulk(
                objects,
                request.user,
                ChangeLogEntry.Operation.DELETE,
                befores=[snapshot(obj) for obj in objects],
            )
            super().delete_queryset(request, queryset)


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("timestamp", "actor", "operation", "content_type", "object_repr")
    list_filter = ("operation", "content_type")
    search_fields = ("object_repr", "actor__username")
