"""Browsing /deals/: filters, search, sorting and pages, all kept in the URL.

Four published deals and a draft, chosen so that each filter keeps a different set:

    Food pledge       food (C 10)      JD.com (CN)          ceremony A, 8 Nov 2017  > US$2 bn
    Aircraft order    aircraft (C 30)  JD.com, Boeing (US)  ceremony A, 8 Nov 2017  US$37 bn
    Bank loan         finance (K 64)   Bank (GB)            ceremony B, 1 Jun 2018  US$500 m
    Letter of intent  finance (K 64)   Boeing               no ceremony, 1 Mar 2019 undisclosed
"""

import datetime
from decimal import Decimal

import pytest

from deals.models import Deal, Qualifier, Sector
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    OccasionFactory,
    PartyFactory,
)
from tests.html_pages import read

FOOD, AIRCRAFT, LOAN, LETTER = "Food pledge", "Aircraft order", "Bank loan", "Letter of intent"
ALL = {FOOD, AIRCRAFT, LOAN, LETTER}


@pytest.fixture
def record(db):
    visit = OccasionFactory(name="State visit 2017", slug="visit-2017")
    summit = OccasionFactory(
        name="Summit 2018", slug="summit-2018", start_date=datetime.date(2018, 6, 1), end_date=None
    )
    OccasionFactory(name="Empty fair", slug="empty-fair")
    a = CeremonyFactory(name="Ceremony A", slug="ceremony-a", occasion=visit)
    b = CeremonyFactory(
        name="Ceremony B", slug="ceremony-b", occasion=summit, date=datetime.date(2018, 6, 1)
    )
    jd = PartyFactory(
        name="JD.com", slug="jd", country="CN", native_name="京东", aliases="Jingdong\nJD"
    )
    boeing = PartyFactory(name="Boeing", slug="boeing", country="US")
    bank = PartyFactory(name="Bank of Somewhere", slug="bank", country="GB")
    PartyFactory(name="Idle Corp", slug="idle", country="FR")
    hidden = PartyFactory(name="Hidden Corp", slug="hidden", country="DE")
    food, aircraft, finance = (Sector.objects.get(code=code) for code in ("10", "30", "64"))

    deals = {
        FOOD: DealFactory(
            title=FOOD,
            summary="Beef and pork from Nebraska.",
            sector=food,
            ceremony=a,
            value_amount=2 * 10**9,
            value_qualifier=Qualifier.MORE_THAN,
            instrument=Deal.Instrument.CONTRACT,
        ),
        AIRCRAFT: DealFactory(
            title=AIRCRAFT,
            sector=aircraft,
            ceremony=a,
            value_amount=37 * 10**9,
            value_basis=Deal.Basis.LIST_PRICE,
            status=Deal.Status.IN_PROGRESS,
            instrument=Deal.Instrument.FRAMEWORK_AGREEMENT,
        ),
        LOAN: DealFactory(
            title=LOAN,
            sector=finance,
            ceremony=b,
            value_amount=500 * 10**6,
            status=Deal.Status.COMPLETED,
            instrument=Deal.Instrument.MEMORANDUM_OF_UNDERSTANDING,
        ),
        LETTER: DealFactory(
            title=LETTER,
            sector=finance,
            ceremony=None,
            signed_on=datetime.date(2019, 3, 1),
            value_amount=None,
            value_qualifier=Qualifier.UNDISCLOSED,
            status=Deal.Status.STALLED,
            instrument=Deal.Instrument.LETTER_OF_INTENT,
        ),
    }
    DealPartyFactory(deal=deals[FOOD], party=jd, role="buyer")
    DealPartyFactory(deal=deals[AIRCRAFT], party=jd, role="buyer")
    DealPartyFactory(deal=deals[AIRCRAFT], party=boeing, role="seller")
    DealPartyFactory(deal=deals[LOAN], party=bank, role="lender")
    DealPartyFactory(deal=deals[LETTER], party=boeing, role="partner")
    draft = DealFactory(
        title="Draft deal", sector=Sector.objects.get(code="01"), ceremony=a, is_published=False
    )
    DealPartyFactory(deal=draft, party=hidden, role="buyer")
    DealPartyFactory(deal=draft, party=jd, role="buyer")
    return deals


def browse(client, query=""):
    response = client.get(f"/deals/{query}")
    assert response.status_code == 200, query
    return response


def titles(response):
    """The deal titles the page lists, in order."""
    return [text for href, text in read(response).links if text in ALL or text == "Draft deal"]


# --- filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("?sector=manufacturing", {FOOD, AIRCRAFT}),  # a section holds its divisions' deals
        ("?sector=manufacture-of-food-products", {FOOD}),
        ("?party=jd", {FOOD, AIRCRAFT}),
        ("?party=boeing", {AIRCRAFT, LETTER}),
        ("?country=GB", {LOAN}),
        ("?country=US", {AIRCRAFT, LETTER}),
        ("?ceremony=ceremony-a", {FOOD, AIRCRAFT}),
        ("?occasion=summit-2018", {LOAN}),
        ("?year=2018", {LOAN}),
        ("?status=stalled", {LETTER}),
        ("?status=in_progress", {AIRCRAFT}),
        ("?instrument=memorandum_of_understanding", {LOAN}),
        ("?instrument=contract", {FOOD}),
        ("?min_value_usd=1000000000", {FOOD, AIRCRAFT}),
        ("?max_value_usd=1000000000", {LOAN}),
        ("?min_value_usd=1000000000&max_value_usd=3000000000", {FOOD}),
        ("?signed_after=2018-01-01", {LOAN, LETTER}),
        ("?signed_before=2018-01-01", {FOOD, AIRCRAFT}),
        ("?party=jd&sector=manufacture-of-other-transport-equipment", {AIRCRAFT}),
    ],
)
def test_each_filter_narrows_the_deals(client, record, query, expected):
    assert set(titles(browse(client, query))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pledge", {FOOD}),  # title
        ("Nebraska", {FOOD}),  # summary
        ("Boeing", {AIRCRAFT, LETTER}),  # party name
        ("京东", {FOOD, AIRCRAFT}),  # native name
        ("Jingdong", {FOOD, AIRCRAFT}),  # alias
        ("AIRCRAFT", {AIRCRAFT}),  # whatever the case
    ],
)
def test_search_finds_titles_summaries_and_every_name_of_a_party(client, record, text, expected):
    response = browse(client, f"?q={text}")

    assert set(titles(response)) == expected
    count = len(expected)
    verb = "matches" if count == 1 else "match"
    assert f"{count} deal{'s' if count != 1 else ''} {verb} “{text}”" in read(response).main_text


def test_deals_are_grouped_by_ceremony_newest_first_by_default(client, record):
    page = read(browse(client))

    groups = [text for level, text in page.headings if level == 3]
    assert groups[0].startswith("Ceremony B 1 Jun 2018")
    assert groups[1].startswith("Ceremony A 8 Nov 2017")
    assert groups[2] == "Not signed at a ceremony"


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        # Undisclosed values come last whichever way, on every database.
        ("-value", [AIRCRAFT, FOOD, LOAN, LETTER]),
        ("value", [LOAN, FOOD, AIRCRAFT, LETTER]),
        ("title", [AIRCRAFT, LOAN, FOOD, LETTER]),
        ("-signed", [LETTER, LOAN, AIRCRAFT, FOOD]),
    ],
)
def test_sorting_orders_the_deals_in_one_table(client, record, ordering, expected):
    response = browse(client, f"?ordering={ordering}")

    assert titles(response) == expected
    assert [level for level, _ in read(response).headings].count(3) == 0


def test_the_sort_choices_read_as_words(client, record):
    content = browse(client).content.decode()

    assert '<option value="-value">Value in US$, highest first</option>' in content
    assert '<option value="" selected>Ceremony, newest first</option>' in content


def test_the_browse_page_totals_its_selection(client, record):
    text = read(browse(client, "?party=boeing")).main_text

    assert "2 deals" in text
    assert (
        "Disclosed value of these deals: US$37 billion. 1 of them has no disclosed value." in text
    )


# --- the form reflects the URL ------------------------------------------------------------------


def test_the_form_shows_the_filters_in_force(client, record):
    content = browse(
        client, "?q=pledge&sector=manufacturing&party=jd&year=2017&status=signed&ordering=-value"
    ).content.decode()

    assert 'name="q" value="pledge"' in content
    assert '<option value="manufacturing" selected>' in content
    assert 'name="party" list="party-options" value="jd"' in content
    assert '<option value="2017" selected>' in content
    assert '<option value="signed" selected>' in content
    assert '<option value="-value" selected>' in content


def test_the_form_offers_only_what_the_published_record_holds(client, record):
    content = browse(client).content.decode()

    assert '<option value="jd">JD.com 京东</option>' in content
    assert 'value="idle"' not in content  # no deals
    assert 'value="hidden"' not in content  # only a draft
    assert (
        '<option value="crop-and-animal-production-hunting-and-related-service-activities"'
        not in (content)
    )  # only a draft's sector
    assert '<option value="manufacturing">C Manufacturing</option>' in content
    assert '<option value="manufacture-of-food-products">— 10 Manufacture of food products' in (
        content
    )
    assert '<option value="empty-fair"' not in content
    assert '<option value="FR"' not in content and '<option value="DE"' not in content
    assert '<option value="GB">United Kingdom</option>' in content
    years = [f'<option value="{year}">' for year in (2019, 2018, 2017)]
    assert all(year in content for year in years)
    assert content.index(years[0]) < content.index(years[2])


def test_a_filter_on_a_record_without_published_deals_is_still_shown_as_chosen(client, record):
    content = browse(client, "?occasion=empty-fair").content.decode()

    assert '<option value="empty-fair" selected>Empty fair</option>' in content
    assert "No published deals match these filters." in content


def test_every_filter_in_force_can_be_removed_alone(client, record):
    page = read(browse(client, "?sector=manufacturing&status=signed&page=1"))

    assert "Sector: C Manufacturing remove" in page.main_text
    assert "Status: signed remove" in page.main_text
    assert ("?status=signed", "remove") in page.links
    assert ("?sector=manufacturing", "remove") in page.links
    assert ("/deals/", "Clear all filters") in page.links


def test_an_unfiltered_page_offers_nothing_to_clear(client, record):
    page = read(browse(client))

    assert ("/deals/", "Clear all filters") not in page.links


def test_empty_fields_of_the_form_are_dropped_from_the_address(client, record):
    response = client.get("/deals/?q=&sector=&status=signed&ordering=")

    assert response.status_code == 302
    assert response["Location"] == "/deals/?status=signed"
    assert client.get("/deals/?q=+&party=")["Location"] == "/deals/"


# --- what cannot be understood ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("?sector=nope", "sector=nope", "There is no sector “nope” in the record"),
        ("?party=nobody", "party=nobody", "There is no party “nobody” in the record"),
        ("?ceremony=nope", "ceremony=nope", "There is no ceremony “nope” in the record"),
        ("?occasion=nope", "occasion=nope", "There is no occasion “nope” in the record"),
        ("?country=XX", "country=XX", "“XX” is not one of the choices."),
        ("?status=lost", "status=lost", "“lost” is not one of the choices."),
        ("?instrument=treaty", "instrument=treaty", "“treaty” is not one of the choices."),
        ("?min_value_usd=abc", "min_value_usd=abc", "Enter a number."),
        ("?max_value_usd=-5", "max_value_usd=-5", "greater than or equal to 0"),
        ("?year=20x", "year=20x", "Enter a whole number."),
        ("?ordering=evil", "ordering=evil", "“evil” is not one of the choices."),
        ("?signed_after=2017-13-45", "signed_after=2017-13-45", "Enter a valid date."),
        (
            "?min_value_usd=5&max_value_usd=1",
            "max_value_usd=1",
            "The maximum is below the minimum.",
        ),
        (
            "?signed_after=2019-01-01&signed_before=2018-01-01",
            "signed_before=2018-01-01",
            "This date is before the 'signed after' date.",
        ),
    ],
)
def test_an_invalid_value_is_named_on_the_page_never_a_server_error(
    client, record, query, parameter, message
):
    response = browse(client, query)

    page = read(response)
    assert "Some filters could not be applied" in page.main_text
    assert f"({parameter})" in page.main_text
    assert message in page.main_text
    assert page.main_text.count(f"({parameter})") == 1  # said once


def test_the_other_filters_still_apply_beside_an_invalid_one(client, record):
    response = browse(client, "?sector=nope&status=completed&min_value_usd=5&max_value_usd=1")

    assert titles(response) == [LOAN]  # status and the minimum apply; the maximum does not
    text = read(response).main_text
    assert "Status: completed" in text
    assert "Value at least (US$): US$5" in text


def test_a_problem_is_not_repeated_on_the_next_page_viewed(client, record):
    browse(client, "?sector=nope")

    text = read(browse(client, "?status=signed")).main_text

    assert "could not be applied" not in text


def test_an_empty_result_says_so(client, record):
    text = read(browse(client, "?q=zzzz")).main_text

    assert "0 deals match “zzzz”" in text
    assert "No published deals match these filters." in text


# --- pages ----------------------------------------------------------------------------------------


@pytest.fixture
def many(record):
    ceremony = record[FOOD].ceremony
    for number in range(55):
        DealFactory(title=f"Bulk deal {number:02}", ceremony=ceremony, status="completed")


def test_pages_keep_the_filters_and_sort_in_their_links(client, many):
    response = browse(client, "?status=completed&ordering=title")

    page = read(response)
    assert "56 deals (page 1 of 2)" in page.main_text
    assert ("?status=completed&ordering=title&page=2", "Next →") in page.links

    second = read(browse(client, "?status=completed&ordering=title&page=2"))
    assert ("?status=completed&ordering=title&page=1", "← Previous") in second.links
    assert "Bulk deal 54" in second.main_text  # the last in title order
    assert "Bulk deal 00" not in second.main_text


def test_filter_links_leave_the_page_number_out(client, many):
    page = read(browse(client, "?status=completed&ordering=title&page=2"))

    removes = [href for href, text in page.links if text == "remove"]
    assert removes == ["?ordering=title"]


def test_a_page_number_out_of_range_or_not_a_number_shows_a_page(client, many):
    assert "56 deals (page 2 of 2)" in read(browse(client, "?status=completed&page=999")).main_text
    assert "56 deals (page 1 of 2)" in read(browse(client, "?status=completed&page=abc")).main_text


def test_a_grouped_page_regroups_its_own_deals(client, many):
    second = read(browse(client, "?page=2"))

    groups = [text for level, text in second.headings if level == 3]
    assert groups[0].startswith("Ceremony A")  # continued from page 1
    assert groups[-1] == "Not signed at a ceremony"


def test_no_draft_is_ever_listed(client, record):
    for query in ["", "?q=Draft", "?party=hidden", "?ordering=-value", "?ceremony=ceremony-a"]:
        assert "Draft deal" not in browse(client, query).content.decode()


def test_values_in_the_record_are_exact_amounts(record):
    # A guard for the fixture itself: the sort tests rely on these amounts.
    amounts = dict(Deal.objects.values_list("title", "value_amount_usd"))
    assert amounts[AIRCRAFT] == Decimal(37 * 10**9)
    assert amounts[LETTER] is None
