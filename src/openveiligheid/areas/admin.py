from django.contrib import admin

from openveiligheid.areas.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "population")
    list_filter = ("level",)
    search_fields = ("code", "name")
