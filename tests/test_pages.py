"""The public pages with the demo data: the Great Hall signings of 8 and 9 November 2017.

What each page says is asserted as a reader reads it (the text of <main>, headings,
links), with the figures of deals/demo/: 19 deals worth about US$9 billion announced
on 8 November, three of them itemised (JD.com's "more than US$2 billion" food pledge,
its "more than US$1.2 billion" meat purchases counted within the pledge, and
Reignwood's undisclosed Bell helicopter purchase); US$253.4 billion announced on
9 November, six deals itemised (Boeing more than US$37 billion, Qualcomm at least
US$12 billion, Goldman Sachs–CIC up to US$5 billion, China Energy US$83.7 billion,
Alaska LNG up to US$43 billion: more than US$132.7 billion plus up to US$48 billion;
Cheniere–CNPC undisclosed); and
Cheniere's undisclosed 2018 follow-on contracts, signed at no ceremony. Ten published
deals in all, more than US$134.7 billion (2 + 37 + 12 + 83.7) plus up to US$48 billion
(5 + 43).
"""

import io

import pytest
from django.core.management import call_command

from tests.html_pages import read, skipped_heading_levels

CEREMONY_8 = "/ceremonies/us-china-signing-ceremony-2017-11-08/"
CEREMONY_9 = "/ceremonies/us-china-signing-ceremony-2017-11-09/"
JD_DEAL = "/deals/jd-com-us-food-purchases-2017/"
BELL_DEAL = "/deals/reignwood-bell-helicopters-2017/"
JD_TITLE = "JD.com to buy more than US$2 billion of U.S. food products over three years"
BELL_TITLE = "Reignwood International to buy additional Bell helicopters"
MEAT_TITLE = "JD.com to buy more than US$1.2 billion of U.S. beef and pork over three years"
BOEING_TITLE = "Boeing to sell 300 aircraft to China Aviation Supplies"
QUALCOMM_TITLE = "Qualcomm memoranda with Xiaomi, OPPO and vivo for US$12 billion of components"
GOLDMAN_TITLE = "Goldman Sachs and CIC to set up a US$5 billion China-US industrial fund"
WEST_VIRGINIA_TITLE = (
    "China Energy to invest US$83.7 billion in West Virginia shale gas and chemicals"
)
ALASKA_TITLE = "Sinopec, CIC and Bank of China to develop the US$43 billion Alaska LNG project"
CHENIERE_MOU_TITLE = "Cheniere and CNPC memorandum on long-term LNG supply"
DEALS_8 = [JD_TITLE, MEAT_TITLE, BELL_TITLE]
DEALS_9 = [
    BOEING_TITLE,
    QUALCOMM_TITLE,
    GOLDMAN_TITLE,
    WEST_VIRGINIA_TITLE,
    ALASKA_TITLE,
    CHENIERE_MOU_TITLE,
]
# Signed in February 2018 at no ceremony, so on no ceremony, venue or occasion page.
CHENIERE_CONTRACTS_TITLE = "Cheniere to sell 1.2 million tonnes a year of LNG to CNPC through 2043"
OCCASION = "/occasions/trump-state-visit-china-2017-11/"
VENUE = "/venues/great-hall-of-the-people/"
# The meat purchases count within the pledge's "more than US$2 billion"; Reignwood's
# value is undisclosed.
RECONCILIATION_8 = (
    "19 deals announced, 3 itemised here; "
    "more than US$2 billion of about US$9 billion accounted for"
)
# 37 + 12 + 83.7 = 132.7 with lower bounds and an exact figure: "more than"; the
# ceilings (5 + 43) are kept apart, never added to it. No deal count was announced, so
# none is reconciled.
RECONCILIATION_9 = (
    "6 deals itemised here; more than US$132.7 billion plus up to US$48 billion "
    "of US$253.4 billion accounted for"
)

PAGES = [
    "/",
    "/ceremonies/",
    CEREMONY_8,
    CEREMONY_9,
    "/deals/",
    "/deals/?ordering=-value",
    "/deals/?q=JD",
    JD_DEAL,
    BELL_DEAL,
    "/parties/jd-com/",
    "/parties/bell-helicopter/",
    "/sectors/manufacturing/",
    "/sectors/manufacture-of-food-products/",
    VENUE,
    OCCASION,
]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def page_at(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return read(response)


# --- what every page owes its readers -----------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_each_page_has_one_h1_and_headings_that_skip_no_level(client, demo, url):
    page = page_at(client, url)

    assert [level for level, _ in page.headings].count(1) == 1
    assert skipped_heading_levels(page) == []


@pytest.mark.parametrize("url", PAGES)
def test_each_table_is_named_and_each_form_control_labelled(client, demo, url):
    page = page_at(client, url)

    assert page.unnamed_tables == []
    assert page.unlabelled_controls == []


def test_each_page_has_a_title_and_a_description_of_its_own(client, demo):
    pages = [page_at(client, url) for url in PAGES if "?" not in url]

    titles = [page.title for page in pages]
    descriptions = [page.description for page in pages]
    assert len(set(titles)) == len(titles), titles
    assert len(set(descriptions)) == len(descriptions), descriptions
    assert all("Deal Tracker" in title for title in titles)


# --- home -------------------------------------------------------------------------------


def test_the_home_page_shows_the_headline_figures(client, demo):
    text = page_at(client, "/").main_text

    assert "Published deals 10" in text
    assert "Disclosed value more than US$134.7 billion plus up to US$48 billion" in text
    assert "Ceremonies 2" in text
    assert "Value undisclosed 3 deals" in text  # Reignwood's and both of Cheniere's


def test_the_home_page_shows_the_latest_ceremonies_newest_first_with_their_deals(client, demo):
    page = page_at(client, "/")
    text = page.main_text

    assert text.index("9 November 2017") < text.index("8 November 2017")
    assert f"{RECONCILIATION_8}." in text
    assert f"{RECONCILIATION_9}." in text
    for title in [*DEALS_8, *DEALS_9]:
        assert title in text
    assert CHENIERE_CONTRACTS_TITLE not in text  # at no ceremony
    assert "more than US$2 billion in purchase commitments" in text
    assert "JD.com (buyer)" in text
    assert "Reignwood International (buyer); Bell Helicopter (seller)" in text


# --- ceremonies -------------------------------------------------------------------------


def test_the_ceremony_list_groups_ceremonies_by_occasion_with_announced_and_itemised(client, demo):
    page = page_at(client, "/ceremonies/")

    assert (2, "Donald Trump's state visit to China, November 2017") in page.headings
    text = page.main_text
    assert "8 November 2017 to 10 November 2017 · hosted by China" in text
    assert "8 Nov 2017 Great Hall of the People about US$9 billion, 19 deals" in text
    assert "about US$9 billion, 19 deals 3 deals, more than US$2 billion" in text
    assert (
        "9 Nov 2017 Great Hall of the People US$253.4 billion 6 deals, "
        "more than US$132.7 billion plus up to US$48 billion" in (text)
    )
    assert text.index("9 Nov 2017") < text.index("8 Nov 2017")


def test_the_ceremony_page_reconciles_the_announced_headline_with_the_itemised_deals(client, demo):
    text = page_at(client, CEREMONY_8).main_text

    assert f"{RECONCILIATION_8}." in text
    assert "Announced about US$9 billion, 19 deals" in text
    assert "Itemised here 3 deals" in text
    assert "Itemised value more than US$2 billion" in text
    assert "Value undisclosed 1 deal" in text
    assert "16 of the 19 deals announced are not itemised here yet." in text
    assert "1 itemised deal has no disclosed value" in text
    assert "The itemised value is a lower bound" in text


def test_the_ceremony_page_shows_venue_date_dignitaries_and_sources(client, demo):
    page = page_at(client, CEREMONY_8)
    text = page.main_text

    assert "Wednesday 8 November 2017 · Great Hall of the People, Beijing, China" in text
    assert "Wilbur Ross, U.S. Commerce Secretary (speaker)" in text
    assert "Wang Yang (汪洋), Vice Premier of China (speaker)" in text
    assert "Zhong Shan (钟山), Chinese Commerce Minister (attendee)" in text
    assert (2, "Sources") in page.headings
    assert "Reuters, 8 November 2017" in text
    assert "While 19 deals were signed on Wednesday" in text
    assert ("/venues/great-hall-of-the-people/", "Great Hall of the People") in page.links


def test_the_ceremony_page_groups_its_deals_by_sector_with_values_as_stated(client, demo):
    page = page_at(client, CEREMONY_8)

    sectors = [text for level, text in page.headings if level == 3]
    assert "Manufacture of food products Manufacturing" in sectors
    assert "Manufacture of other transport equipment Manufacturing" in sectors
    text = page.main_text
    food = text.index("Manufacture of food products Manufacturing")
    transport = text.index("Manufacture of other transport equipment Manufacturing")
    assert food < text.index(JD_TITLE) < transport
    assert food < text.index(MEAT_TITLE) < transport
    assert text.index(BELL_TITLE) > transport
    assert f"{JD_TITLE} JD.com (buyer) more than US$2 billion in purchase commitments signed" in (
        text
    )
    assert (
        f"{BELL_TITLE} Reignwood International (buyer); Bell Helicopter (seller) undisclosed"
        in (text)
    )


def test_the_9_november_ceremony_reconciles_its_headline_without_a_deal_count(client, demo):
    page = page_at(client, CEREMONY_9)
    text = page.main_text

    assert "Thursday 9 November 2017" in text
    assert f"{RECONCILIATION_9}." in text
    assert "Announced US$253.4 billion Itemised here 6 deals" in text
    assert "Itemised value more than US$132.7 billion plus up to US$48 billion" in text
    assert "Value undisclosed 1 deal" in text  # Cheniere–CNPC
    assert "not itemised here yet" not in text  # no deal count was announced
    for title in DEALS_9:
        assert title in text
    assert JD_TITLE not in text
    assert (2, "Dignitaries") not in page.headings
    assert "Qualcomm, Boeing and Goldman Sachs" in text  # the source's quote


# --- deals -------------------------------------------------------------------------------


def test_the_deal_page_shows_value_term_instrument_parties_and_sources(client, demo):
    page = page_at(client, JD_DEAL)
    text = page.main_text

    assert page.headings[0] == (1, JD_TITLE)
    assert "Value more than US$2 billion in purchase commitments" in text
    assert "Term 3 years" in text
    assert "Status signed" in text
    # Unknown facts are set apart from the headline facts, in small type.
    assert "Instrument not known" in text
    assert "Binding not known" in text
    assert "Sellers not named in the sources." in text
    assert "Signed 8 November 2017" in text
    assert "JD.com 京东 buyer China not recorded" in text
    assert "Deals signed on Wednesday included a pledge by Chinese ecommerce company" in text
    assert "No later news is recorded: the deal stands as signed." in text
    assert "Draft" not in text


def test_the_deal_page_gives_each_party_its_role_and_country(client, demo):
    text = page_at(client, BELL_DEAL).main_text

    assert "Reignwood International buyer China" in text
    assert "Bell Helicopter seller United States" in text
    assert "Value undisclosed" in text


# --- entities ------------------------------------------------------------------------------


def test_the_party_page_shows_native_name_aliases_country_kind_and_deals(client, demo):
    page = page_at(client, "/parties/jd-com/")
    text = page.main_text

    assert page.headings[0] == (1, "JD.com 京东")
    assert "Name in its own script 京东" in text
    assert "Also reported as JD, Jingdong" in text
    assert "Country China" in text
    assert "Kind Company" in text
    assert "Published deals 2" in text
    assert "Disclosed value more than US$2 billion" in text  # the meat within the pledge
    assert JD_TITLE in text
    assert MEAT_TITLE in text
    assert BELL_TITLE not in text
    assert page.title == "JD.com (京东): deals · Deal Tracker"


def test_the_party_page_links_a_subsidiary_and_its_parent(client, demo):
    bell = page_at(client, "/parties/bell-helicopter/")
    textron = page_at(client, "/parties/textron/")

    assert "Part of Textron" in bell.main_text
    assert ("/parties/textron/", "Textron") in bell.links
    assert "Subsidiaries Bell Helicopter" in textron.main_text
    assert "Published deals 0" in textron.main_text


def test_the_section_page_lists_its_divisions_and_holds_their_deals(client, demo):
    page = page_at(client, "/sectors/manufacturing/")
    text = page.main_text

    assert "Section C of ISIC Rev. 4" in text
    assert "10 Manufacture of food products (2 deals)" in text  # JD.com's two
    assert "30 Manufacture of other transport equipment (2 deals)" in text  # Bell, Boeing
    assert "26 Manufacture of computer, electronic and optical products (1 deal)" in text
    assert "Published deals 5" in text
    assert "Disclosed value more than US$51 billion" in text  # 2 + 37 + 12
    assert "Value undisclosed 1 deal" in text  # Reignwood's
    for title in [JD_TITLE, MEAT_TITLE, BELL_TITLE, BOEING_TITLE, QUALCOMM_TITLE]:
        assert title in text
    assert GOLDMAN_TITLE not in text  # financial services
    assert WEST_VIRGINIA_TITLE not in text  # mining and quarrying


def test_the_division_page_names_its_section(client, demo):
    text = page_at(client, "/sectors/manufacture-of-food-products/").main_text

    assert "A division of C Manufacturing." in text
    assert "Published deals 2" in text
    assert JD_TITLE in text
    assert MEAT_TITLE in text


def test_the_venue_page_lists_its_ceremonies_with_their_reconciliation(client, demo):
    page = page_at(client, VENUE)
    text = page.main_text

    assert "Beijing, China" in text
    occasion = "Donald Trump's state visit to China, November 2017"
    assert f"8 November 2017, during {occasion}: {RECONCILIATION_8}." in text
    assert f"9 November 2017, during {occasion}: {RECONCILIATION_9}." in text
    # The nine deals of its two ceremonies; Cheniere's contracts were signed elsewhere.
    assert "Published deals 9" in text
    assert "Disclosed value more than US$134.7 billion plus up to US$48 billion" in text
    assert "Value undisclosed 2 deals" in text
    assert CHENIERE_CONTRACTS_TITLE not in text
    assert CHENIERE_CONTRACTS_TITLE in page_at(client, "/deals/").main_text


def test_the_occasion_page_shows_dates_host_ceremonies_and_deals(client, demo):
    page = page_at(client, OCCASION)
    text = page.main_text

    assert "8 November 2017 to 10 November 2017 · hosted by China" in text
    assert "meetings with Chinese President Xi Jinping" in text
    assert f"8 November 2017, at Great Hall of the People: {RECONCILIATION_8}." in text
    assert f"9 November 2017, at Great Hall of the People: {RECONCILIATION_9}." in text
    assert "Published deals 9" in text
    assert "Disclosed value more than US$134.7 billion plus up to US$48 billion" in text
    for title in [*DEALS_8, *DEALS_9]:
        assert title in text
    assert CHENIERE_CONTRACTS_TITLE not in text


@pytest.mark.parametrize(
    "url",
    [
        "/ceremonies/nope/",
        "/deals/nope/",
        "/parties/nope/",
        "/sectors/nope/",
        "/venues/nope/",
        "/occasions/nope/",
    ],
)
def test_a_page_for_something_not_on_record_is_not_found(client, demo, url):
    assert client.get(url).status_code == 404
