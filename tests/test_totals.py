"""Sums over sets of deals: no money counted twice, honest qualifiers, USD conversion.

Figures are computed by hand from the November 2017 Beijing signings: JD.com's
"more than US$2 billion" purchase pledge holds US$1.2 billion of beef and pork
contracts; RMB amounts are converted at the CNY rate of the signing date.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.models import Ceremony, Deal, ExchangeRate, Qualifier, Sector, sum_figures
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    ExchangeRateFactory,
    PartyFactory,
)

NOV = {day: datetime.date(2017, 11, day) for day in range(1, 31)}
BILLION = Decimal(10) ** 9
MILLION = Decimal(10) ** 6


@pytest.fixture
def cny_rates(db):
    """CNY reference rates around the visit; none on the weekend of 11-12 November."""
    for day, rate in [(6, "0.1506"), (8, "0.1512"), (10, "0.1509"), (13, "0.1520")]:
        ExchangeRateFactory(currency="CNY", date=NOV[day], rate_to_usd=Decimal(rate))


def jd_pledge(**fields):
    """More than US$2 billion of US food over three years."""
    return DealFactory(
        **{
            "title": "JD.com purchase pledge",
            "value_amount": 2 * BILLION,
            "value_qualifier": Qualifier.MORE_THAN,
            **fields,
        }
    )


def beef_and_pork(umbrella, **fields):
    """US$1.2 billion of the pledge, as contracts of its own."""
    return DealFactory(
        **{
            "title": "Beef and pork contracts",
            "umbrella": umbrella,
            "value_amount": Decimal("1.2") * BILLION,
            "value_qualifier": Qualifier.EXACT,
            **fields,
        }
    )


def undisclosed(**fields):
    return DealFactory(value_amount=None, value_qualifier=Qualifier.UNDISCLOSED, **fields)


# --- umbrellas and components ------------------------------------------------------------


def test_an_umbrella_and_its_component_are_counted_but_summed_once(db):
    pledge = jd_pledge()
    beef_and_pork(pledge)

    totals = Deal.objects.published().totals()

    assert totals.count == 2
    assert totals.disclosed_count == 2
    assert totals.undisclosed_count == 0
    assert totals.amount_usd == 2 * BILLION
    assert totals.qualifier == Qualifier.MORE_THAN
    assert totals.display == "more than US$2 billion"


def test_a_component_without_its_umbrella_in_the_set_counts_in_full(db):
    pledge = jd_pledge()
    beef_and_pork(pledge)

    totals = Deal.objects.published().exclude(pk=pledge.pk).totals()

    assert totals.count == 1
    assert totals.amount_usd == Decimal("1.2") * BILLION
    assert totals.qualifier == Qualifier.EXACT


def test_a_component_of_an_undisclosed_umbrella_counts(db):
    pledge = undisclosed(title="Undisclosed purchase pledge")
    beef_and_pork(pledge)

    totals = Deal.objects.published().totals()

    assert totals.count == 2
    assert totals.disclosed_count == 1
    assert totals.undisclosed_count == 1
    assert totals.amount_usd == Decimal("1.2") * BILLION
    assert totals.qualifier == Qualifier.EXACT


def test_a_component_of_an_unconverted_umbrella_counts(db):
    pledge = DealFactory(value_currency="EUR", value_amount=3 * BILLION)  # no EUR rate
    beef_and_pork(pledge)

    totals = Deal.objects.published().totals()

    assert totals.unconverted_count == 1
    assert totals.amount_usd == Decimal("1.2") * BILLION


def test_a_component_of_a_draft_umbrella_counts(db):
    pledge = jd_pledge(is_published=False)
    beef_and_pork(pledge)

    totals = Deal.objects.published().totals()

    assert totals.count == 1
    assert totals.amount_usd == Decimal("1.2") * BILLION


# --- undisclosed, drafts ---------------------------------------------------------------------


def test_undisclosed_deals_are_counted_but_add_nothing(db):
    DealFactory(value_amount=1 * MILLION)
    DealFactory(value_amount=Decimal("2.5") * MILLION)
    undisclosed()

    totals = Deal.objects.published().totals()

    assert (totals.count, totals.disclosed_count, totals.undisclosed_count) == (3, 2, 1)
    assert totals.unconverted_count == 0
    assert totals.amount_usd == Decimal("3.5") * MILLION


def test_a_set_of_undisclosed_deals_has_no_sum(db):
    undisclosed()

    totals = Deal.objects.published().totals()

    assert totals.count == 1
    assert totals.amount_usd is None
    assert totals.display == "undisclosed"


def test_drafts_are_left_out_of_published_totals(db):
    DealFactory(value_amount=1 * MILLION)
    DealFactory(value_amount=5 * BILLION, is_published=False)
    undisclosed(is_published=False)

    totals = Deal.objects.published().totals()

    assert (totals.count, totals.undisclosed_count) == (1, 0)
    assert totals.amount_usd == 1 * MILLION


def test_an_empty_set_totals_to_nothing(db):
    totals = Deal.objects.published().totals()

    assert (totals.count, totals.disclosed_count, totals.amount_usd) == (0, 0, None)


# --- conversion to USD -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signed_on", "rate"),
    [
        (NOV[8], "0.1512"),  # a rate on the day itself
        (NOV[7], "0.1506"),  # the last rate before
        (NOV[11], "0.1509"),  # Saturday: Friday's rate, not Monday's
        (NOV[12], "0.1509"),  # Sunday
    ],
    ids=["on the day", "the day after a rate", "a Saturday", "a Sunday"],
)
def test_a_value_in_another_currency_is_converted_at_the_rate_of_its_signing_date(
    cny_rates, signed_on, rate
):
    deal = DealFactory(value_currency="CNY", value_amount=5 * BILLION, signed_on=signed_on)

    deal.refresh_from_db()
    assert deal.value_amount_usd == 5 * BILLION * Decimal(rate)


def test_rmb_5_billion_signed_in_beijing_is_about_us_756_million(cny_rates):
    deal = DealFactory(value_currency="CNY", value_amount=5 * BILLION, signed_on=NOV[8])

    deal.refresh_from_db()
    assert deal.value_amount_usd == Decimal("756000000.00")


def test_the_usd_amount_is_rounded_to_the_cent(db):
    ExchangeRateFactory(currency="CNY", date=NOV[8], rate_to_usd=Decimal("0.1512345678"))
    deal = DealFactory(value_currency="CNY", value_amount=Decimal("1000.05"), signed_on=NOV[8])

    deal.refresh_from_db()
    # 1000.05 × 0.1512345678 = 151.2421295...
    assert deal.value_amount_usd == Decimal("151.24")


def test_without_a_rate_on_or_before_the_date_a_value_stays_unconverted(cny_rates):
    ExchangeRateFactory(currency="EUR", date=NOV[1], rate_to_usd=Decimal("1.16"))
    before_any_rate = DealFactory(value_currency="CNY", value_amount=BILLION, signed_on=NOV[1])
    no_rate_at_all = DealFactory(value_currency="JPY", value_amount=BILLION, signed_on=NOV[8])

    before_any_rate.refresh_from_db()
    no_rate_at_all.refresh_from_db()
    assert before_any_rate.value_amount_usd is None
    assert no_rate_at_all.value_amount_usd is None


def test_an_unconverted_value_is_counted_but_left_out_of_the_sum(db):
    DealFactory(value_currency="EUR", value_amount=100 * MILLION)  # no EUR rate
    DealFactory(value_amount=1 * MILLION)

    totals = Deal.objects.published().totals()

    assert (totals.count, totals.disclosed_count, totals.unconverted_count) == (2, 2, 1)
    assert totals.amount_usd == 1 * MILLION
    assert totals.qualifier == Qualifier.EXACT


def test_a_sum_holding_a_converted_value_is_about(cny_rates):
    DealFactory(value_currency="CNY", value_amount=5 * BILLION, signed_on=NOV[8])
    DealFactory(value_amount=2 * BILLION)

    totals = Deal.objects.published().totals()

    assert totals.amount_usd == Decimal("2756000000.00")
    assert totals.qualifier == Qualifier.ABOUT


def test_a_rate_is_looked_up_for_its_own_currency_only(db):
    ExchangeRateFactory(currency="EUR", date=NOV[8], rate_to_usd=Decimal("1.16"))
    ExchangeRateFactory(currency="CNY", date=NOV[6], rate_to_usd=Decimal("0.1506"))

    assert ExchangeRate.objects.rate_on("CNY", NOV[8]) == Decimal("0.1506")
    assert ExchangeRate.objects.rate_on("USD", NOV[8]) == 1
    assert ExchangeRate.objects.rate_on("GBP", NOV[8]) is None


# --- combined qualifiers ---------------------------------------------------------------------

Q = Qualifier  # short, for the tables below


@pytest.mark.parametrize(
    ("qualifiers", "expected"),
    [
        ([], ()),
        ([Q.EXACT, Q.EXACT], ((Q.EXACT, 2),)),
        ([Q.EXACT, Q.MORE_THAN], ((Q.MORE_THAN, 2),)),
        ([Q.EXACT, Q.AT_LEAST], ((Q.AT_LEAST, 2),)),
        ([Q.AT_LEAST, Q.MORE_THAN], ((Q.MORE_THAN, 2),)),
        ([Q.EXACT, Q.UP_TO], ((Q.EXACT, 1), (Q.UP_TO, 1))),
        ([Q.UP_TO, Q.UP_TO], ((Q.UP_TO, 2),)),
        ([Q.EXACT, Q.ABOUT], ((Q.ABOUT, 2),)),
        ([Q.MORE_THAN, Q.ABOUT], ((Q.MORE_THAN, 1), (Q.ABOUT, 1))),
        ([Q.UP_TO, Q.MORE_THAN, Q.EXACT], ((Q.MORE_THAN, 2), (Q.UP_TO, 1))),
        ([Q.UP_TO, Q.AT_LEAST, Q.ABOUT], ((Q.AT_LEAST, 1), (Q.ABOUT, 1), (Q.UP_TO, 1))),
        ([Q.UNDISCLOSED, Q.EXACT], ((Q.EXACT, 1),)),
    ],
    ids=[
        "nothing states nothing",
        "exact and exact are exact",
        "exact and more than are more than",
        "exact and at least are at least",
        "at least and more than are more than",
        "up to is kept apart from an exact figure",
        "up to alone leads",
        "exact and about are about",
        "about is kept apart from a lower bound",
        "up to is never added to a lower bound",
        "a lower bound, then about, then up to",
        "undisclosed adds nothing",
    ],
)
def test_the_figures_of_a_sum_are_honest(qualifiers, expected):
    parts = [(q, None if q == Q.UNDISCLOSED else MILLION) for q in qualifiers]

    figures = sum_figures(parts)

    assert figures == tuple((q, n * MILLION) for q, n in expected)


@pytest.mark.parametrize(
    ("qualifiers", "expected"),
    [
        ([Q.EXACT, Q.EXACT], ((Q.EXACT, 2),)),
        ([Q.EXACT, Q.MORE_THAN], ((Q.MORE_THAN, 2),)),
        ([Q.EXACT, Q.ABOUT], ((Q.ABOUT, 2),)),
        ([Q.UP_TO, Q.MORE_THAN], ((Q.MORE_THAN, 1), (Q.UP_TO, 1))),
    ],
    ids=["exact", "more than", "about", "up to and more than"],
)
def test_totals_carry_the_figures_of_the_summed_deals(db, qualifiers, expected):
    for qualifier in qualifiers:
        DealFactory(value_amount=1 * MILLION, value_qualifier=qualifier)
    undisclosed()  # an undisclosed deal adds no figure of its own

    totals = Deal.objects.published().totals()

    assert totals.figures == tuple((q, n * MILLION) for q, n in expected)
    assert (totals.qualifier, totals.amount_usd) == totals.figures[0]
    assert totals.as_stated_usd == 2 * MILLION


def test_a_converted_lower_bound_stays_a_lower_bound_beside_a_converted_exact_value(
    cny_rates,
):
    DealFactory(
        value_currency="CNY",
        value_amount=5 * BILLION,
        value_qualifier=Qualifier.MORE_THAN,
        signed_on=NOV[8],
    )
    DealFactory(value_currency="CNY", value_amount=5 * BILLION, signed_on=NOV[8])

    totals = Deal.objects.published().totals()

    assert totals.figures == (
        (Qualifier.MORE_THAN, Decimal("756000000.00")),
        (Qualifier.ABOUT, Decimal("756000000.00")),
    )
    assert totals.display == "more than US$756 million plus about US$756 million"


def test_a_component_left_out_of_the_sum_leaves_its_qualifier_out_too(db):
    pledge = DealFactory(value_amount=2 * BILLION, value_qualifier=Qualifier.EXACT)
    beef_and_pork(pledge, value_qualifier=Qualifier.ABOUT)

    assert Deal.objects.published().totals().qualifier == Qualifier.EXACT


# --- ceremonies --------------------------------------------------------------------------------


def itemised_by_ceremony():
    return {
        c.pk: (c.itemised_count, c.itemised_usd) for c in Ceremony.objects.with_itemised_totals()
    }


def test_itemised_totals_annotated_in_one_query_agree_with_each_ceremony(cny_rates):
    # 8 November: umbrella with its component, an undisclosed deal, a draft.
    great_hall = CeremonyFactory(date=NOV[8])
    pledge = jd_pledge(ceremony=great_hall)
    beef_and_pork(pledge, ceremony=great_hall)
    undisclosed(ceremony=great_hall)
    DealFactory(ceremony=great_hall, value_amount=9 * BILLION, is_published=False)
    # 9 November: RMB converted, a value without a rate.
    second_day = CeremonyFactory(date=NOV[9])
    DealFactory(ceremony=second_day, value_currency="CNY", value_amount=5 * BILLION)
    DealFactory(ceremony=second_day, value_amount=1 * MILLION)
    DealFactory(ceremony=second_day, value_currency="EUR", value_amount=BILLION)
    # A component whose umbrella was signed at another ceremony counts where it was signed.
    elsewhere = CeremonyFactory(date=NOV[10])
    beef_and_pork(pledge, ceremony=elsewhere, value_amount=300 * MILLION)
    # Components of an undisclosed umbrella, and of a draft umbrella, count.
    undisclosed_umbrella = CeremonyFactory()
    beef_and_pork(undisclosed(ceremony=undisclosed_umbrella), ceremony=undisclosed_umbrella)
    draft_umbrella = CeremonyFactory()
    beef_and_pork(jd_pledge(ceremony=draft_umbrella, is_published=False), ceremony=draft_umbrella)
    # Only drafts.
    drafts_only = CeremonyFactory()
    DealFactory(ceremony=drafts_only, is_published=False)

    annotated = itemised_by_ceremony()

    assert annotated == {
        great_hall.pk: (3, 2 * BILLION),
        second_day.pk: (3, Decimal("756000000.00") + 1 * MILLION),  # 8 Nov rate on 9 Nov
        elsewhere.pk: (1, 300 * MILLION),
        undisclosed_umbrella.pk: (2, Decimal("1.2") * BILLION),
        draft_umbrella.pk: (1, Decimal("1.2") * BILLION),
        drafts_only.pk: (0, None),
    }
    for ceremony in Ceremony.objects.all():
        totals = ceremony.itemised_totals()
        assert annotated[ceremony.pk] == (totals.count, totals.amount_usd), ceremony


# --- filters and search ------------------------------------------------------------------------


def test_a_section_holds_the_deals_of_its_divisions(db):
    manufacturing = Sector.objects.get(code="C")
    food = DealFactory(sector=Sector.objects.get(code="10"))
    beverages = DealFactory(sector=Sector.objects.get(code="11"))
    general = DealFactory(sector=manufacturing)
    DealFactory(sector=Sector.objects.get(code="A"))
    DealFactory(sector=Sector.objects.get(code="01"))  # a division of another section

    assert set(Deal.objects.in_sector(manufacturing)) == {food, beverages, general}
    assert list(Deal.objects.in_sector(Sector.objects.get(code="10"))) == [food]


@pytest.fixture
def signings(db):
    jd = PartyFactory(name="JD.com", native_name="京东", aliases="Jingdong\nJD Group")
    bell = PartyFactory(name="Bell Helicopter")
    reignwood = PartyFactory(name="Reignwood Helicopter Services")
    deals = {
        "boeing": DealFactory(title="Boeing aircraft sale", summary="300 aircraft"),
        "food": DealFactory(title="US food purchases", summary="Beef, pork and dairy"),
        "helicopters": DealFactory(title="Helicopter purchase"),
        "chips": DealFactory(title="Qualcomm supply agreements"),
    }
    DealPartyFactory(deal=deals["food"], party=jd)
    DealPartyFactory(deal=deals["helicopters"], party=bell, role="seller")
    DealPartyFactory(deal=deals["helicopters"], party=reignwood, role="buyer")
    return deals


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("boeing", ["boeing"]),
        ("dairy", ["food"]),
        ("JD.com", ["food"]),
        ("京东", ["food"]),
        ("jingdong", ["food"]),
        ("  Qualcomm ", ["chips"]),
        ("reignwood", ["helicopters"]),
        ("nothing like it", []),
    ],
    ids=["title", "summary", "party name", "native name", "alias", "padded", "party", "none"],
)
def test_search_finds_deals_by_their_words_and_their_parties(signings, text, expected):
    found = Deal.objects.published().search(text)

    assert sorted(deal.pk for deal in found) == sorted(signings[key].pk for key in expected)


def test_a_deal_with_two_matching_parties_is_found_once(signings):
    found = list(Deal.objects.published().search("helicopter"))

    assert found == [signings["helicopters"]]


def test_an_empty_search_finds_everything(signings):
    assert Deal.objects.search("   ").count() == len(signings)


def test_search_results_can_be_totalled_without_double_counting(signings):
    totals = Deal.objects.published().search("helicopter").totals()

    assert totals.count == 1
    assert totals.amount_usd == signings["helicopters"].value_amount


# --- query counts ------------------------------------------------------------------------------


def deal_with_two_parties():
    deal = DealFactory()
    DealPartyFactory(deal=deal, role="seller")
    DealPartyFactory(deal=deal, role="buyer")
    return deal


def queries_to_list_deals():
    with CaptureQueriesContext(connection) as captured:
        for deal in Deal.objects.published().with_related():
            str(deal.sector)
            str(deal.ceremony.venue)
            str(deal.ceremony.occasion)
            [str(link.party) for link in deal.deal_parties.all()]
    return len(captured)


def test_a_list_of_deals_costs_the_same_queries_for_3_or_30_deals(db):
    for _ in range(3):
        deal_with_two_parties()
    for_three = queries_to_list_deals()

    for _ in range(27):
        deal_with_two_parties()
    for_thirty = queries_to_list_deals()

    assert for_three == for_thirty == 2  # the deals with their joins, then their parties


def queries_to_total():
    with CaptureQueriesContext(connection) as captured:
        Deal.objects.published().totals()
    return len(captured)


def test_totals_cost_the_same_queries_for_3_or_30_deals(cny_rates):
    pledge = jd_pledge()
    beef_and_pork(pledge)
    DealFactory(value_currency="CNY", value_amount=BILLION)
    for_three = queries_to_total()

    for _ in range(9):
        pledge = jd_pledge()
        beef_and_pork(pledge)
        undisclosed()
    for_thirty = queries_to_total()

    assert Deal.objects.count() == 30
    assert for_three == for_thirty <= 4


def test_ceremonies_with_itemised_totals_cost_one_query(db, django_assert_num_queries):
    for _ in range(5):
        ceremony = CeremonyFactory()
        beef_and_pork(jd_pledge(ceremony=ceremony), ceremony=ceremony)

    with django_assert_num_queries(1):
        itemised = itemised_by_ceremony()

    assert set(itemised.values()) == {(2, 2 * BILLION)}
