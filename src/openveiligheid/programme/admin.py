from django.contrib import admin

from openveiligheid.core.admin import ReadOnlyAdmin
from openveiligheid.programme.models import (
    Assignment,
    BudgetLine,
    Participant,
    Pillar,
    Programme,
    ProgrammeRole,
    Risk,
)

for model in (
    Programme,
    Pillar,
    Assignment,
    ProgrammeRole,
    Participant,
    Risk,
    BudgetLine,
):
    admin.site.register(model, ReadOnlyAdmin)
