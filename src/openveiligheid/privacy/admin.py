from django.contrib import admin

from openveiligheid.privacy.models import AccessReview, AuditEntry, DeletionRecord


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is written by privacy.services.record only."""

    list_display = ("sequence", "at", "actor_name", "action", "object_repr", "result")
    list_filter = ("action", "result")
    search_fields = ("actor_name", "object_type", "object_id", "object_repr")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessReview)
class AccessReviewAdmin(AuditEntryAdmin):
    list_display = ("organisation", "year", "signed_by", "signed_at")
    list_filter = ("year",)
    search_fields = ("organisation__name", "note")


@admin.register(DeletionRecord)
class DeletionRecordAdmin(AuditEntryAdmin):
    """Read-only: written by the purge and by erasures only."""

    list_display = ("deleted_at", "object_type", "reference", "reason", "period_months")
    list_filter = ("reason", "object_type")
    search_fields = ("reference",)
