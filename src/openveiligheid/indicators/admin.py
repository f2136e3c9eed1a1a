from django.contrib import admin

from openveiligheid.core.admin import ReadOnlyAdmin
from openveiligheid.indicators.models import Indicator, Interpretation, Measurement, Source, Target

for model in (
    Source,
    Indicator,
    Target,
    Measurement,
    Interpretation,
):
    admin.site.register(model, ReadOnlyAdmin)
