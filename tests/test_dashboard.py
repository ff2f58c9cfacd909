"""The editor's dashboard on the admin index: what needs a look, at a fixed cost."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deals.admin.dashboard import LIMIT, value_agrees
from deals.models import Qualifier
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    ExchangeRateFactory,
    PartyFactory,
    SourceFactory,
)

INDEX_URL = reverse("admin:index")


def panels(response):
    return {panel.key: panel for panel in response.context["panels"]}


def test_it_lists_drafts_awaiting_review_newest_first(editor_client):
    DealFactory(is_published=True, title="Published")
    older = DealFactory(is_published=False, title="Older draft")
    newer = DealFactory(is_published=False, title="Newer draft")

    panel = panels(editor_client.get(INDEX_URL))["drafts"]

    assert panel.count == 2
    assert [item.text for item in panel.items] == [newer.title, older.title]
    assert panel.items[0].url == reverse("admin:deals_deal_change", args=[newer.pk])


def test_it_lists_deals_without_a_source(editor_client):
    sourced = DealFactory(title="Sourced")
    sourced.citations.create(source=SourceFactory())
    DealFactory(title="Unsourced")

    panel = panels(editor_client.get(INDEX_URL))["unsourced"]

    assert [item.text for item in panel.items] == ["Unsourced"]
    listed = editor_client.get(panel.more_url)
    assert [deal.title for deal in listed.context["cl"].result_list] == ["Unsourced"]


def test_it_lists_deals_without_a_usd_conversion(editor_client):
    DealFactory(title="Yuan", value_currency="CNY")

    panel = panels(editor_client.get(INDEX_URL))["unconverted"]

    assert [item.text for item in panel.items] == ["Yuan"]
    assert "no CNY rate for 8 Nov 2017" in panel.items[0].detail


@pytest.fixture
def ceremonies(db):
    """One ceremony whose deals agree with its headline, two that do not."""
    agreeing = CeremonyFactory(
        name="Agreeing",
        announced_deal_count=2,
        announced_value_amount=Decimal("3000000000"),
        announced_value_qualifier=Qualifier.ABOUT,
    )
    DealFactory(ceremony=agreeing, value_amount=Decimal("1000000000"))
    DealFactory(ceremony=agreeing, value_amount=Decimal("2100000000"))
    short = CeremonyFactory(
        name="Short",
        announced_deal_count=19,
        announced_value_amount=Decimal("9000000000"),
        announced_value_qualifier=Qualifier.ABOUT,
    )
    DealFactory(ceremony=short, value_amount=Decimal("2000000000"))
    DealFactory(ceremony=short, is_published=False)  # drafts are not itemised
    over = CeremonyFactory(
        name="Over",
        announced_value_amount=Decimal("1000000000"),
        announced_value_qualifier=Qualifier.UP_TO,
    )
    DealFactory(ceremony=over, value_amount=Decimal("1500000000"))
    CeremonyFactory(name="Nothing announced")
    return {"agreeing": agreeing, "short": short, "over": over}


def test_it_lists_ceremonies_whose_itemised_deals_disagree_with_the_announcement(
    editor_client, ceremonies
):
    panel = panels(editor_client.get(INDEX_URL))["ceremonies"]

    details = {item.text.split(" (")[0]: item.detail for item in panel.items}
    assert set(details) == {"Short", "Over"}
    assert details["Short"] == (
        "19 deals announced, 1 itemised; about US$9 billion announced, US$2 billion itemised"
    )
    assert details["Over"] == "up to US$1 billion announced, US$1.5 billion itemised"


def test_a_headline_in_another_currency_is_compared_at_its_rate(editor_client):
    ExchangeRateFactory(currency="CNY", rate_to_usd=Decimal("0.15"))
    ceremony = CeremonyFactory(
        announced_value_amount=Decimal("10000000000"),
        announced_value_currency="CNY",
        announced_value_qualifier=Qualifier.EXACT,
    )
    DealFactory(ceremony=ceremony, value_amount=Decimal("1500000000"))

    assert panels(editor_client.get(INDEX_URL))["ceremonies"].count == 0


@pytest.mark.parametrize(
    ("announced", "qualifier", "itemised", "agrees"),
    [
        ("100", "exact", "100", True),
        ("100", "exact", "99", False),
        ("100", "about", "91", True),
        ("100", "about", "89", False),
        ("100", "at_least", "100", True),
        ("100", "more_than", "100", False),
        ("100", "more_than", "101", True),
        ("100", "up_to", "100", True),
        ("100", "up_to", "101", False),
        ("100", "about", None, False),
    ],
)
def test_what_counts_as_agreeing(announced, qualifier, itemised, agrees):
    itemised = Decimal(itemised) if itemised else None
    assert value_agrees(Decimal(announced), qualifier, itemised) is agrees


def test_it_lists_parties_that_look_like_duplicates_with_a_merge_link(editor_client):
    bell = PartyFactory(name="Bell Helicopter")
    twin = PartyFactory(name="Bell Helicopter Textron")
    PartyFactory(name="Boeing")

    panel = panels(editor_client.get(INDEX_URL))["duplicates"]

    (item,) = panel.items
    assert item.text == "Bell Helicopter / Bell Helicopter Textron"
    assert item.url == reverse("admin:deals_party_merge") + f"?ids={bell.pk}%2C{twin.pk}"
    assert editor_client.get(item.url).status_code == 200


def test_a_contributor_sees_the_dashboard_without_merge_links(contributor_client):
    PartyFactory(name="Bell Helicopter")
    PartyFactory(name="Bell Helicopter Textron")

    response = contributor_client.get(INDEX_URL)

    (item,) = panels(response)["duplicates"].items
    assert reverse("admin:deals_party_changelist") in item.url
    assert "merge" not in item.url


def test_the_dashboard_is_on_the_admin_index_page(editor_client):
    DealFactory(is_published=False, title="A draft to review")

    content = editor_client.get(INDEX_URL).content.decode()

    assert "Drafts awaiting review" in content
    assert "A draft to review" in content
    assert "Parties that look like duplicates" in content
    assert reverse("admin:deals_deal_changelist") in content  # the list of records stays


def test_it_shows_at_most_ten_of_each_with_a_link_to_the_rest(editor_client):
    for _ in range(LIMIT + 3):
        DealFactory(is_published=False)

    response = editor_client.get(INDEX_URL)

    panel = panels(response)["drafts"]
    assert (panel.count, len(panel.items), panel.more) == (LIMIT + 3, LIMIT, 3)
    assert "3 more…" in response.content.decode()


def test_the_dashboard_costs_the_same_queries_for_3_and_30_of_everything(editor_client):
    def add(n):
        for _ in range(n):
            ceremony = CeremonyFactory(announced_deal_count=5)
            deal = DealFactory(ceremony=ceremony, is_published=False, value_currency="CNY")
            DealFactory(ceremony=ceremony)  # published, no news since 2017: to follow up
            PartyFactory(name=f"Twin Company {deal.pk}")
            PartyFactory(name=f"Twin Company {deal.pk} Holdings Inc")

    add(3)
    editor_client.get(INDEX_URL)
    with CaptureQueriesContext(connection) as with_3:
        editor_client.get(INDEX_URL)
    add(27)
    editor_client.get(
        INDEX_URL
    )  # the kept figures made again, as for 3 (tests/test_kept_figures.py)
    with CaptureQueriesContext(connection) as with_30:
        response = editor_client.get(INDEX_URL)

    assert panels(response)["duplicates"].count == 30
    assert panels(response)["follow_up"].count == 30
    assert len(with_30) == len(with_3)


def test_it_lists_open_published_deals_without_news_for_a_year_oldest_first(
    editor_client, follow_through_record, settings
):
    record = follow_through_record
    settings.FOLLOW_UP_MONTHS = 12
    # Today is 2026 or later: everything open in the record is a year without news, but
    # the contract's news came latest; the draft, the completed, cancelled and superseded
    # deals are settled or not public.
    panel = panels(editor_client.get(INDEX_URL))["follow_up"]

    assert [item.text for item in panel.items] == [
        "Expected",
        "Yuan",
        "Chips",
        "Pledge",
        "Contract",
    ]
    assert panel.items[0].detail == "announced; no news since 8 Nov 2017"
    assert panel.items[3].detail == "in progress; no news since 1 Jun 2018"
    assert panel.title == "Needs a follow-up check (no news for 12 months)"
    changelist = editor_client.get(panel.more_url)
    # The same deals, in the list's own order.
    assert {deal.slug for deal in changelist.context["cl"].result_list} == {
        "expected",
        "yuan",
        "chips",
        "pledge",
        "contract",
    }
    assert record.draft.pk not in {deal.pk for deal in changelist.context["cl"].result_list}


def test_the_dashboard_writes_an_itemised_value_with_its_qualifier_as_the_page_does(
    editor_client,
):
    ceremony = CeremonyFactory(
        name="Pledges",
        announced_value_amount=Decimal("9000000000"),
        announced_value_qualifier=Qualifier.ABOUT,
    )
    DealFactory(
        ceremony=ceremony,
        value_amount=Decimal("2000000000"),
        value_qualifier=Qualifier.MORE_THAN,
    )

    (item,) = panels(editor_client.get(INDEX_URL))["ceremonies"].items
    page = editor_client.get(ceremony.get_absolute_url()).content.decode()

    assert item.detail == "about US$9 billion announced, more than US$2 billion itemised"
    assert "more than US$2 billion of about US$9 billion accounted for" in page


@pytest.fixture
def demo_record(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())


QUALIFIER_WORDS = ("more than ", "about ", "at least ", "up to ")


def test_with_the_demo_data_the_dashboard_and_the_pages_write_each_value_alike(
    demo_record, editor_client
):
    from deals.models import Ceremony, Deal

    items = panels(editor_client.get(INDEX_URL))["ceremonies"].items
    assert len(items) == Ceremony.objects.count() == 2
    for ceremony in Ceremony.objects.all():
        (item,) = [i for i in items if i.url.endswith(f"/{ceremony.pk}/change/")]
        itemised = ceremony.reconciliation().totals.display
        assert itemised.startswith(QUALIFIER_WORDS), itemised
        assert item.detail.endswith(
            f"{ceremony.announced_value_display} announced, {itemised} itemised"
        )
        page = editor_client.get(ceremony.get_absolute_url()).content.decode()
        assert itemised in page

    changelist = editor_client.get(reverse("admin:deals_deal_changelist")).content.decode()
    for deal in Deal.objects.exclude(value_qualifier=Qualifier.UNDISCLOSED):
        written = deal.value_display
        assert written.startswith((*QUALIFIER_WORDS, "US$")), written
        assert f">{written}<" in changelist
        assert written in editor_client.get(deal.get_absolute_url()).content.decode()
