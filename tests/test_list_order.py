"""Lists ordered ceremony by ceremony read the ceremony's date from the deal's own row
(Deal.ceremony_date), so that an index gives them in order: the copy must follow the
ceremony wherever it is changed."""

import datetime

from deals.filters import CEREMONY_ORDER
from deals.models import Deal
from tests.factories import CeremonyFactory, DealFactory

NOV_9 = datetime.date(2017, 11, 9)


def test_a_deal_keeps_its_ceremonys_date(db):
    ceremony = CeremonyFactory(date=NOV_9)
    deal = DealFactory(ceremony=ceremony)
    unattached = DealFactory(ceremony=None)

    assert Deal.objects.get(pk=deal.pk).ceremony_date == NOV_9
    assert Deal.objects.get(pk=unattached.pk).ceremony_date is None


def test_moving_a_ceremony_moves_its_deals_dates(db):
    ceremony = CeremonyFactory(date=NOV_9)
    deals = DealFactory.create_batch(3, ceremony=ceremony)

    ceremony.date = datetime.date(2017, 11, 10)
    ceremony.save()

    assert {d.ceremony_date for d in Deal.objects.filter(pk__in=[d.pk for d in deals])} == {
        datetime.date(2017, 11, 10)
    }


def test_moving_a_deal_to_another_ceremony_or_to_none(db):
    deal = DealFactory(ceremony=CeremonyFactory(date=NOV_9), signed_on=None)

    deal.ceremony = CeremonyFactory(date=datetime.date(2018, 4, 1))
    deal.save(update_fields=["ceremony"])
    assert Deal.objects.get(pk=deal.pk).ceremony_date == datetime.date(2018, 4, 1)

    deal.ceremony = None
    deal.save()
    assert Deal.objects.get(pk=deal.pk).ceremony_date is None


def test_ceremony_order_is_newest_ceremony_first_and_deals_without_one_last(db):
    old = CeremonyFactory(date=datetime.date(2015, 1, 1))
    new = CeremonyFactory(date=NOV_9)
    same_day = CeremonyFactory(date=NOV_9)
    loose = DealFactory(ceremony=None, signed_on=datetime.date(2020, 1, 1))
    a = DealFactory(ceremony=old, signed_on=datetime.date(2015, 1, 1))
    b = DealFactory(ceremony=same_day, signed_on=NOV_9)
    c = DealFactory(ceremony=new, signed_on=datetime.date(2017, 11, 8))
    d = DealFactory(ceremony=new, signed_on=NOV_9)

    order = list(Deal.objects.sorted_by(*CEREMONY_ORDER))

    # The newer ceremony first; of one day's ceremonies, the one entered first; within
    # a ceremony, the latest signing first; deals at no ceremony after all the others.
    assert order == [d, c, b, a, loose]


def test_the_browse_page_lists_by_ceremony_from_the_index_order(client, db):
    new = CeremonyFactory(name="Great Hall", date=NOV_9)
    old = CeremonyFactory(name="Elysee", date=datetime.date(2015, 1, 1))
    DealFactory(title="Old deal", ceremony=old)
    DealFactory(title="New deal", ceremony=new)

    page = client.get("/deals/").content.decode()

    assert page.index("New deal") < page.index("Old deal")
