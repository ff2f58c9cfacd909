"""Every public page costs the same number of queries for 5 deals as for 50.

Each deal has two parties, two sources and two dated status updates; the ceremonies,
the deals' links (umbrella, components, follow-ons) and the measured deal's own
sources and updates grow with them. A page whose query count grew with its rows
would hide an N+1 that only shows in production.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.models import Deal, DealSource, Qualifier, Sector, StatusUpdate
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    ExchangeRateFactory,
    OccasionFactory,
    PartyFactory,
    PersonFactory,
    SourceFactory,
    VenueFactory,
)

SIGNED = datetime.date(2017, 11, 8)
FILTERED = (
    "/deals/?sector=manufacturing&party=anchor&country=US&ceremony=ceremony-0&occasion=visit"
    "&year=2017&status=signed&instrument=contract&min_value_usd=0&max_value_usd=1000000000000"
    "&signed_after=2017-01-01&signed_before=2017-12-31&ordering=-value"
)
# (page, the most queries it may cost): what each page costs today, charts included.
# A paged list reads its page's ids first, then its rows by id (deals/pagination.py):
# one query more than a plain OFFSET, so that page 500 costs what page 1 does. Pages
# with kept figures (deals/models/figures.py) check for marked deals once: +1. Every page
# but a deal's own reads when the record last changed, for its footer ("Last updated",
# deals/templatetags/trust.py): +1.
PAGES = [
    ("/", 14),  # with the newest occasions reconciled (3) and deals by country (1)
    ("/ceremonies/", 6),
    ("/ceremonies/ceremony-0/", 11),
    ("/deals/", 14),
    (FILTERED, 18),
    ("/deals/?q=Deal", 14),
    ("/deals/?q=Anchor&ordering=title&page=1", 14),
    ("/deals/deal-0/", 8),
    ("/parties/anchor/", 10),
    ("/sectors/manufacturing/", 10),
    ("/sectors/manufacture-of-food-products/", 10),
    ("/venues/hall/", 11),
    ("/occasions/visit/", 12),
]


class World:
    """The occasion, venue and parties deals are added to, and how many there are."""

    def __init__(self):
        ExchangeRateFactory(currency="CNY", date=SIGNED, rate_to_usd=Decimal("0.1512"))
        self.occasion = OccasionFactory(slug="visit")
        self.venue = VenueFactory(slug="hall")
        self.anchor = PartyFactory(name="Anchor", slug="anchor", country="CN")
        self.sectors = list(Sector.objects.filter(code__in=["10", "26", "30"]))
        self.ceremonies = []
        self.first = None
        self.count = 0

    def add_deals(self, count):
        for _ in range(count):
            self.add_deal(self.count)
            self.count += 1

    def add_ceremony(self):
        number = len(self.ceremonies)
        ceremony = CeremonyFactory(
            slug=f"ceremony-{number}",
            date=SIGNED + datetime.timedelta(days=number),
            venue=self.venue,
            occasion=self.occasion,
            announced_value_amount=Decimal(9) * 10**9,
            announced_value_qualifier=Qualifier.ABOUT,
            announced_deal_count=19,
        )
        ceremony.dignitaries.create(person=PersonFactory(), title="Minister", role="host")
        ceremony.citations.create(source=SourceFactory(), quote="Deals were signed.")
        self.ceremonies.append(ceremony)

    def add_deal(self, number):
        # A new ceremony every five deals; half of all deals are at the first one.
        if number % 5 == 0:
            self.add_ceremony()
        ceremony = self.ceremonies[0] if number % 2 == 0 else self.ceremonies[-1]
        value = [
            {"value_amount": Decimal(number + 1) * 10**6},
            {"value_amount": Decimal(5) * 10**9, "value_currency": "CNY"},
            {"value_amount": None, "value_qualifier": Qualifier.UNDISCLOSED},
        ][number % 3]
        links = {}
        if self.first is not None and number % 5 == 4:
            links["umbrella"] = self.first
        if self.first is not None and number % 7 == 6:
            links["follows"] = self.first
        deal = DealFactory(
            title=f"Deal {number}",
            slug=f"deal-{number}",
            summary=f"Summary of deal {number}.",
            sector=self.sectors[number % len(self.sectors)],
            ceremony=ceremony,
            signed_on=SIGNED,
            instrument=Deal.Instrument.CONTRACT,
            **value,
            **links,
        )
        DealPartyFactory(deal=deal, party=self.anchor, role="buyer")
        DealPartyFactory(deal=deal, party__country="US", role="seller")
        for _ in range(2):
            source = SourceFactory()
            DealSource.objects.create(deal=deal, source=source, quote="A quote.")
            StatusUpdate.objects.create(deal=deal, status="signed", date=SIGNED, source=source)
        if self.first is None:
            self.first = deal
        else:
            # The measured deal's own sources and updates grow too.
            source = SourceFactory()
            DealSource.objects.create(deal=self.first, source=source)
            StatusUpdate.objects.create(
                deal=self.first, status="in_progress", date=SIGNED, source=source
            )
        # A draft alongside each deal, which every page must leave out at no cost.
        DealFactory(
            title=f"Draft {number}", slug=f"draft-{number}", ceremony=ceremony, is_published=False
        )


def queries_for(client, url):
    client.get(url)  # anything a first request fills once is not the page's cost
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize(("url", "bound"), PAGES)
def test_a_page_costs_the_same_queries_for_5_and_for_50_deals(
    client, db, django_assert_max_num_queries, url, bound
):
    world = World()
    world.add_deals(5)
    few = queries_for(client, url)

    world.add_deals(45)
    many = queries_for(client, url)

    assert many == few, f"{url}: {few} queries for 5 deals, {many} for 50"
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


def test_the_measured_pages_do_show_the_rows_they_are_measured_with(client, db):
    world = World()
    world.add_deals(50)

    deals = client.get("/deals/").content.decode()
    detail = client.get("/deals/deal-0/").content.decode()

    assert deals.count('href="/deals/deal-') == 50
    assert "Draft" not in deals
    assert detail.count("Includes <a") == 10  # deals 4, 9, ..., 49
    assert detail.count("Led to <a") == 7  # deals 6, 13, ..., 48
    assert detail.count("<li><time") == 2 + 49  # its own updates, one more per later deal
