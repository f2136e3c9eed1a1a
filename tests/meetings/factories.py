import datetime

import factory

from openveiligheid.meetings.models import AgendaItem, Meeting, MeetingSeries
from tests.organisations.factories import OrganisationFactory


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries

    organisation = factory.SubFactory(OrganisationFactory)
    kind = MeetingSeries.Kind.DRIEHOEK
    name = factory.Sequence(lambda n: f"Driehoek {n}")
    year = 2023


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    series = factory.SubFactory(MeetingSeriesFactory)
    date = datetime.date(2023, 3, 9)
    document_deadline = datetime.date(2023, 2, 23)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n)
