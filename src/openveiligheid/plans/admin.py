from django.contrib import admin

from openveiligheid.core.admin import ReadOnlyAdmin
from openveiligheid.plans.models import Goal, Plan, Theme, Topic

for model in (
    Plan,
    Theme,
    Topic,
    Goal,
):
    admin.site.register(model, ReadOnlyAdmin)
