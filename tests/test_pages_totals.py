"""Figures on the pages, computed by hand: umbrellas, undisclosed values, yuan.

A ceremony announced as "about US$9 billion, 19 deals" itemises four deals:

    JD.com's purchase pledge     more than US$2 billion         (umbrella)
    its beef and pork contracts  US$1.2 billion, exact          (component: counted in the pledge)
    Bell helicopters             undisclosed
    an aircraft leasing deal     RMB 5 billion, exact           × 0.1512 = US$756,000,000

Itemised value, as stated: 2,000,000,000 + 756,000,000 = 2,756,000,000. The converted
amount is "about" in US dollars, so it cannot join the pledge's lower bound ("more than"
would promise what an estimate cannot): it is kept apart, and rounded to three
significant figures: "more than US$2 billion plus about US$756 million".
"""

import datetime
from decimal import Decimal

import pytest

from deals.models import Ceremony, Deal, Qualifier, Sector
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    ExchangeRateFactory,
    OccasionFactory,
    PartyFactory,
    VenueFactory,
)
from tests.html_pages import read

BILLION = Decimal(10) ** 9
SIGNED = datetime.date(2017, 11, 8)
RECONCILIATION = (
    "19 deals announced, 4 itemised here; more than US$2 billion plus about US$756 million "
    "of about US$9 billion accounted for"
)


@pytest.fixture
def signings(db):
    ExchangeRateFactory(currency="CNY", date=SIGNED, rate_to_usd=Decimal("0.1512"))
    occasion = OccasionFactory(name="State visit to China", slug="state-visit")
    venue = VenueFactory(name="Great Hall", slug="great-hall")
    ceremony = CeremonyFactory(
        name="Signing ceremony",
        slug="signing",
        date=SIGNED,
        venue=venue,
        occasion=occasion,
        announced_value_amount=9 * BILLION,
        announced_value_currency="USD",
        announced_value_qualifier=Qualifier.ABOUT,
        announced_deal_count=19,
    )
    food, aircraft = Sector.objects.get(code="10"), Sector.objects.get(code="30")
    jd = PartyFactory(name="JD.com", slug="jd", country="CN")
    ranch = PartyFactory(name="Prairie Beef", slug="prairie-beef", country="US")
    lessor = PartyFactory(name="Sky Leasing", slug="sky-leasing", country="CN")
    common = {"ceremony": ceremony, "signed_on": SIGNED}

    pledge = DealFactory(
        title="JD.com purchase pledge",
        slug="pledge",
        sector=food,
        value_amount=2 * BILLION,
        value_qualifier=Qualifier.MORE_THAN,
        **common,
    )
    beef = DealFactory(
        title="Beef and pork contracts",
        slug="beef",
        sector=food,
        umbrella=pledge,
        value_amount=Decimal("1.2") * BILLION,
        **common,
    )
    DealFactory(
        title="Bell helicopters",
        slug="helicopters",
        sector=aircraft,
        value_amount=None,
        value_qualifier=Qualifier.UNDISCLOSED,
        **common,
    )
    leasing = DealFactory(
        title="Aircraft leasing",
        slug="leasing",
        sector=aircraft,
        value_amount=5 * BILLION,
        value_currency="CNY",
        **common,
    )
    DealPartyFactory(deal=pledge, party=jd, role="buyer")
    DealPartyFactory(deal=beef, party=jd, role="buyer")
    DealPartyFactory(deal=beef, party=ranch, role="seller")
    DealPartyFactory(deal=leasing, party=lessor, role="seller")
    return ceremony


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return read(response).main_text


def test_the_yuan_deal_is_converted_at_the_rate_of_its_signing_date(signings, client):
    leasing = Deal.objects.get(slug="leasing")

    assert leasing.value_amount_usd == Decimal("756000000.00")
    assert "Value RMB 5 billion (about US$756 million)" in text_of(client, "/deals/leasing/")


def test_the_ceremony_page_reconciles_by_hand_computed_figures(signings, client):
    text = text_of(client, "/ceremonies/signing/")

    assert f"{RECONCILIATION}." in text
    assert "Itemised here 4 deals" in text
    assert "Itemised value more than US$2 billion plus about US$756 million" in text
    assert "Value undisclosed 1 deal" in text
    assert "15 of the 19 deals announced are not itemised here yet." in text
    assert "The itemised value is a lower bound" in text
    assert "Estimates, and amounts converted to US dollars, are shown apart" in text


def test_the_ceremony_reconciliation_holds_the_exact_sum(signings):
    reconciliation = Ceremony.objects.get(slug="signing").reconciliation()

    assert reconciliation.totals.count == 4
    assert reconciliation.totals.disclosed_count == 3
    assert reconciliation.totals.undisclosed_count == 1
    assert reconciliation.totals.as_stated_usd == Decimal("2756000000.00")
    assert reconciliation.totals.figures == (
        (Qualifier.MORE_THAN, 2 * BILLION),
        (Qualifier.ABOUT, Decimal("756000000.00")),
    )
    assert reconciliation.totals.qualifier == Qualifier.MORE_THAN
    assert reconciliation.not_itemised_count == 15
    assert reconciliation.display == RECONCILIATION


def test_lists_of_ceremonies_show_the_same_figures(signings, client):
    assert "4 deals, more than US$2 billion plus about US$756 million" in text_of(
        client, "/ceremonies/"
    )
    assert f"{RECONCILIATION}." in text_of(client, "/")
    assert f"{RECONCILIATION}." in text_of(client, "/occasions/state-visit/")
    assert f"{RECONCILIATION}." in text_of(client, "/venues/great-hall/")


@pytest.mark.parametrize(
    ("url", "count", "value", "undisclosed"),
    [
        ("/", 4, "more than US$2 billion plus about US$756 million", 1),
        ("/occasions/state-visit/", 4, "more than US$2 billion plus about US$756 million", 1),
        ("/venues/great-hall/", 4, "more than US$2 billion plus about US$756 million", 1),
        ("/sectors/manufacturing/", 4, "more than US$2 billion plus about US$756 million", 1),
        # The pledge holds the beef and pork contracts: US$1.2 billion is not added again.
        ("/sectors/manufacture-of-food-products/", 2, "more than US$2 billion", 0),
        ("/parties/jd/", 2, "more than US$2 billion", 0),
        # Without its umbrella in the set, the component counts in full.
        ("/parties/prairie-beef/", 1, "US$1.2 billion", 0),
        ("/sectors/manufacture-of-other-transport-equipment/", 2, "about US$756 million", 1),
        ("/parties/sky-leasing/", 1, "about US$756 million", 0),
    ],
)
def test_each_page_totals_its_deals_by_hand_computed_figures(
    signings, client, url, count, value, undisclosed
):
    text = text_of(client, url)

    assert f"Published deals {count}" in text
    assert f"Disclosed value {value}" in text
    assert f"Value undisclosed {undisclosed} deal" in text


def test_the_browse_page_totals_the_selection(signings, client):
    text = text_of(client, "/deals/?sector=manufacture-of-food-products")

    assert "2 deals" in text
    assert "Disclosed value of these deals: more than US$2 billion." in text


def test_the_component_page_says_its_money_is_counted_in_the_umbrella(signings, client):
    text = text_of(client, "/deals/beef/")

    assert (
        "Part of JD.com purchase pledge (more than US$2 billion); its money is counted there"
        in (text)
    )


def test_a_value_without_an_exchange_rate_is_left_out_and_said_so(signings, client):
    DealFactory(
        title="Euro deal",
        ceremony=signings,
        value_amount=3 * BILLION,
        value_currency="EUR",
        sector=Sector.objects.get(code="10"),
    )

    text = text_of(client, "/ceremonies/signing/")

    assert (
        "19 deals announced, 5 itemised here; more than US$2 billion plus about US$756 million"
        in text
    )
    assert "1 deal is in a currency without an exchange rate for its date" in text


def test_ceremonies_fetched_with_reconciliation_agree_with_each_ceremony_computed_alone(
    signings,
):
    """One grouped query gives the same totals as the queries of each ceremony alone."""
    other = CeremonyFactory(slug="other", date=datetime.date(2017, 11, 9))
    empty = CeremonyFactory(slug="empty")
    pledge = Deal.objects.get(slug="pledge")
    # A component whose umbrella is at another ceremony counts at its own.
    DealFactory(ceremony=other, umbrella=pledge, value_amount=BILLION)
    DealFactory(ceremony=other, value_amount=BILLION, value_qualifier=Qualifier.UP_TO)
    # A component of a draft umbrella counts; so does one of an undisclosed umbrella.
    draft = DealFactory(ceremony=other, is_published=False, value_amount=BILLION)
    DealFactory(ceremony=other, umbrella=draft, value_amount=BILLION)
    secret = DealFactory(ceremony=other, value_amount=None, value_qualifier=Qualifier.UNDISCLOSED)
    DealFactory(ceremony=other, umbrella=secret, value_amount=BILLION)
    DealFactory(ceremony=other, value_amount=BILLION, value_currency="EUR")  # no rate

    fetched = {c.slug: c for c in Ceremony.objects.with_reconciliation()}

    for slug in ("signing", "other", "empty"):
        alone = Ceremony.objects.get(slug=slug)
        assert fetched[slug].itemised_totals() == alone.deals.published().totals(), slug
        assert fetched[slug].reconciliation() == alone.reconciliation(), slug
    assert fetched["other"].itemised_totals().as_stated_usd == 4 * BILLION
    assert fetched["empty"].itemised_totals().count == 0
    assert (
        empty.reconciliation().display == "0 deals itemised here; no itemised value disclosed yet"
    )
