"""Every surface of the follow-through scorecard gives the same figures: the page, the
API, the CSV and the Atom feed all read DealQuerySet.follow_through() of one scope."""

import csv
import html
import io
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from deals.models import Deal

ATOM = "{http://www.w3.org/2005/Atom}"


def scopes(record):
    published = Deal.objects.published()
    return [
        (
            "ceremony",
            record.ceremony,
            published.filter(ceremony=record.ceremony),
            f"/api/v1/ceremonies/{record.ceremony.pk}/follow-through/",
        ),
        (
            "occasion",
            record.occasion,
            published.filter(ceremony__occasion=record.occasion),
            f"/api/v1/occasions/{record.occasion.pk}/follow-through/",
        ),
    ]


@pytest.mark.parametrize("kind", ["ceremony", "occasion"])
def test_the_page_the_api_the_csv_and_the_feed_give_the_scorecards_figures(
    client, follow_through_record, kind
):
    (scope,) = [s for s in scopes(follow_through_record) if s[0] == kind]
    _, record, deals, api_path = scope
    card = deals.follow_through()  # today's: what every surface shows today

    page = html.unescape(client.get(record.get_absolute_url()).content.decode())
    api = client.get(api_path).json()
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse(f"deals:{kind}_follow_through_csv", args=[record.slug]))
                .content.decode()
                .removeprefix("\ufeff")
            )
        )
    )
    feed_path = reverse(f"deals:{kind}_follow_through_feed", args=[record.slug])
    feed = ElementTree.fromstring(client.get(feed_path).content)

    by_row = {row["row"]: row for row in rows}
    assert card.realised_display in page
    assert card.totals.display in page
    for outcome in card.outcomes:
        api_row = next(row for row in api["outcomes"] if row["outcome"] == outcome.outcome)
        assert api_row["count"] == outcome.totals.count
        assert api_row["display"] == outcome.totals.display
        assert by_row[outcome.outcome]["deal_count"] == str(outcome.totals.count)
        assert by_row[outcome.outcome]["display"] == outcome.totals.display
        if outcome.totals.amount_usd is not None:
            assert outcome.totals.display in page
    assert api["display"] == by_row["summary"]["display"] == card.display
    assert feed.find(f"{ATOM}subtitle").text == card.display
    assert api["stale_count"] == card.stale_count == int(by_row["stale"]["deal_count"])
    assert f"{card.stale_count} deals with no news for more than 12 months" in page
    # The draft's US$9.999 billion is nowhere.
    for surface in (page, str(api), str(rows), ElementTree.tostring(feed).decode()):
        assert "9.999" not in surface and "9999" not in surface
