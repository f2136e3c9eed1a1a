from django.contrib import admin

from openveiligheid.areas.models import Area
from openveiligheid.core.admin import ChangeLoggedAdmin


@admin.register(Area)
class AreaAdmin(ChangeLoggedAdmin):
    list_display = ("code", "name", "level", "province", "population", "valid_from", "valid_until")
    list_filter = ("level", "province")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)  # a select of 18.000 areas would make the form unusable
