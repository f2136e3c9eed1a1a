from django.contrib import admin

from openveiligheid.core.admin import ReadOnlyAdmin
from openveiligheid.meetings.models import AgendaItem, Meeting, MeetingSeries, ReminderLog


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "organisation", "year")
    list_filter = ("kind", "year")
    search_fields = ("name", "organisation__name")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("series", "date", "document_deadline", "location")
    list_filter = ("series__kind", "series__year")
    date_hierarchy = "date"


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "meeting", "lead_organisation", "lead_text", "reported")
    list_filter = ("reported",)
    list_select_related = ("meeting__series", "action", "lead_organisation")


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "recipient", "kind", "action", "meeting")
    list_filter = ("kind",)
    search_fields = ("recipient",)
