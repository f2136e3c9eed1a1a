import factory
from django.contrib.auth import get_user_model

from openveiligheid.organisations.models import Membership, Organisation, Unit
from openveiligheid.organisations.services import role_by_slug


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    kind = Organisation.Kind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.Sequence(lambda n: f"gemeente-{n}")
    # Six characters like a real code (GM0200), but never one: factories make thousands per run.
    cbs_code = factory.Sequence(lambda n: f"GX{n % 10000:04d}")


class PartnerFactory(OrganisationFactory):
    kind = Organisation.Kind.PARTNER
    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    cbs_code = None
    partner_type = Organisation.PartnerType.POLICE


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")
    abbreviation = factory.Sequence(lambda n: f"A{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("geheim-wachtwoord-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.LazyAttribute(
        lambda membership: role_by_slug(membership.organisation, "programme_manager")
    )
