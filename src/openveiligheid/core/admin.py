from django.contrib import admin

from openveiligheid.core.models import ChangeLogEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Domain data is written through services (with the change log), so admin only shows it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(ReadOnlyAdmin):
    list_display = ("timestamp", "actor", "operation", "content_type", "object_repr")
    list_filter = ("operation", "content_type")
    search_fields = ("object_repr", "actor__username")
