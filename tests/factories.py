"""Factories for the domain: a valid object of each model with the fewest choices."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from deals import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")
    is_staff = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.set(Group.objects.filter(name__in=names))


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    url = factory.Sequence(lambda n: f"https://news.example.org/story-{n}")
    publisher = "Reuters"
    title = factory.Sequence(lambda n: f"Report {n}")
    published_on = datetime.date(2017, 11, 8)


class OccasionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Occasion

    name = factory.Sequence(lambda n: f"State visit {n}")
    slug = factory.Sequence(lambda n: f"state-visit-{n}")
    start_date = datetime.date(2017, 11, 8)
    end_date = datetime.date(2017, 11, 10)
    host_country = "CN"


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Venue

    name = factory.Sequence(lambda n: f"Hall {n}")
    slug = factory.Sequence(lambda n: f"hall-{n}")
    city = "Beijing"
    country = "CN"


class CeremonyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Ceremony

    name = factory.Sequence(lambda n: f"Signing ceremony {n}")
    slug = factory.Sequence(lambda n: f"signing-ceremony-{n}")
    date = datetime.date(2017, 11, 8)
    venue = factory.SubFactory(VenueFactory)
    occasion = factory.SubFactory(OccasionFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Party

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    country = "US"


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Sector

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


def ceremony_signing(ceremony, signed_on):
    kind = models.Deal.CeremonySigning
    if ceremony is None or signed_on is None or signed_on == ceremony.date:
        return kind.AT_CEREMONY
    return kind.LATER if signed_on > ceremony.date else kind.EARLIER


class DealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Deal

    title = factory.Sequence(lambda n: f"Deal {n}")
    slug = factory.Sequence(lambda n: f"deal-{n}")
    sector = factory.SubFactory(SectorFactory)
    ceremony = factory.SubFactory(CeremonyFactory)
    signed_on = factory.LazyAttribute(lambda d: d.ceremony.date if d.ceremony else None)
    # Says what a signing date other than the ceremony's is, as editors must.
    ceremony_signing = factory.LazyAttribute(lambda d: ceremony_signing(d.ceremony, d.signed_on))
    value_amount = Decimal("1000000")
    value_currency = "USD"
    value_qualifier = models.Qualifier.EXACT
    is_published = True


class DealPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DealParty

    deal = factory.SubFactory(DealFactory)
    party = factory.SubFactory(PartyFactory)
    role = models.DealParty.Role.BUYER


class DealSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DealSource

    deal = factory.SubFactory(DealFactory)
    source = factory.SubFactory(SourceFactory)


class PublishableDealFactory(DealFactory):
    """A deal with what publication needs (Deal.PUBLICATION_NEEDS): a party and a source."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def party(self, create, party, **kwargs):
        if create:
            DealPartyFactory(deal=self, **({"party": party} if party else {}))

    @factory.post_generation
    def source(self, create, source, **kwargs):
        if create:
            DealSourceFactory(deal=self, **({"source": source} if source else {}))


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ExchangeRate

    currency = "CNY"
    date = datetime.date(2017, 11, 8)
    rate_to_usd = Decimal("0.1512")
    source = models.ExchangeRate.Source.ECB
