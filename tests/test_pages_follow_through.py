"""Follow-through on the public pages: the scorecard, its chart, timelines and stale flags.

The hand-built record: one ceremony (8 November 2017) with
- A, completed (US$500 million), completed two months ago, by a source with a quote;
- B, in progress (US$300 million), last news in June 2018: no news for over 12 months;
- C, cancelled (US$200 million) in March 2019;
- D, a US$100 million memorandum that a published contract E (US$150 million, in progress
  two months ago, signed later and at no ceremony) follows: D is superseded;
- F, a US$1 billion umbrella, signed and nothing since, with a US$400 million component G,
  completed two months ago (its money is counted in F's figure);
- H, CNY 1 billion announced, with no exchange rate for its date, and no news since;
- a US$9 billion completed deal that is still a draft, with an update of its own.

Ceremony scorecard: 7 deals, US$2.1 billion; completed 2 (US$500 million, as G counts in
F), in progress 1 (US$300 million), signed only 1 (US$1 billion), superseded 1 (US$100
million: E is not among the ceremony's deals), no news 1 (not converted), cancelled 1
(US$200 million); 3 deals with no news for 12 months (B, F, H).
"""

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deals.models import Deal, DealSource, Qualifier, Sector, StatusUpdate
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    OccasionFactory,
    PartyFactory,
    SourceFactory,
    VenueFactory,
)
from tests.html_pages import read, skipped_heading_levels

CEREMONY_DAY = datetime.date(2017, 11, 8)
MILLION = Decimal(10) ** 6


def recently():
    """Two months ago: news this recent is not stale."""
    return timezone.localdate() - datetime.timedelta(days=60)


def add_update(deal, status, on, *, note="", quote="", source=True):
    """A dated status update with its source, as staff record one; the deal follows it."""
    StatusUpdate.objects.create(
        deal=deal,
        status=status,
        date=on,
        note=note,
        quote=quote,
        source=SourceFactory(title=f"{deal.title}: {status}", published_on=on) if source else None,
    )
    deal.sync_status()


def build_record(*, ceremony_slug="example-signings", party_prefix="example"):
    """The record described above, returned as a namespace of its objects."""
    occasion = OccasionFactory(name="Example state visit", slug=f"{ceremony_slug}-visit")
    ceremony = CeremonyFactory(
        name="Example signing ceremony",
        slug=ceremony_slug,
        date=CEREMONY_DAY,
        venue=VenueFactory(name="Example Hall", slug=f"{ceremony_slug}-hall"),
        occasion=occasion,
        announced_value_amount=Decimal(9) * 10**9,
        announced_value_qualifier=Qualifier.ABOUT,
        announced_deal_count=19,
    )
    sector = Sector.objects.get(code="10")
    group = PartyFactory(name="Example Holdings", slug=f"{party_prefix}-holdings", country="GB")
    subsidiary = PartyFactory(
        name="Example Foods", slug=f"{party_prefix}-foods", country="GB", parent=group
    )
    grandchild = PartyFactory(
        name="Example Farms", slug=f"{party_prefix}-farms", country="GB", parent=subsidiary
    )
    buyer = PartyFactory(name="Example Buyer", slug=f"{party_prefix}-buyer", country="CN")

    def deal(title, amount, *, signer, currency="USD", **fields):
        fields.setdefault("ceremony", ceremony)
        made = DealFactory(
            title=title,
            slug=f"{ceremony_slug}-{title.lower().replace(' ', '-')}",
            sector=sector,
            value_amount=amount * MILLION,
            value_currency=currency,
            status=Deal.Status.SIGNED,
            **fields,
        )
        DealPartyFactory(deal=made, party=signer, role="seller")
        DealPartyFactory(deal=made, party=buyer, role="buyer")
        DealSource.objects.create(deal=made, source=SourceFactory())
        return made

    r = SimpleNamespace(
        occasion=occasion,
        ceremony=ceremony,
        sector=sector,
        group=group,
        subsidiary=subsidiary,
        grandchild=grandchild,
        buyer=buyer,
    )
    r.a = deal("Deal A", 500, signer=group, instrument=Deal.Instrument.CONTRACT)
    add_update(r.a, "signed", CEREMONY_DAY, note="Signed in the Great Hall.")
    add_update(
        r.a,
        "completed",
        recently(),
        note="Last delivery made.",
        quote="The final shipment arrived on schedule, the buyer said.",
    )
    r.b = deal("Deal B", 300, signer=subsidiary)
    add_update(r.b, "in_progress", datetime.date(2018, 6, 1), note="First deliveries.")
    r.c = deal("Deal C", 200, signer=subsidiary)
    add_update(
        r.c,
        "cancelled",
        datetime.date(2019, 3, 1),
        note="Called off.",
        quote="Both sides agreed to end the agreement.",
    )
    r.d = deal(
        "Deal D", 100, signer=subsidiary, instrument=Deal.Instrument.MEMORANDUM_OF_UNDERSTANDING
    )
    r.e = deal(
        "Deal E",
        150,
        signer=subsidiary,
        ceremony=None,
        signed_on=datetime.date(2018, 5, 1),
        follows=r.d,
        instrument=Deal.Instrument.CONTRACT,
    )
    add_update(r.e, "in_progress", recently(), note="Construction started.")
    r.f = deal("Deal F", 1000, signer=grandchild)
    r.g = deal("Deal G", 400, signer=group, umbrella=r.f)
    add_update(r.g, "completed", recently(), note="Delivered.", source=False)
    r.h = deal("Deal H", 1000, signer=group, currency="CNY", signed_on=None)
    r.h.status = Deal.Status.ANNOUNCED
    r.h.save()
    r.draft = deal("Secret deal", 9000, signer=group, is_published=False)
    add_update(r.draft, "completed", recently(), note="Draft news, never to be shown.")
    return r


@pytest.fixture
def record(db):
    return build_record()


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


class Scorecards(HTMLParser):
    """Each follow-through section of a page: its heading, figures and outcome table rows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections, self.depth, self.text, self.row, self.where = [], 0, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "follow-through" in attrs.get("class", "").split():
            self.sections.append({"heading": "", "figures": {}, "rows": {}, "footer": None})
            self.depth = 1
        elif tag == "section" and self.depth:
            self.depth += 1
        if not self.depth:
            return
        if tag in ("h2", "h3", "dt", "dd", "th", "td"):
            self.text = []
        if tag == "tr":
            self.row = []
        if tag in ("tbody", "tfoot"):
            self.where = tag

    def handle_endtag(self, tag):
        if not self.depth:
            return
        section = self.sections[-1]
        text = " ".join("".join(self.text or []).split())
        if tag in ("h2", "h3") and not section["heading"]:
            section["heading"] = text
        elif tag == "dt":
            self.term = text
        elif tag == "dd":
            section["figures"][self.term] = text
        elif tag in ("th", "td") and self.row is not None:
            self.row.append(text)
        elif tag == "tr" and self.row is not None and self.where in ("tbody", "tfoot"):
            if self.where == "tbody":
                section["rows"][self.row[0]] = tuple(self.row[1:])
            else:
                section["footer"] = tuple(self.row)
            self.row = None
        elif tag == "section":
            self.depth -= 1
        if tag in ("dt", "dd", "th", "td", "h2", "h3"):
            self.text = None

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def scorecards(response):
    parser = Scorecards()
    parser.feed(response.content.decode())
    return parser.sections


CEREMONY_ROWS = {
    # outcome: (deals, share of deals, value, share of value)
    "Completed": ("2", "29%", "US$500 million", "24%"),
    "In progress": ("1", "14%", "US$300 million", "14%"),
    "Signed, nothing since": ("1", "14%", "US$1 billion", "48%"),
    "Superseded by a follow-on": ("1", "14%", "US$100 million", "5%"),
    "Announced, no news of signing": ("1", "14%", "not converted to US$", "—"),
    "Stalled": ("0", "—", "—", "—"),
    "Cancelled": ("1", "14%", "US$200 million", "10%"),
}


# --- the ceremony page ------------------------------------------------------------------


def test_the_ceremony_scorecard_gives_exact_figures_per_outcome(client, record):
    response = get(client, record.ceremony.get_absolute_url())

    [card] = scorecards(response)
    assert card["heading"] == "Follow-through"
    assert card["rows"] == CEREMONY_ROWS
    assert card["footer"] == ("Announced", "7", "100%", "US$2.1 billion", "100%")
    assert card["figures"]["Completed"] == "2 of 7 deals"
    assert card["figures"]["Realised value"] == "24% of the value"
    assert card["figures"]["Latest evidence"] == f"{recently():%-d %B %Y}"
    assert card["figures"]["Needing a follow-up"] == "3 deals"
    text = read(response).main_text
    assert "US$500 million of US$2.1 billion announced realised (completed)." in text
    assert "3 deals with no news for more than 12 months" in text


def test_the_ceremony_scorecard_never_counts_a_draft(client, record):
    before = get(client, record.ceremony.get_absolute_url()).content.decode()
    record.draft.delete()
    after = get(client, record.ceremony.get_absolute_url()).content.decode()

    assert "Secret deal" not in before
    assert "Draft news" not in before
    assert before == after  # the draft, US$9 billion and completed, changed nothing


def test_the_ceremony_page_draws_the_follow_through_chart_with_patterns_and_a_legend(
    client, record
):
    html = get(client, record.ceremony.get_absolute_url()).content.decode()

    start = html.index('<figure class="chart chart-follow-through">')
    figure = html[start : html.index("</figure>", start)]
    assert '<title id="follow-through-title">What became of the deals announced</title>' in figure
    assert "Value in US dollars by outcome: completed: US$500 million (24%);" in figure
    for outcome in ("completed", "in_progress", "signed_only", "superseded", "cancelled"):
        assert f'<pattern id="follow-through-{outcome}"' in figure
        assert f'fill="url(#follow-through-{outcome})"' in figure
    assert 'id="follow-through-stalled"' not in figure  # no stalled deal: nothing drawn
    assert "Value: US$2.1 billion" in figure
    assert "Deals: 7" in figure
    assert "style=" not in figure and "<script" not in figure  # the CSP allows neither
    assert 'Completed</span> <span class="legend-figures">2 deals (29%); US$500 million (24%)' in (
        figure
    )


def test_the_ceremony_timeline_lists_published_updates_newest_first_with_quote_and_source(
    client, record
):
    html = get(client, record.ceremony.get_absolute_url()).content.decode()
    timeline = html[html.index('id="became"') : html.index("</ol>", html.index('id="became"'))]

    assert "Draft news" not in timeline
    assert "Construction started" not in timeline  # deal E is not one of the ceremony's
    notes = ["Delivered.", "Last delivery made.", "Called off.", "First deliveries.", "Signed in"]
    positions = [timeline.index(note) for note in notes]
    assert positions == sorted(positions)
    assert (
        '<blockquote cite="https://news.example.org/' in timeline[timeline.index("Called off.") :]
    )
    assert "Both sides agreed to end the agreement." in timeline
    assert "Source: <a href=" in timeline
    assert "No source is recorded for this update." in timeline  # G's
    assert f'href="{record.c.get_absolute_url()}">Deal C</a>' in timeline


# --- the deal page ----------------------------------------------------------------------


def test_a_deal_page_shows_each_update_with_its_quote_and_source(client, record):
    response = get(client, record.a.get_absolute_url())
    html = response.content.decode()

    assert html.count("<li><time") == 2
    assert "<blockquote" in html and "The final shipment arrived on schedule" in html
    assert "Source: <a href=" in html
    text = read(response).main_text
    assert "Status completed" in text
    assert "Outcome" not in text  # the same as its status: said once
    assert "No news since" not in text


def test_a_deal_without_news_for_a_year_says_since_when(client, record):
    text = read(get(client, record.b.get_absolute_url())).main_text

    assert "No news since 1 June 2018: nothing later about this deal is on record" in text
    assert "Status in progress" in text


def test_a_superseded_deal_names_its_follow_on_and_is_not_flagged_stale(client, record):
    response = get(client, record.d.get_absolute_url())
    text = read(response).main_text

    assert "Outcome superseded by a follow-on" in text
    assert "Superseded by a follow-on: Deal E (1 May 2018)." in text
    assert (record.e.get_absolute_url(), "Deal E") in read(response).links
    assert "No news since" not in text


def test_a_deal_superseded_only_by_a_draft_is_not_superseded(client, record):
    record.e.is_published = False
    record.e.save()

    text = read(get(client, record.d.get_absolute_url())).main_text

    assert "Outcome signed, nothing since" in text
    assert "No news since 8 November 2017" in text
    assert "Deal E" not in text


def test_a_deal_page_links_the_parties_countries_to_their_pages(client, record):
    page = read(get(client, record.a.get_absolute_url()))

    assert ("/countries/cn/", "China") in page.links
    assert ("/countries/gb/", "United Kingdom") in page.links


# --- entity pages -----------------------------------------------------------------------


def test_the_occasion_page_shows_the_scorecard_of_all_its_ceremonies(client, record):
    [card] = scorecards(get(client, record.occasion.get_absolute_url()))

    assert card["rows"] == CEREMONY_ROWS  # deal E was signed at no ceremony
    assert card["footer"][1] == "7"


def test_a_party_with_subsidiaries_shows_itself_and_its_group_apart(client, record):
    response = get(client, record.group.get_absolute_url())
    itself, group = scorecards(response)

    assert itself["heading"] == "Example Holdings itself"
    # A, G (completed; G within F's figure, but F is not the party's own) and H.
    assert itself["rows"]["Completed"] == ("2", "67%", "US$900 million", "100%")
    assert itself["rows"]["Announced, no news of signing"][:3] == (
        "1",
        "33%",
        "not converted to US$",
    )
    assert itself["footer"][1:4] == ("3", "100%", "US$900 million")
    assert group["heading"] == "Example Holdings with its subsidiaries"
    # Three levels: A, G, H of the group; B, C, D, E of its subsidiary; F of the one below.
    assert group["footer"][1:4] == ("8", "100%", "US$2.15 billion")
    # D is superseded, and its money is in E's figure: E is one of the group's deals.
    assert group["rows"]["Superseded by a follow-on"][:3] == (
        "1",
        "13%",
        "counted in another deal’s figure",
    )
    assert group["rows"]["In progress"][:3] == ("2", "25%", "US$450 million")
    assert group["rows"]["Completed"][:3] == ("2", "25%", "US$500 million")
    html = response.content.decode()
    assert 'id="follow-through-group-completed"' in html and 'id="follow-through-completed"' in html
    assert not skipped_heading_levels(read(response))


def test_a_party_without_subsidiaries_shows_one_scorecard(client, record):
    [card] = scorecards(get(client, record.grandchild.get_absolute_url()))

    assert card["heading"] == "Follow-through"
    assert card["footer"][1:4] == ("1", "100%", "US$1 billion")


def test_the_sector_page_shows_the_scorecard_without_the_draft(client, record):
    [card] = scorecards(get(client, record.sector.get_absolute_url()))

    assert card["footer"][1:4] == ("8", "100%", "US$2.15 billion")
    assert card["rows"]["Completed"][:3] == ("2", "25%", "US$500 million")


def test_with_subsidiaries_is_the_party_and_every_level_below_it(record):
    assert set(record.group.with_subsidiaries()) == {
        record.group,
        record.subsidiary,
        record.grandchild,
    }
    assert set(record.subsidiary.with_subsidiaries()) == {record.subsidiary, record.grandchild}
    assert list(record.grandchild.with_subsidiaries()) == [record.grandchild]


# --- the country page -------------------------------------------------------------------


def test_the_country_page_lists_its_deals_with_totals_and_scorecard(client, record):
    response = get(client, "/countries/cn/")
    page = read(response)

    assert page.headings[0] == (1, "China")
    assert page.title == "China: deals · Deal Tracker"
    assert "Published deals 8" in page.main_text
    assert "Secret deal" not in page.main_text
    [card] = scorecards(response)
    assert card["footer"][1:4] == ("8", "100%", "US$2.15 billion")
    assert ("/deals/?country=CN", "Filter and sort the deals with a party from China") in page.links


def test_the_country_page_answers_an_upper_case_code_with_its_address(client, record):
    response = client.get("/countries/CN/")

    assert response.status_code == 301
    assert response["Location"] == "/countries/cn/"


@pytest.mark.parametrize("code", ["zz", "chn", "156", "c1"])
def test_the_country_page_of_an_unknown_code_is_not_found(client, record, code):
    assert client.get(f"/countries/{code}/").status_code == 404


def test_a_country_with_only_draft_deals_has_no_page(client, db):
    draft = DealFactory(is_published=False)
    DealPartyFactory(deal=draft, party__country="FR")

    assert client.get("/countries/fr/").status_code == 404
    assert client.get("/countries/de/").status_code == 404  # no deal at all


def test_the_party_page_links_its_country_when_it_has_published_deals(client, record):
    page = read(get(client, record.group.get_absolute_url()))
    assert ("/countries/gb/", "United Kingdom") in page.links

    lone = PartyFactory(country="FR", slug="lone")
    page = read(get(client, lone.get_absolute_url()))
    assert "Country France" in page.main_text
    assert not any(href.startswith("/countries/") for href, _ in page.links)


# --- what the pages cost ----------------------------------------------------------------


def add_deals(record, count, start):
    """`count` more published deals of the ceremony, each with two updates and a draft."""
    for number in range(start, start + count):
        deal = DealFactory(
            title=f"More {number}",
            slug=f"more-{number}",
            sector=record.sector,
            ceremony=record.ceremony,
            umbrella=record.f if number % 3 == 0 else None,
            follows=record.b if number % 4 == 0 else None,
            value_amount=None if number % 5 == 0 else (number + 1) * MILLION,
            value_qualifier=Qualifier.UNDISCLOSED if number % 5 == 0 else Qualifier.EXACT,
        )
        DealPartyFactory(deal=deal, party=record.subsidiary if number % 2 else record.grandchild)
        DealPartyFactory(deal=deal, party=record.buyer)
        add_update(deal, "signed", CEREMONY_DAY, quote="Signed.")
        add_update(deal, "in_progress", recently(), quote="Under way.")
        DealFactory(slug=f"more-draft-{number}", ceremony=record.ceremony, is_published=False)


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


# (page, the most queries it may cost)
# Entity pages page their deals ids first (deals/pagination.py): one query more. Every
# page but a deal's own reads when the record last changed, for its footer ("Last
# updated", deals/templatetags/trust.py): one more again.
PAGES = [
    ("ceremony", 11),
    ("occasion", 11),
    ("group", 13),  # its own scorecard, and its group’s: a query per level (3), then one
    ("sector", 8),
    ("country", 6),
    ("deal", 8),
]


def url_of(record, name):
    return {
        "ceremony": record.ceremony.get_absolute_url(),
        "occasion": record.occasion.get_absolute_url(),
        "group": record.group.get_absolute_url(),
        "sector": record.sector.get_absolute_url(),
        "country": "/countries/cn/",
        "deal": record.b.get_absolute_url(),
    }[name]


@pytest.mark.parametrize(("name", "bound"), PAGES)
def test_a_follow_through_page_costs_the_same_queries_for_3_and_for_30_deals(
    client, record, django_assert_max_num_queries, name, bound
):
    url = url_of(record, name)
    add_deals(record, 3, start=0)
    few = queries(client, url)

    add_deals(record, 27, start=3)
    many = queries(client, url)

    assert many == few, f"{url}: {few} queries for 3 more deals, {many} for 30"
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


def test_the_ceremony_timeline_shows_at_most_its_latest_hundred_updates(client, record):
    add_deals(record, 50, start=0)  # 100 updates more

    html = get(client, record.ceremony.get_absolute_url()).content.decode()
    timeline = html[html.index('id="became"') : html.index("</section>", html.index('id="became"'))]

    assert timeline.count("<li><time") == 100
    assert "the latest 100 are shown here, and each deal’s page has all of its own" in timeline
