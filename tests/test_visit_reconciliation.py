"""The whole visit reconciled: an occasion's announced headline (its own, or its
ceremonies' added up) against its itemised deals, counted once across its ceremonies;
the charts and bars that show it; the demo record's visit total; the deal page's facts."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from deals.models import Deal, Occasion, Qualifier
from tests.factories import CeremonyFactory, DealFactory, DealPartyFactory, OccasionFactory

BILLION = Decimal("1000000000")
VISIT = "trump-state-visit-china-2017-11"
CEREMONY_9_NOV = "us-china-signing-ceremony-2017-11-09"
BOEING = "boeing-casc-300-aircraft-2017"
JD_COM = "jd-com-us-food-purchases-2017"


def load_demo():
    call_command("load_demo", stdout=StringIO())


def chart_titles(html):
    """The <title> of every chart SVG (role="img") on a page."""
    svgs = re.findall(r"<svg\b[^>]*role=\"img\".*?</svg>", html, re.DOTALL)
    return [re.search(r"<title[^>]*>(.*?)</title>", svg).group(1) for svg in svgs]


@pytest.fixture
def visit(db):
    """An occasion with two ceremonies: an umbrella at the first, its component and a
    deal of its own at the second."""
    occasion = OccasionFactory()
    first = CeremonyFactory(
        occasion=occasion,
        announced_value_amount=20 * BILLION,
        announced_value_qualifier=Qualifier.EXACT,
        announced_deal_count=5,
    )
    second = CeremonyFactory(
        occasion=occasion,
        announced_value_amount=5 * BILLION,
        announced_value_qualifier=Qualifier.ABOUT,
        announced_deal_count=3,
    )
    umbrella = DealFactory(ceremony=first, value_amount=10 * BILLION)
    DealFactory(ceremony=second, umbrella=umbrella, value_amount=3 * BILLION)
    DealFactory(ceremony=second, value_amount=2 * BILLION)
    return occasion, first, second


def test_an_occasion_counts_a_component_within_its_umbrella_across_ceremonies(visit):
    occasion, first, second = visit

    reconciliation = occasion.reconciliation()

    assert reconciliation.totals.count == 3
    assert reconciliation.totals.amount_usd == 12 * BILLION  # 10 + 2, not 10 + 3 + 2
    assert reconciliation.totals.display == "US$12 billion"
    # Each ceremony alone counts what it signed: the component's umbrella is elsewhere.
    assert first.reconciliation().totals.amount_usd == 10 * BILLION
    assert second.reconciliation().totals.amount_usd == 5 * BILLION
    # The live QuerySet agrees with the kept figures.
    assert Deal.objects.published().filter(ceremony__occasion=occasion).totals() == (
        reconciliation.totals
    )


def test_an_occasion_without_a_headline_adds_up_its_ceremonies_headlines(visit):
    occasion, _, _ = visit

    reconciliation = occasion.reconciliation()

    assert reconciliation.announced_count == 8
    assert reconciliation.announced_value == "about US$25 billion"
    assert reconciliation.announced_usd == 25 * BILLION
    assert reconciliation.announced_by == "its ceremonies"
    assert reconciliation.count_share == 38  # 3 of 8
    assert reconciliation.value_share == 48  # 12 of 25
    assert reconciliation.display == (
        "8 deals announced, 3 itemised here; US$12 billion of about US$25 billion "
        "announced at its ceremonies accounted for"
    )


def test_an_occasion_s_own_headline_is_what_its_deals_are_set_against(visit):
    occasion, _, _ = visit
    occasion.announced_value_amount = 250 * BILLION
    occasion.announced_value_qualifier = Qualifier.MORE_THAN
    occasion.full_clean()
    occasion.save()

    reconciliation = occasion.reconciliation()

    assert reconciliation.announced_value == "more than US$250 billion"
    assert reconciliation.announced_count is None
    assert reconciliation.announced_by == ""
    assert reconciliation.value_share == 5  # 12 of 250
    assert reconciliation.display == (
        "3 deals itemised here; US$12 billion of more than US$250 billion accounted for"
    )


def test_a_ceremony_s_headline_in_another_currency_gives_the_occasion_no_summed_value(visit):
    occasion, _, second = visit
    second.announced_value_currency = "CNY"
    second.save()

    reconciliation = occasion.reconciliation()

    assert reconciliation.announced_value is None
    assert reconciliation.value_share is None
    assert reconciliation.announced_count == 8


def test_an_occasion_s_headline_is_validated_like_a_ceremony_s(db):
    occasion = OccasionFactory.build(announced_value_qualifier=Qualifier.EXACT)
    with pytest.raises(ValidationError) as error:
        occasion.full_clean()
    assert "announced_value_amount" in error.value.message_dict

    occasion = OccasionFactory.build(announced_value_amount=BILLION)
    with pytest.raises(ValidationError) as error:
        occasion.full_clean()
    assert error.value.message_dict["announced_value_amount"] == [
        "Leave the amount empty when the value is undisclosed."
    ]


@pytest.mark.parametrize(
    "headline",
    [
        {"announced_value_qualifier": Qualifier.EXACT},
        {"announced_value_amount": BILLION},
        {"announced_value_amount": -BILLION, "announced_value_qualifier": Qualifier.EXACT},
        {
            "announced_value_amount": BILLION,
            "announced_value_qualifier": Qualifier.EXACT,
            "announced_value_currency": "usd",
        },
    ],
)
def test_the_database_refuses_an_occasion_headline_that_contradicts_itself(db, headline):
    with pytest.raises(IntegrityError), transaction.atomic():
        OccasionFactory(**headline)


def test_the_occasion_page_shows_the_whole_visit_reconciled_with_bars(client, visit):
    occasion, _, _ = visit

    html = client.get(occasion.get_absolute_url()).content.decode()

    assert "Announced and itemised, the whole visit" in html
    assert (
        "8 deals announced, 3 itemised here; US$12 billion of about US$25 billion "
        "announced at its ceremonies accounted for." in html
    )
    assert html.count('class="meter"') == 2
    assert "<strong>38%</strong> of the deals announced are itemised: 3 of 8." in html
    assert "<strong>48%</strong> of the value announced (about US$25 billion)" in html


# --- the demo record ------------------------------------------------------------------


def test_the_demo_visit_total_counts_every_ceremony_s_deals_once(db):
    load_demo()
    occasion = Occasion.objects.get(slug=VISIT)

    reconciliation = occasion.reconciliation()

    # 3 deals on 8 November, 6 on 9 November; the 2018 LNG contracts were at no ceremony.
    assert reconciliation.totals.count == 9
    assert reconciliation.totals.undisclosed_count == 2
    assert reconciliation.totals.amount_usd == Decimal(
        "134700000000"
    )  # 2 + 37 + 12 + 83.7 (the 1.2 of meat is within JD.com’s 2)
    assert reconciliation.totals.plus_up_to_usd == 48 * BILLION  # Goldman–CIC 5, Alaska 43
    assert reconciliation.totals.display == "more than US$134.7 billion plus up to US$48 billion"
    # About $9 billion on Wednesday and $253.4 billion on Thursday (the AP), added up.
    assert reconciliation.announced_usd == Decimal("262400000000")
    assert reconciliation.announced_value.startswith("about US$262")
    assert reconciliation.announced_count is None  # Thursday's count was not announced
    assert reconciliation.value_share == 70  # 182.7 of 262.4, as stated


def test_the_demo_s_9_november_deals_are_signed_with_their_values_and_sources(db):
    load_demo()
    deals = Deal.objects.filter(ceremony__slug=CEREMONY_9_NOV)

    boeing = deals.get(slug=BOEING)
    assert boeing.value_display == "more than US$37 billion at list prices"
    assert boeing.status == "signed"
    assert boeing.citations.count() == 2
    values = dict(deals.values_list("slug", "value_amount"))
    assert values["qualcomm-xiaomi-oppo-vivo-mous-2017"] == 12 * BILLION
    assert values["goldman-sachs-cic-cooperation-fund-2017"] == 5 * BILLION
    assert all(deal.signed_on.isoformat() == "2017-11-09" for deal in deals)
    assert not any("not yet signed" in deal.description for deal in deals)
    assert all(deal.citations.exists() for deal in deals)


def test_the_demo_pages_draw_their_charts(client, db):
    load_demo()

    home = client.get("/").content.decode()
    occasion = client.get(f"/occasions/{VISIT}/").content.decode()
    ceremony = client.get(f"/ceremonies/{CEREMONY_9_NOV}/").content.decode()

    assert chart_titles(home)[:3] == [
        "Published deals by year",
        "Disclosed value by year, in US dollars",
        "Published deals by country of a party",
    ]
    assert chart_titles(occasion)[:2] == [
        "Disclosed value by sector, in US dollars",
        "Published deals by country of a party",
    ]
    assert chart_titles(ceremony)[0] == "Disclosed value by sector, in US dollars"
    # The home page's headline stands beside what the visit announced.
    assert "itemised deal by deal, not a visit’s size" in home
    assert "What was announced, and what is itemised" in home
    assert "of about US$262" in home
    assert 'class="meter"' in ceremony and 'class="meter"' in occasion


# --- the deal page --------------------------------------------------------------------


def test_the_deal_page_sets_known_facts_large_and_unknown_ones_small(client, db):
    load_demo()
    deal = Deal.objects.get(slug=BOEING)

    html = client.get(deal.get_absolute_url()).content.decode()

    facts = re.search(r'<dl class="figures deal-facts".*?</dl>', html, re.DOTALL).group(0)
    unknown = re.search(r'<dl class="unknown-facts".*?</dl>', html, re.DOTALL).group(0)
    assert re.findall(r"<dt>(.*?)</dt>", facts) == ["Value", "Status", "Outcome", "Signed"]
    assert re.findall(r"<dt>(.*?)</dt>", unknown) == ["Instrument", "Binding"]
    assert "not known" not in facts
    # The value is stated once by the page (the summary is the editors' own words).
    body = html.split("<main", 1)[1].replace(deal.summary, "")
    assert body.count(deal.value_display) == 1
    # The sector by name, its ISIC code secondary.
    assert ">Manufacture of other transport equipment</a>" in html
    assert '<span class="isic-code" title="ISIC Rev. 4 code 30">ISIC 30</span>' in html
    assert ">30 Manufacture" not in html


def test_a_deal_with_one_party_says_its_counterparts_are_not_named(client, db):
    load_demo()
    one_party = Deal.objects.get(slug=JD_COM)
    two_parties = Deal.objects.get(slug=BOEING)

    assert "Sellers not named in the sources." in client.get(one_party.get_absolute_url()).text
    assert "not named in the sources" not in client.get(two_parties.get_absolute_url()).text


@pytest.mark.parametrize(
    ("role", "words"),
    [("seller", "Buyers"), ("investor", "Investees"), ("guarantor", "Other parties")],
)
def test_the_unnamed_counterparts_are_the_other_side_of_the_one_role(client, db, role, words):
    deal = DealFactory()
    DealPartyFactory(deal=deal, role=role)

    assert f"{words} not named in the sources." in client.get(deal.get_absolute_url()).text
