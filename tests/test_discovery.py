"""What search engines and link previews read: sitemap, robots.txt, canonical and sharing tags."""

import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deals.models import FigureRow, Sector
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    OccasionFactory,
    PartyFactory,
    VenueFactory,
)

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "http://testserver"


def xml_locations(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def sitemap_locations(client):
    """Every address of every page of every section the index at /sitemap.xml names."""
    return [
        location
        for section in xml_locations(client, "/sitemap.xml")
        for location in xml_locations(client, section.removeprefix(SITE))
    ]


@pytest.fixture
def published_and_draft(db):
    """A published deal, and a draft whose party, sector, venue and occasion are its own."""
    published = DealFactory(slug="published", sector=Sector.objects.get(code="10"))
    DealPartyFactory(deal=published, party=PartyFactory(slug="public-party"))
    secret_ceremony = CeremonyFactory(
        slug="draft-only-ceremony",
        venue=VenueFactory(slug="draft-only-venue"),
        occasion=OccasionFactory(slug="draft-only-occasion"),
    )
    draft = DealFactory(
        slug="draft",
        is_published=False,
        ceremony=secret_ceremony,
        sector=Sector.objects.get(code="64"),
    )
    DealPartyFactory(deal=draft, party=PartyFactory(slug="draft-only-party", country="BR"))
    return published


def test_the_sitemap_lists_the_main_pages_published_deals_and_their_entities(
    client, published_and_draft
):
    deal = published_and_draft

    locations = sitemap_locations(client)

    expected = [
        "/",
        "/ceremonies/",
        "/deals/",
        deal.get_absolute_url(),
        deal.ceremony.get_absolute_url(),
        "/parties/public-party/",
        "/sectors/manufacture-of-food-products/",
        "/sectors/manufacturing/",  # the section of division 10: its page lists the deal
        deal.ceremony.venue.get_absolute_url(),
        deal.ceremony.occasion.get_absolute_url(),
    ]
    for path in expected:
        assert SITE + path in locations
    assert len(locations) == len(set(locations)), "no page is listed twice"


def test_the_sitemap_leaves_out_drafts_and_entities_only_drafts_are_about(
    client, published_and_draft
):
    locations = sitemap_locations(client)

    for left_out in [
        "/deals/draft/",
        "/parties/draft-only-party/",
        "/sectors/financial-service-activities-except-insurance-and-pension-funding/",
        "/sectors/financial-and-insurance-activities/",
        "/venues/draft-only-venue/",
        "/occasions/draft-only-occasion/",
        "/countries/br/",
    ]:
        assert SITE + left_out not in locations
    # A ceremony's page is public even before its deals are: it shows what was announced.
    assert SITE + "/ceremonies/draft-only-ceremony/" in locations


def test_the_demo_data_sitemap_holds_every_public_page(client, db):
    call_command("load_demo", stdout=io.StringIO())

    locations = sitemap_locations(client)

    # 3 pages, 2 ceremonies, 10 deals, the 22 parties that signed one (Textron did not,
    # itself), 8 sectors (divisions 06, 10, 26, 30 and 64, and their sections B, C and
    # K), 1 venue, 1 occasion and the 2 countries of the parties (China, United States).
    assert len(locations) == 3 + 2 + 10 + 22 + 8 + 1 + 1 + 2
    assert {f"{SITE}/countries/cn/", f"{SITE}/countries/us/"} <= set(locations)
    assert SITE + "/parties/textron/" not in locations, "Textron signed nothing itself"


def queries_for_sitemap(client):
    with CaptureQueriesContext(connection) as queries:
        sitemap_locations(client)
    return len(queries)


def test_the_number_of_sitemap_queries_does_not_grow_with_the_number_of_deals(client, db):
    for _ in range(3):
        DealPartyFactory()
    FigureRow.objects.current()  # kept figures made, as by the first reader after writes
    for_three = queries_for_sitemap(client)
    for _ in range(30):
        DealPartyFactory()
    FigureRow.objects.current()

    assert queries_for_sitemap(client) == for_three


def test_robots_txt_allows_the_public_pages_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert f"Disallow: {reverse('deals:csv')}" in lines
    assert "Allow: /" in lines
    assert "Disallow: /" not in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_favicon_ico_redirects_to_the_svg_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("favicon.svg")
    assert finders.find("favicon.svg"), "the icon it points at exists"


class HeadTags(HTMLParser):
    """The <title>, and the <link> and <meta> tags of a page's head."""

    def __init__(self, html):
        super().__init__()
        self.links, self.meta, self.title, self._in_title = {}, {}, "", False
        # Only the head's: a chart's <title> in the body is not the page's.
        self.feed(html.split("</head>", 1)[0])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.setdefault(attrs.get("rel"), attrs.get("href"))
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return HeadTags(response.content.decode())


@pytest.mark.parametrize("page", ["home", "ceremony", "deal"])
def test_every_page_has_an_absolute_canonical_url_and_sharing_tags(
    client, published_and_draft, page
):
    deal = published_and_draft
    paths = {
        "home": "/",
        "ceremony": deal.ceremony.get_absolute_url(),
        "deal": deal.get_absolute_url(),
    }
    path = paths[page]

    head = head_of(client, path)

    assert head.links["canonical"] == SITE + path
    assert head.meta["og:url"] == SITE + path
    assert head.meta["og:title"] == head.title.strip()
    assert head.meta["og:description"] == head.meta["description"]
    assert head.meta["og:description"]
    assert head.meta["og:type"] == "website"
    assert head.meta["og:site_name"] == "Deal Tracker"
    assert head.meta["twitter:card"] == "summary"


def test_a_deal_page_shares_its_own_title_and_value(client, published_and_draft):
    deal = published_and_draft

    head = head_of(client, deal.get_absolute_url())

    assert head.meta["og:title"].startswith(deal.title)
    assert "US$1 million" in head.meta["og:description"]


def test_the_canonical_url_leaves_out_pages_sorting_and_tracking_parameters(
    client, published_and_draft
):
    head = head_of(client, "/deals/?page=1&ordering=title&utm_source=newsletter&fbclid=x")

    assert head.links["canonical"] == SITE + "/deals/"
    assert head.meta["og:url"] == SITE + "/deals/"


def test_the_sitemap_is_an_index_of_sections_paged_at_the_setting(client, db, settings):
    settings.SITEMAP_URLS_PER_PAGE = 2
    for number in range(5):
        DealPartyFactory(deal=DealFactory(slug=f"paged-{number}"))

    sections = xml_locations(client, "/sitemap.xml")

    deal_pages = [url for url in sections if "/sitemap-deals.xml" in url]
    assert deal_pages == [
        f"{SITE}/sitemap-deals.xml",
        f"{SITE}/sitemap-deals.xml?p=2",
        f"{SITE}/sitemap-deals.xml?p=3",
    ]
    deals = [url for page in deal_pages for url in xml_locations(client, page.removeprefix(SITE))]
    assert deals == [f"{SITE}/deals/paged-{number}/" for number in range(5)]
    assert client.get("/sitemap-deals.xml?p=4").status_code == 404


def test_the_deals_section_says_when_each_deal_and_the_whole_section_last_changed(client, db):
    deal = DealFactory(slug="dated")

    index = client.get("/sitemap.xml").content.decode()
    section = client.get("/sitemap-deals.xml").content.decode()

    assert f"<lastmod>{deal.updated_at.date().isoformat()}</lastmod>" in section
    assert "<lastmod>" in index


def test_a_section_page_costs_two_queries_however_many_addresses_it_holds(client, db):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert len(xml_locations(client, "/sitemap-deals.xml")) >= 1
        return len(captured)

    DealFactory()
    few = queries()
    for _ in range(40):
        DealFactory()

    assert queries() == few <= 2
