"""The follow-through scorecard in the API: /api/v1/<resource>/{id}/follow-through/ for
ceremonies, occasions, parties (itself and with subsidiaries), sectors and countries."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.models import Deal, DealParty, FigureRow
from tests.factories import DealFactory, PartyFactory

API = "/api/v1/"


def follow_through(client, path, **params):
    response = client.get(f"{API}{path}follow-through/", params)
    assert response.status_code == 200, response.content
    return response.json()


def usd(amount):
    return None if amount is None else f"{amount:.2f}"


def figures(scorecard):
    """The scorecard as the API writes it, from a Scorecard: what every surface must give."""

    def totals(t):
        return {
            "count": t.count,
            "disclosed_count": t.disclosed_count,
            "undisclosed_count": t.undisclosed_count,
            "unconverted_count": t.unconverted_count,
            "amount_usd": None if t.amount_usd is None else f"{t.amount_usd:.2f}",
            "qualifier": t.qualifier,
            "plus_about_usd": usd(t.plus_about_usd),
            "plus_up_to_usd": usd(t.plus_up_to_usd),
            "as_stated_usd": usd(t.as_stated_usd),
            "display": t.display,
        }

    return {
        "totals": totals(scorecard.totals),
        "outcomes": [
            {"outcome": row.outcome, "label": row.label, **totals(row.totals)}
            for row in scorecard.outcomes
        ],
        "realised": {**totals(scorecard.realised), "share_percent": scorecard.realised_share},
        "realised_display": scorecard.realised_display,
        "counts_display": scorecard.counts_display,
        "latest_evidence_on": scorecard.latest_evidence_on
        and scorecard.latest_evidence_on.isoformat(),
        "stale_count": scorecard.stale_count,
        "follow_up_months": scorecard.follow_up_months,
        "display": scorecard.display,
    }


def without_scope(data):
    return {key: value for key, value in data.items() if key not in {"scope", "with_subsidiaries"}}


def by_outcome(data):
    return {row["outcome"]: (row["count"], row["amount_usd"]) for row in data["outcomes"]}


# --- the figures of the hand-built record -------------------------------------------------


def test_a_ceremony_scorecard_gives_the_exact_figures_of_the_record(api_client, scope_record):
    record = scope_record

    data = follow_through(api_client, f"ceremonies/{record.ceremony.pk}/")

    assert data["scope"] == {
        "kind": "ceremony",
        "id": record.ceremony.pk,
        "slug": "great-hall",
        "code": None,
        "name": "Great Hall signings",
        "url": f"http://testserver/api/v1/ceremonies/{record.ceremony.pk}/",
        "page_url": "http://testserver/ceremonies/great-hall/",
        "csv_url": "http://testserver/ceremonies/great-hall/follow-through.csv",
        "feed_url": "http://testserver/ceremonies/great-hall/follow-through/feed/",
    }
    # The draft (US$37 billion, completed) never counts; the component adds nothing to
    # its umbrella's figure; the RMB deal counts but has no USD amount; the MoU's
    # follow-on was signed at another ceremony, so its money counts here, superseded.
    assert data["totals"] == {
        "count": 7,
        "disclosed_count": 7,
        "undisclosed_count": 0,
        "unconverted_count": 1,
        # The exact figures and JD.com's "more than": a lower bound; the estimate
        # (about US$200 million) apart, since it cannot promise "more than".
        "amount_usd": "1450000000.00",
        "qualifier": "more_than",
        "plus_about_usd": "200000000.00",
        "plus_up_to_usd": None,
        "as_stated_usd": "1650000000.00",
        "display": "more than US$1.45 billion plus about US$200 million",
    }
    assert [row["outcome"] for row in data["outcomes"]] == [
        "no_news",
        "signed_only",
        "in_progress",
        "completed",
        "stalled",
        "cancelled",
        "superseded",
    ]
    assert by_outcome(data) == {
        "no_news": (1, None),
        "signed_only": (1, "1000000000.00"),
        "in_progress": (2, "200000000.00"),
        "completed": (1, "100000000.00"),
        "stalled": (0, None),
        "cancelled": (1, "50000000.00"),
        "superseded": (1, "300000000.00"),
    }
    no_news = data["outcomes"][0]
    assert no_news["label"] == "announced, no news of signing"
    assert no_news["unconverted_count"] == 1
    assert data["realised"] == {
        "count": 1,
        "disclosed_count": 1,
        "undisclosed_count": 0,
        "unconverted_count": 0,
        "amount_usd": "100000000.00",
        "qualifier": "exact",
        "plus_about_usd": None,
        "plus_up_to_usd": None,
        "as_stated_usd": "100000000.00",
        "display": "US$100 million",
        "share_percent": 6,
    }
    assert data["realised_display"] == (
        "US$100 million of more than US$1.45 billion plus about US$200 million announced "
        "realised (completed)."
    )
    assert data["latest_evidence_on"] == "2019-03-01"
    assert data["stale_count"] == 4  # the deal in progress, umbrella, component, RMB deal
    assert data["follow_up_months"] == 12
    assert data["display"] == (
        "7 deals: 1 announced, no news of signing; 1 signed, nothing since; 2 in progress; "
        "1 completed; 1 cancelled; 1 superseded by a follow-on. US$100 million of more "
        "than US$1.45 billion plus about US$200 million announced realised (completed). "
        "4 deals with no news for more than 12 months."
    )


def test_an_occasion_counts_a_memorandum_within_its_follow_on(api_client, scope_record):
    record = scope_record

    data = follow_through(api_client, f"occasions/{record.occasion.pk}/")

    # Both ceremonies: the contract (US$400 million) carries the MoU's money.
    assert data["totals"]["count"] == 8
    assert data["totals"]["as_stated_usd"] == "1750000000.00"
    assert by_outcome(data)["superseded"] == (1, None)
    assert by_outcome(data)["signed_only"] == (2, "1400000000.00")
    assert data["stale_count"] == 5
    assert data["scope"]["kind"] == "occasion"


def test_a_party_is_counted_itself_and_with_its_subsidiaries(api_client, scope_record):
    record = scope_record

    data = follow_through(api_client, f"parties/{record.textron.pk}/")

    assert data["scope"]["name"] == "Textron"
    assert data["scope"]["feed_url"] is None
    # Textron itself: the cancelled plant, the MoU and the contract that follows it.
    assert data["totals"]["count"] == 3
    assert data["totals"]["amount_usd"] == "450000000.00"
    group = data["with_subsidiaries"]
    # Bell's completed contract and Bell Canada's umbrella too, two levels down; the
    # draft Bell signed does not count.
    assert group["subsidiary_count"] == 2
    assert group["totals"]["count"] == 5
    assert group["totals"]["amount_usd"] == "1550000000.00"
    assert group["totals"]["display"] == "more than US$1.55 billion"
    assert by_outcome(group)["completed"] == (1, "100000000.00")
    group_deals = Deal.objects.published().involving_any(record.textron.with_subsidiaries_ids())
    assert {key: value for key, value in group.items() if key != "subsidiary_count"} == figures(
        group_deals.follow_through()
    )


def test_a_party_without_subsidiaries_counts_the_same_either_way(api_client, scope_record):
    data = follow_through(api_client, f"parties/{scope_record.jd.pk}/")

    assert data["with_subsidiaries"]["subsidiary_count"] == 0
    assert without_scope(data) == without_scope(
        {k: v for k, v in data["with_subsidiaries"].items() if k != "subsidiary_count"}
    )


def test_a_deal_two_parties_of_a_group_signed_counts_once_for_the_group(api_client, scope_record):
    record = scope_record
    DealParty.objects.create(
        deal=record.completed, party=record.textron, role=DealParty.Role.GUARANTOR
    )

    group = follow_through(api_client, f"parties/{record.textron.pk}/")["with_subsidiaries"]

    assert group["totals"]["count"] == 5


def test_every_scope_gives_the_figures_of_its_published_deals(api_client, scope_record):
    record = scope_record
    published = Deal.objects.published()
    scopes = [
        (f"ceremonies/{record.ceremony.pk}/", published.filter(ceremony=record.ceremony)),
        (f"occasions/{record.occasion.pk}/", published.filter(ceremony__occasion=record.occasion)),
        (f"parties/{record.bell.pk}/", published.involving(record.bell)),
        (f"sectors/{record.section.pk}/", published.in_sector(record.section)),
        (f"sectors/{record.division.pk}/", published.in_sector(record.division)),
        ("countries/CN/", published.from_country("CN")),
        ("countries/US/", published.from_country("US")),
    ]
    for path, deals in scopes:
        assert without_scope(follow_through(api_client, path)) == figures(deals.follow_through())


def test_a_sector_section_holds_its_divisions_deals(api_client, scope_record):
    record = scope_record

    section = follow_through(api_client, f"sectors/{record.section.pk}/")
    division = follow_through(api_client, f"sectors/{record.division.pk}/")

    assert section["totals"]["count"] == 8
    assert division["totals"]["count"] == 1
    assert by_outcome(division)["no_news"] == (1, None)


def test_a_country_counts_the_deals_any_party_from_it_signed(api_client, scope_record):
    data = follow_through(api_client, "countries/CN/")

    assert data["scope"] == {
        "kind": "country",
        "id": None,
        "slug": None,
        "code": "CN",
        "name": "China",
        "url": "http://testserver/api/v1/countries/CN/",
        "page_url": "http://testserver/countries/cn/",
        "csv_url": "http://testserver/countries/CN/follow-through.csv",
        "feed_url": None,
    }
    # JD.com: the deal in progress, the component (held in its umbrella? not here: the
    # umbrella is Canadian, so the component's money counts) and the RMB deal.
    assert data["totals"]["count"] == 3
    assert data["totals"]["amount_usd"] == "800000000.00"
    assert by_outcome(data)["in_progress"] == (2, "800000000.00")


def test_a_country_without_deals_has_an_empty_scorecard(api_client, scope_record):
    data = follow_through(api_client, "countries/FR/")

    assert data["totals"]["count"] == 0
    assert data["latest_evidence_on"] is None
    assert data["display"].startswith("0 deals: no deals.")


# --- countries ------------------------------------------------------------------------


def test_countries_list_those_with_published_deals_by_code(api_client, scope_record):
    PartyFactory(country="FR", slug="only-a-draft").deal_parties.create(
        deal=scope_record.draft, role=DealParty.Role.SELLER
    )

    response = api_client.get(f"{API}countries/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["results"] == [
        {
            "code": "CN",
            "name": "China",
            "url": "http://testserver/api/v1/countries/CN/",
            "page_url": "http://testserver/countries/cn/",
            "follow_through": "http://testserver/api/v1/countries/CN/follow-through/",
        },
        {
            "code": "US",
            "name": "United States of America",
            "url": "http://testserver/api/v1/countries/US/",
            "page_url": "http://testserver/countries/us/",
            "follow_through": "http://testserver/api/v1/countries/US/follow-through/",
        },
    ]


def test_a_country_reads_by_its_code(api_client, db):
    response = api_client.get(f"{API}countries/CN/")

    assert response.status_code == 200
    assert response.json()["name"] == "China"


@pytest.mark.parametrize("code", ["XX", "cn", "CHN", "C1", "zz"])
def test_anything_but_an_iso_code_in_capitals_is_a_json_404(api_client, db, code):
    for path in (f"{API}countries/{code}/", f"{API}countries/{code}/follow-through/"):
        response = api_client.get(path)

        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"


# --- drafts, errors, parameters -------------------------------------------------------


def test_drafts_never_count_even_for_staff_who_may_see_them(
    token_client, contributor, scope_record
):
    client = token_client(contributor)
    record = scope_record

    data = follow_through(client, f"ceremonies/{record.ceremony.pk}/")
    group = follow_through(client, f"parties/{record.textron.pk}/")["with_subsidiaries"]

    assert data["totals"]["count"] == 7
    assert data["realised"]["amount_usd"] == "100000000.00"
    assert group["totals"]["count"] == 5
    # The cancelled plant the draft follows stays cancelled, not superseded.
    assert by_outcome(data)["cancelled"] == (1, "50000000.00")
    # Staff see the draft in the list of deals, though.
    assert client.get(f"{API}deals/totals/", {"ceremony": "great-hall"}).json()["count"] == 8


def test_a_scope_of_drafts_only_counts_nothing(api_client, scope_record):
    party = PartyFactory(slug="drafts-only")
    DealParty.objects.create(deal=scope_record.draft, party=party, role=DealParty.Role.BUYER)

    data = follow_through(api_client, f"parties/{party.pk}/")

    assert data["totals"]["count"] == 0
    assert data["totals"]["amount_usd"] is None


@pytest.mark.parametrize("resource", ["ceremonies", "occasions", "parties", "sectors"])
@pytest.mark.parametrize("key", ["999999", "abc", "0"])
def test_an_unknown_record_is_a_json_404(api_client, db, resource, key):
    response = api_client.get(f"{API}{resource}/{key}/follow-through/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_parameter_is_a_400_naming_it(api_client, scope_record):
    record = scope_record
    paths = [
        f"ceremonies/{record.ceremony.pk}/follow-through/",
        f"occasions/{record.occasion.pk}/follow-through/",
        f"parties/{record.textron.pk}/follow-through/",
        f"sectors/{record.section.pk}/follow-through/",
        "countries/CN/follow-through/",
        "countries/CN/",
        "countries/",
    ]
    for path in paths:
        response = api_client.get(f"{API}{path}", {"status": "completed"})

        assert response.status_code == 400, path
        error = response.json()["error"]
        assert error["code"] == "unknown_parameter"
        assert list(error["fields"]) == ["status"]


def test_a_follow_through_knows_no_page_and_the_country_list_does(api_client, db):
    assert api_client.get(f"{API}countries/CN/follow-through/", {"page": 1}).status_code == 400
    assert api_client.get(f"{API}countries/", {"page_size": 1}).status_code == 200


def test_writes_are_not_allowed(token_client, editor, scope_record):
    client = token_client(editor)
    ceremony = scope_record.ceremony

    assert client.post(f"{API}ceremonies/{ceremony.pk}/follow-through/").status_code == 405
    assert client.post(f"{API}countries/", {}, format="json").status_code == 405


# --- the schema ---------------------------------------------------------------------------


def test_the_schema_documents_every_follow_through_with_its_shape(api_client, db):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]

    for resource, component in [
        ("ceremonies/{id}", "FollowThrough"),
        ("occasions/{id}", "FollowThrough"),
        ("parties/{id}", "PartyFollowThrough"),
        ("sectors/{id}", "FollowThrough"),
        ("countries/{code}", "FollowThrough"),
    ]:
        operation = paths[f"/api/v1/{resource}/follow-through/"]["get"]
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{component}"}, resource
        assert "Published deals only" in operation["description"]
    assert {"/api/v1/countries/", "/api/v1/countries/{code}/"} <= set(paths)
    fields = schema["components"]["schemas"]["FollowThrough"]["properties"]
    assert set(fields) == {
        "scope",
        "totals",
        "outcomes",
        "realised",
        "realised_display",
        "counts_display",
        "latest_evidence_on",
        "stale_count",
        "follow_up_months",
        "display",
    }
    party_fields = schema["components"]["schemas"]["PartyFollowThrough"]["properties"]
    assert "with_subsidiaries" in party_fields


# --- cost -------------------------------------------------------------------------------


def more_deals(record, count):
    """`count` more published deals at the ceremony, each with a party and an update."""
    for _ in range(count):
        deal = DealFactory(ceremony=record.ceremony, sector=record.section)
        DealParty.objects.create(deal=deal, party=record.bell, role=DealParty.Role.SELLER)
        deal.record_status(Deal.Status.IN_PROGRESS, on=datetime.date(2019, 1, 1))


def queries_for(client, path):
    cache.clear()  # with the public cache on, measure the answer made, not remembered
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


def every_path(record):
    return {
        f"{API}ceremonies/{record.ceremony.pk}/follow-through/": 3,
        f"{API}occasions/{record.occasion.pk}/follow-through/": 3,
        f"{API}sectors/{record.section.pk}/follow-through/": 3,
        f"{API}countries/US/follow-through/": 2,
        # Whether any deal waits to be recomputed, then the kept countries.
        f"{API}countries/": 2,
        # The party, itself, then its group: one query per level (2) and one to find
        # the last level empty, then the group's scorecard.
        f"{API}parties/{record.textron.pk}/follow-through/": 7,
    }


def test_every_follow_through_costs_the_same_queries_for_3_or_30_more_deals(
    api_client, scope_record, django_assert_max_num_queries
):
    record = scope_record
    more_deals(record, 3)
    FigureRow.objects.current()  # kept figures made, as by the first reader after writes
    few = {path: queries_for(api_client, path) for path in every_path(record)}
    more_deals(record, 27)
    FigureRow.objects.current()

    many = {path: queries_for(api_client, path) for path in every_path(record)}

    assert many == few
    for path, limit in every_path(record).items():
        cache.clear()
        with django_assert_max_num_queries(limit):
            api_client.get(path)


def test_the_scorecard_is_remembered_until_the_record_changes(
    token_client, editor, scope_record, settings
):
    settings.PUBLIC_CACHE_SECONDS = 600  # a signed-in client: the figures, not the answer
    cache.clear()
    client = token_client(editor)
    path = f"ceremonies/{scope_record.ceremony.pk}/"
    first = follow_through(client, path)

    with CaptureQueriesContext(connection) as queries:
        assert follow_through(client, path) == first
    assert not any("GROUP BY" in query["sql"] for query in queries.captured_queries)

    DealFactory(ceremony=scope_record.ceremony, value_amount=Decimal("1"))
    assert follow_through(client, path)["totals"]["count"] == 8
