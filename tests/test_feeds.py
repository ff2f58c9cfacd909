import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deals.feeds import FEED_LENGTH
from tests.factories import DealFactory

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URL = reverse("deals:feed")


def at(day, hour=12):
    return datetime.datetime(2026, 11, day, hour, tzinfo=datetime.UTC)


def read_feed(client):
    response = client.get(FEED_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def entries_of(feed):
    return feed.findall(f"{ATOM}entry")


def text(element, name):
    return element.find(f"{ATOM}{name}").text


def test_it_is_an_atom_feed_whose_entries_carry_what_readers_need(client, db):
    deal = DealFactory(
        slug="jd-food",
        title="JD.com to buy US food",
        summary="JD.com pledged to buy food.",
        value_qualifier="more_than",
        published_at=at(20),
    )

    feed = read_feed(client)

    assert feed.tag == f"{ATOM}feed"
    assert text(feed, "title") == "Deal Tracker: newly published deals"
    assert text(feed, "id")
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Deal Tracker"
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"http://testserver{FEED_URL}"
    (entry,) = entries_of(feed)
    assert text(entry, "title") == "JD.com to buy US food"
    link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert link == "http://testserver/deals/jd-food/"
    assert text(entry, "id") == link
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text.startswith("JD.com pledged to buy food. Value: more than US$1 million.")
    assert datetime.datetime.fromisoformat(text(entry, "published")) == at(20)
    deal.refresh_from_db()
    assert datetime.datetime.fromisoformat(text(entry, "updated")) == deal.updated_at
    assert datetime.datetime.fromisoformat(text(feed, "updated")) == deal.updated_at


def test_the_alternate_link_of_every_page_points_at_the_feed(client, db):
    response = client.get(reverse("deals:home"))

    assert (
        f'<link rel="alternate" type="application/atom+xml" '
        f'title="Deal Tracker: newly published deals" href="{FEED_URL}">'
    ) in response.content.decode()


def test_drafts_never_appear_in_the_feed(client, db):
    DealFactory(slug="published", published_at=at(1))
    DealFactory(slug="draft", title="Secret draft", is_published=False)

    response = client.get(FEED_URL)

    ids = [text(entry, "id") for entry in entries_of(ET.fromstring(response.content))]
    assert ids == ["http://testserver/deals/published/"]
    assert b"draft" not in response.content.lower()


def test_entries_come_newest_published_first_whatever_their_signing_date(client, db):
    DealFactory(slug="old-news", signed_on=datetime.date(2026, 1, 1), published_at=at(10))
    DealFactory(slug="newest", signed_on=datetime.date(2017, 1, 1), published_at=at(12))
    DealFactory(slug="middle", signed_on=datetime.date(2020, 1, 1), published_at=at(11))

    feed = read_feed(client)

    links = [e.find(f"{ATOM}link").get("href").split("/")[-2] for e in entries_of(feed)]
    assert links == ["newest", "middle", "old-news"]


def test_it_holds_only_the_latest_entries(client, db):
    for n in range(FEED_LENGTH + 2):
        DealFactory(slug=f"deal-{n}", published_at=at(1) + datetime.timedelta(minutes=n))

    entries = entries_of(read_feed(client))

    assert len(entries) == FEED_LENGTH
    assert text(entries[0], "id").endswith("/deal-51/")
    assert not any(text(e, "id").endswith(("/deal-0/", "/deal-1/")) for e in entries)


def test_markup_in_a_title_or_summary_reaches_readers_as_text(client, db):
    DealFactory(title="AT&T <b>deal</b>", summary="Fish & chips <script>x</script>")

    (entry,) = entries_of(read_feed(client))

    assert text(entry, "title") == "AT&T <b>deal</b>"
    # type="html": the reader un-escapes once, and must find text, not a script element.
    assert text(entry, "summary").startswith("Fish &amp; chips &lt;script&gt;x&lt;/script&gt;")


def queries_for_feed(client):
    with CaptureQueriesContext(connection) as queries:
        read_feed(client)
    return len(queries)


@pytest.mark.parametrize("more", [10, 60])
def test_the_number_of_queries_does_not_grow_with_the_number_of_deals(client, db, more):
    DealFactory.create_batch(3)
    for_three = queries_for_feed(client)
    DealFactory.create_batch(more)

    assert queries_for_feed(client) == for_three == 1
