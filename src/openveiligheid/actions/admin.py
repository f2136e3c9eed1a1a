from django.contrib import admin

from openveiligheid.actions.models import Action, ActionPlan, ActionStatusChange, ProgressUpdate
from openveiligheid.core.admin import ReadOnlyAdmin

for model in (
    ActionPlan,
    Action,
    ActionStatusChange,
    ProgressUpdate,
):
    admin.site.register(model, ReadOnlyAdmin)
