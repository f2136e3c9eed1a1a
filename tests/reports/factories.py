import factory

from openveiligheid.reports.models import Report, ReportStatus, ThemeInterpretation
from tests.plans.factories import PlanFactory, ThemeFactory


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    plan = factory.SubFactory(PlanFactory)
    report_type = Report._meta.get_field("report_type").choices[0][0]
    period_type = "half_year"
    period_start = "2024-01-01"
    status = ReportStatus.DRAFT


class ThemeInterpretationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeInterpretation

    report = factory.SubFactory(ReportFactory)
    theme = factory.SubFactory(ThemeFactory, plan=factory.SelfAttribute("..report.plan"))
    text = "De cijfers dalen door de inzet van de wijkagenten."
