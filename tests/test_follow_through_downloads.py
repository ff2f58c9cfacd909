"""The follow-through scorecard as CSV (/<scope>/<slug>/follow-through.csv) and the
follow-through Atom feeds (/feeds/follow-through/, /<scope>/<slug>/follow-through/feed/):
the same figures as the API and `DealQuerySet.follow_through()`."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deals.feeds import FEED_LENGTH
from deals.models import Deal, DealParty, FigureRow
from tests.factories import CeremonyFactory, DealFactory, SourceFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def read_csv(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def csv_path(kind, key):
    return reverse(f"deals:{kind}_follow_through_csv", args=[key])


def rows_by_name(rows, scope=None):
    return {row["row"]: row for row in rows if scope is None or row["scope"] == scope}


def expected_rows(scorecard):
    """{row: (deal_count, amount_usd, qualifier, plus_about_usd, plus_up_to_usd,
    as_stated_usd, display)} from a Scorecard."""

    def usd(amount):
        return "" if amount is None else f"{amount:.2f}"

    def cells(totals):
        return (
            str(totals.count),
            usd(totals.amount_usd),
            totals.qualifier,
            usd(totals.plus_about_usd),
            usd(totals.plus_up_to_usd),
            usd(totals.as_stated_usd),
            totals.display,
        )

    rows = {row.outcome: cells(row.totals) for row in scorecard.outcomes}
    rows["total"] = cells(scorecard.totals)
    rows["realised"] = cells(scorecard.realised)
    return rows


def as_cells(rows):
    return {
        name: (
            row["deal_count"],
            row["amount_usd"],
            row["qualifier"],
            row["plus_about_usd"],
            row["plus_up_to_usd"],
            row["as_stated_usd"],
            row["display"],
        )
        for name, row in rows.items()
        if name not in {"stale", "latest_evidence_on", "summary"}
    }


# --- CSV ------------------------------------------------------------------------------


def test_a_ceremony_csv_holds_the_exact_figures_of_the_record(client, scope_record):
    response = client.get(csv_path("ceremony", "great-hall"))
    rows = read_csv(client, csv_path("ceremony", "great-hall"))

    today = datetime.date.today()
    assert response["Content-Disposition"] == (
        f'attachment; filename="follow-through-ceremony-great-hall-{today:%Y-%m-%d}.csv"'
    )
    assert list(rows[0]) == [
        "scope",
        "row",
        "label",
        "deal_count",
        "amount_usd",
        "qualifier",
        "plus_about_usd",
        "plus_up_to_usd",
        "as_stated_usd",
        "display",
        "share_percent",
    ]
    assert [row["row"] for row in rows] == [
        "no_news",
        "signed_only",
        "in_progress",
        "completed",
        "stalled",
        "cancelled",
        "superseded",
        "total",
        "realised",
        "stale",
        "latest_evidence_on",
        "summary",
    ]
    assert {row["scope"] for row in rows} == {"Great Hall signings"}
    named = rows_by_name(rows)
    assert as_cells(named) == {
        "no_news": ("1", "", "exact", "", "", "", "not converted to US dollars"),
        "signed_only": (
            "1",
            "1000000000.00",
            "more_than",
            "",
            "",
            "1000000000.00",
            "more than US$1 billion",
        ),
        "in_progress": (
            "2",
            "200000000.00",
            "about",
            "",
            "",
            "200000000.00",
            "about US$200 million",
        ),
        "completed": ("1", "100000000.00", "exact", "", "", "100000000.00", "US$100 million"),
        "stalled": ("0", "", "exact", "", "", "", "none"),
        "cancelled": ("1", "50000000.00", "exact", "", "", "50000000.00", "US$50 million"),
        "superseded": ("1", "300000000.00", "exact", "", "", "300000000.00", "US$300 million"),
        "total": (
            "7",
            "1450000000.00",
            "more_than",
            "200000000.00",
            "",
            "1650000000.00",
            "more than US$1.45 billion plus about US$200 million",
        ),
        "realised": ("1", "100000000.00", "exact", "", "", "100000000.00", "US$100 million"),
    }
    assert named["no_news"]["label"] == "announced, no news of signing"
    assert named["realised"]["share_percent"] == "6"
    assert named["stale"]["deal_count"] == "4"
    assert named["stale"]["label"] == "open, no news for more than 12 months"
    assert named["latest_evidence_on"]["display"] == "2019-03-01"
    scorecard = Deal.objects.published().filter(ceremony=scope_record.ceremony)
    assert named["summary"]["display"] == scorecard.follow_through().display


def api_cells(totals):
    """A totals object of the API as the CSV's cells (as_cells)."""
    figures = ["amount_usd", "qualifier", "plus_about_usd", "plus_up_to_usd", "as_stated_usd"]
    return (
        str(totals["count"]),
        *(totals[name] or "" for name in figures),
        totals["display"],
    )


def test_every_csv_gives_the_figures_of_the_api(client, api_client, scope_record):
    record = scope_record
    scopes = [
        ("ceremony", "great-hall", f"ceremonies/{record.ceremony.pk}"),
        ("occasion", "state-visit", f"occasions/{record.occasion.pk}"),
        ("party", "bell", f"parties/{record.bell.pk}"),
        ("sector", "test-manufacturing", f"sectors/{record.section.pk}"),
        ("country", "CN", "countries/CN"),
    ]
    for kind, key, api_path in scopes:
        named = rows_by_name(read_csv(client, csv_path(kind, key)), scope=None)
        data = api_client.get(f"/api/v1/{api_path}/follow-through/").json()
        if kind == "party":
            named = rows_by_name(read_csv(client, csv_path(kind, key)), scope="Bell")
        api_rows = {row["outcome"]: api_cells(row) for row in data["outcomes"]}
        api_rows["total"] = api_cells(data["totals"])
        api_rows["realised"] = api_cells(data["realised"])
        assert as_cells(named) == api_rows, kind
        assert named["summary"]["display"] == data["display"], kind
        assert named["stale"]["deal_count"] == str(data["stale_count"]), kind


def test_a_party_csv_holds_the_party_itself_then_its_group(client, scope_record):
    record = scope_record

    rows = read_csv(client, csv_path("party", "textron"))

    assert [row["scope"] for row in rows] == ["Textron"] * 12 + ["Textron with subsidiaries"] * 12
    itself = rows_by_name(rows, scope="Textron")
    group = rows_by_name(rows, scope="Textron with subsidiaries")
    published = Deal.objects.published()
    assert as_cells(itself) == expected_rows(published.involving(record.textron).follow_through())
    group_deals = published.involving_any(record.textron.with_subsidiaries_ids())
    assert as_cells(group) == expected_rows(group_deals.follow_through())
    assert group["total"]["deal_count"] == "5"
    assert group["total"]["amount_usd"] == "1550000000.00"


def test_a_csv_never_counts_or_names_a_draft(client, scope_record):
    for kind, key in [("ceremony", "great-hall"), ("party", "bell"), ("country", "US")]:
        response = client.get(csv_path(kind, key))

        text = response.content.decode()
        assert "37000000000" not in text
        assert "Secret draft" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/ceremonies/no-such-ceremony/follow-through.csv",
        "/occasions/no-such-occasion/follow-through.csv",
        "/parties/no-such-party/follow-through.csv",
        "/sectors/no-such-sector/follow-through.csv",
        "/countries/XX/follow-through.csv",
        "/countries/cn/follow-through.csv",
        "/countries/CHN/follow-through.csv",
    ],
)
def test_an_unknown_slug_or_code_is_a_404(client, db, path):
    assert client.get(path).status_code == 404


def test_a_name_a_spreadsheet_would_run_arrives_as_text(client, db):
    CeremonyFactory(name='=HYPERLINK("https://evil.example")', slug="formula")

    rows = read_csv(client, csv_path("ceremony", "formula"))

    assert rows[0]["scope"] == '\'=HYPERLINK("https://evil.example")'


def more_deals(record, count):
    for _ in range(count):
        deal = DealFactory(ceremony=record.ceremony, sector=record.section)
        DealParty.objects.create(deal=deal, party=record.bell, role=DealParty.Role.SELLER)
        deal.record_status(Deal.Status.IN_PROGRESS, on=datetime.date(2019, 1, 1), note="On track.")


def queries_for(client, path):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def every_path():
    return {
        csv_path("ceremony", "great-hall"): 3,
        csv_path("occasion", "state-visit"): 3,
        csv_path("sector", "test-manufacturing"): 3,
        csv_path("country", "US"): 2,
        csv_path("party", "textron"): 7,
        reverse("deals:follow_through_feed"): 1,
        reverse("deals:ceremony_follow_through_feed", args=["great-hall"]): 4,
        reverse("deals:occasion_follow_through_feed", args=["state-visit"]): 4,
    }


def test_every_csv_and_feed_costs_the_same_queries_for_3_or_30_more_deals(
    client, scope_record, django_assert_max_num_queries
):
    more_deals(scope_record, 3)
    FigureRow.objects.current()  # kept figures made, as by the first reader after writes
    few = {path: queries_for(client, path) for path in every_path()}
    more_deals(scope_record, 27)
    FigureRow.objects.current()

    many = {path: queries_for(client, path) for path in every_path()}

    assert many == few
    for path, limit in every_path().items():
        cache.clear()
        with django_assert_max_num_queries(limit):
            client.get(path)


# --- feeds --------------------------------------------------------------------------------


def read_feed(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def text(element, name):
    return element.find(f"{ATOM}{name}").text


def entries_of(feed):
    return feed.findall(f"{ATOM}entry")


def test_the_follow_through_feed_tells_the_newest_status_updates_first(client, scope_record):
    feed = read_feed(client, reverse("deals:follow_through_feed"))

    assert text(feed, "title") == "Deal Tracker: follow-through"
    assert text(feed, "id") == "http://testserver/feeds/follow-through/"
    entries = entries_of(feed)
    titles = [text(entry, "title") for entry in entries]
    assert titles == [
        "Completed contract: completed, 1 Mar 2019",
        "Canada component: in progress, 1 Jul 2018",
        "Jd purchases: in progress, 1 Jun 2018",
        "Engine contract: signed, 1 May 2018",
        "Cancelled plant: cancelled, 1 Feb 2018",
        "Rmb deal: announced, 8 Nov 2017",
    ]
    first = entries[0]
    update = scope_record.completed.status_updates.get()
    link = f"http://testserver/deals/completed-contract/#status-update-{update.pk}"
    assert first.find(f"{ATOM}link[@rel='alternate']").get("href") == link
    assert text(first, "id") == link
    assert datetime.datetime.fromisoformat(text(first, "published")) == datetime.datetime(
        2019, 3, 1, tzinfo=datetime.UTC
    )
    summary = text(first, "summary")  # HTML, escaped once in the XML
    assert summary == (
        "Completed contract: completed on 1 Mar 2019. All helicopters delivered. "
        "“The last of the helicopters was handed over in March.” "
        'Source: <a href="https://news.example.org/follow-up">A year on</a>.'
    )


def test_the_follow_through_feed_never_tells_of_a_draft(client, scope_record):
    response = client.get(reverse("deals:follow_through_feed"))

    assert b"Secret draft" not in response.content
    assert b"secret-draft" not in response.content
    assert len(entries_of(ET.fromstring(response.content))) == 6


def test_two_updates_of_one_deal_are_two_entries(client, scope_record):
    deal = scope_record.completed
    deal.record_status(Deal.Status.IN_PROGRESS, on=datetime.date(2018, 1, 1))

    entries = entries_of(read_feed(client, reverse("deals:follow_through_feed")))

    ids = [text(entry, "id") for entry in entries]
    assert len(ids) == len(set(ids)) == 7


def test_markup_in_a_note_or_quote_reaches_readers_as_text(client, db):
    deal = DealFactory(title="AT&T <b>deal</b>")
    update = deal.record_status(
        Deal.Status.STALLED, on=datetime.date(2020, 1, 1), note="<script>x</script>"
    )
    update.quote = "Fish & chips"
    update.source = SourceFactory(url="https://news.example.org/?a=1&b=2", title="<i>T</i>")
    update.save()

    (entry,) = entries_of(read_feed(client, reverse("deals:follow_through_feed")))

    assert text(entry, "title") == "AT&T <b>deal</b>: stalled, 1 Jan 2020"
    assert text(entry, "summary") == (
        "AT&amp;T &lt;b&gt;deal&lt;/b&gt;: stalled on 1 Jan 2020. &lt;script&gt;x&lt;/script&gt; "
        "“Fish &amp; chips” "
        'Source: <a href="https://news.example.org/?a=1&amp;b=2">&lt;i&gt;T&lt;/i&gt;</a>.'
    )


def test_it_holds_only_the_latest_updates(client, db):
    deal = DealFactory()
    for day in range(FEED_LENGTH + 2):
        deal.status_updates.create(
            status=Deal.Status.IN_PROGRESS,
            date=datetime.date(2018, 1, 1) + datetime.timedelta(days=day),
        )

    entries = entries_of(read_feed(client, reverse("deals:follow_through_feed")))

    assert len(entries) == FEED_LENGTH
    assert text(entries[0], "title").endswith("21 Feb 2018")  # the 52nd day
    assert text(entries[-1], "title").endswith(" 3 Jan 2018")  # the first two left out


@pytest.mark.parametrize("kind, key", [("ceremony", "great-hall"), ("occasion", "state-visit")])
def test_a_scope_feed_gives_the_scorecard_of_its_page_api_and_csv(
    client, api_client, scope_record, kind, key
):
    record = scope_record
    scope = record.ceremony if kind == "ceremony" else record.occasion
    resource = "ceremonies" if kind == "ceremony" else "occasions"

    feed = read_feed(client, reverse(f"deals:{kind}_follow_through_feed", args=[key]))

    published = Deal.objects.published()
    deals = (
        published.filter(ceremony=scope)
        if kind == "ceremony"
        else published.filter(ceremony__occasion=scope)
    )
    display = deals.follow_through().display
    assert text(feed, "subtitle") == display
    assert text(feed, "title") == f"Deal Tracker: follow-through of {scope.name}"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == (
        f"http://testserver{scope.get_absolute_url()}"
    )
    api = api_client.get(f"/api/v1/{resource}/{scope.pk}/follow-through/").json()
    assert api["display"] == display
    rows = rows_by_name(read_csv(client, csv_path(kind, key)))
    assert rows["summary"]["display"] == display


def test_a_ceremony_feed_tells_only_of_its_own_deals(client, scope_record):
    feed = read_feed(client, reverse("deals:ceremony_follow_through_feed", args=["great-hall"]))

    titles = [text(entry, "title") for entry in entries_of(feed)]
    # The engine contract was signed at the later ceremony; the draft never shows.
    assert titles == [
        "Completed contract: completed, 1 Mar 2019",
        "Canada component: in progress, 1 Jul 2018",
        "Jd purchases: in progress, 1 Jun 2018",
        "Cancelled plant: cancelled, 1 Feb 2018",
        "Rmb deal: announced, 8 Nov 2017",
    ]


def test_an_occasion_feed_tells_of_every_ceremony_of_it(client, scope_record):
    feed = read_feed(client, reverse("deals:occasion_follow_through_feed", args=["state-visit"]))

    assert len(entries_of(feed)) == 6


@pytest.mark.parametrize(
    "path",
    ["/ceremonies/no-such/follow-through/feed/", "/occasions/no-such/follow-through/feed/"],
)
def test_the_feed_of_an_unknown_scope_is_a_404(client, db, path):
    assert client.get(path).status_code == 404
