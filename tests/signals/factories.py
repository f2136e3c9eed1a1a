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


def signal_reader(organisation, username="lezer"):
    """A user who reads the organisation's reports but does not triage them (VIEW_SIGNALS
    alone, in a role of its own)."""
    from openveiligheid.organisations.models import Role
    from openveiligheid.organisations.services import grant_membership
    from tests.organisations.factories import UserFactory

    role = Role.objects.create(
        organisation=organisation, slug="lezer", name="Lezer", permissions=["view_signals"]
    )
    user = UserFactory(username=username)
    grant_membership(user=user, organisation=organisation, role_slug=role.slug)
    return user


# The first bytes of a PNG: enough for the meldpunt's check of what a file is.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def report_with_photo(organisation, *, file_name="auto.png", content_type="image/png") -> Report:
    """A report filed through the meldpunt's service, with contact details and one photo (whose
    name and claimed type the resident's browser chose)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from openveiligheid.signals import services

    return services.submit_report(
        organisation=organisation,
        data=services.ReportInput(
            category=CategoryFactory(organisation=organisation),
            description="Foto van de auto bij de loods.",
            location_description="Bij de loods",
            contact_email="melder@example.nl",
        ),
        attachments=[SimpleUploadedFile(file_name, PNG, content_type=content_type)],
    )
