import factory

from openveiligheid.signals.models import Category, Report
from openveiligheid.signals.services import new_reference
from tests.organisations.factories import OrganisationFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("organisation", "slug")

    organisation = factory.SubFactory(OrganisationFactory)
    slug = "overlast"
    name = "Overlast"


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    organisation = factory.SubFactory(OrganisationFactory)
    category = factory.LazyAttribute(
        lambda report: CategoryFactory(organisation=report.organisation)
    )
    reference = factory.LazyFunction(new_reference)
    location_description = "Bij het winkelcentrum"
    description = "Er wordt 's avonds gedeald bij de ingang van het winkelcentrum."


def contact_token(name="Jan Jansen", email="jan@example.nl", phone="") -> str:
    """The encrypted contact details a resident left with a report."""
    from openveiligheid.privacy.identities import IdentityData, encrypt

    return encrypt(IdentityData(name=name, email=email, phone=phone))
