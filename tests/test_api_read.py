"""Reading the record through /api/v1/: shapes, filters, pagination, drafts, queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.models import Deal, DealParty, DealSource, FigureRow, Sector
from tests.factories import DealFactory, PartyFactory, SourceFactory, UserFactory

API = "/api/v1/"
RESOURCES = ["deals", "ceremonies", "occasions", "venues", "parties", "sectors"]


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def error(response):
    return response.json()["error"]


# --- shapes ---------------------------------------------------------------------------


def test_the_api_root_links_every_resource(api_client, db):
    response = api_client.get(API)

    assert response.status_code == 200
    # Countries are not records (no id or slug): tests/test_api_follow_through.py.
    assert set(response.json()) == {*RESOURCES, "countries"}


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_resource_lists_objects_with_id_slug_url_and_page_url(
    api_client, api_record, resource
):
    response = api_client.get(f"{API}{resource}/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    first = body["results"][0]
    assert isinstance(first["id"], int)
    assert first["slug"]
    assert first["url"] == f"http://testserver{API}{resource}/{first['id']}/"
    assert first["page_url"].startswith("http://testserver/")
    detail = api_client.get(first["url"])
    assert detail.status_code == 200
    assert detail.json() == first


def test_a_deal_reads_as_the_design_says(api_client, api_record):
    record = api_record

    deal = api_client.get(f"{API}deals/{record.pledge.pk}/").json()

    assert deal["slug"] == "jd-food"
    assert deal["page_url"] == "http://testserver/deals/jd-food/"
    assert deal["parties"] == [
        {
            "party": {"id": record.jd.pk, "slug": "jd-com", "name": "JD.com", "country": "CN"},
            "role": "buyer",
            "signatory_name": "",
            "signatory_title": "",
        }
    ]
    assert deal["sector"] == {
        "id": record.food.pk,
        "slug": record.food.slug,
        "name": record.food.name,
        "code": "10",
    }
    assert deal["ceremony"] == {
        "id": record.ceremony.pk,
        "slug": "great-hall-signings",
        "name": "Great Hall signings",
        "date": "2017-11-08",
    }
    assert deal["signed_on"] == "2017-11-08"
    assert deal["instrument"] == "memorandum_of_understanding"
    assert deal["is_binding"] is False
    assert deal["status"] == "in_progress"
    assert deal["status_updates"] == [
        {
            "date": "2018-06-01",
            "status": "in_progress",
            "note": "",
            "quote": "",
            "source": {
                "id": record.report.pk,
                "url": "https://news.example.org/great-hall",
                "publisher": "Reuters",
                "title": record.report.title,
                "published_on": "2017-11-08",
            },
        }
    ]
    assert deal["value"] == {
        "amount": "2000000000.00",
        "currency": "USD",
        "qualifier": "more_than",
        "basis": "purchase_commitment",
        "stated_by": "unknown",
        "amount_usd": "2000000000.00",
        "display": "more than US$2 billion in purchase commitments",
    }
    assert deal["term"] == {
        "months": 36,
        "start_date": None,
        "end_date": None,
        "display": "3 years",
    }
    assert deal["sources"] == [
        {
            "id": record.report.pk,
            "url": "https://news.example.org/great-hall",
            "publisher": "Reuters",
            "title": record.report.title,
            "published_on": "2017-11-08",
            "quote": "more than $2 billion",
        }
    ]
    assert deal["umbrella"] is None
    assert deal["components"] == [
        {
            "id": record.beef.pk,
            "slug": "jd-beef",
            "title": "JD.com beef and pork",
            "url": f"http://testserver{API}deals/{record.beef.pk}/",
        }
    ]
    assert deal["is_published"] is True
    assert datetime.datetime.fromisoformat(deal["created_at"])
    assert datetime.datetime.fromisoformat(deal["updated_at"])


def test_a_component_links_its_umbrella(api_client, api_record):
    beef = api_client.get(f"{API}deals/{api_record.beef.pk}/").json()

    assert beef["umbrella"]["slug"] == "jd-food"
    assert beef["is_binding"] is True
    assert beef["value"]["display"] == "US$1.2 billion"


def test_a_ceremony_carries_its_announced_headline_and_itemised_totals(api_client, api_record):
    ceremony = api_client.get(f"{API}ceremonies/{api_record.ceremony.pk}/").json()

    assert ceremony["venue"]["slug"] == "great-hall"
    assert ceremony["occasion"]["slug"] == "state-visit"
    assert ceremony["announced_value"] == {
        "amount": "9000000000.00",
        "currency": "USD",
        "qualifier": "about",
        "display": "about US$9 billion",
    }
    assert ceremony["announced_deal_count"] == 19
    # Published deals only; the beef deal's money is in the pledge's figure.
    assert ceremony["itemised"] == {
        "deal_count": 3,
        "undisclosed_count": 1,
        "amount_usd": "2000000000.00",
        "qualifier": "more_than",
        "plus_about_usd": None,
        "plus_up_to_usd": None,
        "as_stated_usd": "2000000000.00",
        "display": "more than US$2 billion",
    }
    assert ceremony["reconciliation"].startswith("19 deals announced, 3 itemised here")


def test_a_party_reads_with_its_group_and_aliases(api_client, api_record):
    api_record.bell.aliases = "Bell\nBell Textron"
    api_record.bell.save()

    party = api_client.get(f"{API}parties/{api_record.bell.pk}/").json()

    assert party["parent"] == {
        "id": api_record.textron.pk,
        "slug": "textron",
        "name": "Textron",
        "country": "US",
    }
    assert party["aliases"] == ["Bell", "Bell Textron"]
    assert party["kind"] == "company"


def test_a_division_reads_with_its_section(api_client, api_record):
    sector = api_client.get(f"{API}sectors/{api_record.food.pk}/").json()

    assert sector["parent"]["code"] == "C"
    assert sector["is_section"] is False


def test_deal_totals_count_each_dollar_once(api_client, api_record):
    response = api_client.get(f"{API}deals/totals/", {"ceremony": "great-hall-signings"})

    assert response.status_code == 200
    assert response.json() == {
        "count": 3,
        "disclosed_count": 2,
        "undisclosed_count": 1,
        "unconverted_count": 0,
        "amount_usd": "2000000000.00",
        "qualifier": "more_than",
        "plus_about_usd": None,
        "plus_up_to_usd": None,
        "as_stated_usd": "2000000000.00",
        "display": "more than US$2 billion",
    }


def test_a_missing_record_is_a_json_404(api_client, db):
    for path in (f"{API}deals/999999/", f"{API}deals/abc/", f"{API}nothing/"):
        response = api_client.get(path)

        assert response.status_code == 404
        assert error(response)["code"] == "not_found"


# --- drafts ---------------------------------------------------------------------------


def assert_no_draft_in_sight(client, record):
    assert "boeing-draft" not in slugs(client.get(f"{API}deals/", {"page_size": 100}))
    assert client.get(f"{API}deals/", {"is_published": "false"}).json()["count"] == 0
    assert client.get(f"{API}deals/{record.draft.pk}/").status_code == 404
    assert client.get(f"{API}deals/totals/").json()["count"] == 4
    pledge = client.get(f"{API}deals/{record.pledge.pk}/").json()
    assert pledge["follow_ons"] == []


def test_drafts_do_not_exist_for_anonymous_clients(api_client, api_record):
    assert_no_draft_in_sight(api_client, api_record)


def test_drafts_do_not_exist_for_a_signed_in_user_who_may_not_view_deals(token_client, api_record):
    outsider = UserFactory(username="outsider", is_staff=False)
    staff_without_role = UserFactory(username="no-role")

    assert_no_draft_in_sight(token_client(outsider), api_record)
    assert_no_draft_in_sight(token_client(staff_without_role), api_record)


def test_a_draft_umbrella_reads_as_none_for_those_who_may_not_see_it(api_client, api_record):
    api_record.pledge.is_published = False
    api_record.pledge.save()

    beef = api_client.get(f"{API}deals/{api_record.beef.pk}/").json()

    assert beef["umbrella"] is None


def test_staff_who_may_view_deals_see_drafts(token_client, api_record, contributor):
    client = token_client(contributor)

    assert "boeing-draft" in slugs(client.get(f"{API}deals/", {"page_size": 100}))
    assert slugs(client.get(f"{API}deals/", {"is_published": "false"})) == ["boeing-draft"]
    draft = client.get(f"{API}deals/{api_record.draft.pk}/").json()
    assert draft["is_published"] is False
    assert draft["follows"]["slug"] == "jd-food"
    assert client.get(f"{API}deals/totals/").json()["count"] == 5
    pledge = client.get(f"{API}deals/{api_record.pledge.pk}/").json()
    assert [deal["slug"] for deal in pledge["follow_ons"]] == ["boeing-draft"]


def test_ceremony_totals_count_published_deals_only_even_for_staff(
    token_client, api_record, editor
):
    ceremony = token_client(editor).get(f"{API}ceremonies/{api_record.ceremony.pk}/").json()

    assert ceremony["itemised"]["deal_count"] == 3


# --- filters --------------------------------------------------------------------------

DEAL_FILTERS = [
    ({"sector": "manufacturing"}, ["jd-beef", "jd-food", "reignwood-helicopters", "boeing-fair"]),
    ({"sector": "manufacture-of-food-products"}, ["jd-beef", "jd-food"]),
    ({"party": "bell"}, ["reignwood-helicopters"]),
    ({"country": "CN"}, ["jd-beef", "jd-food", "reignwood-helicopters"]),
    ({"ceremony": "trade-fair-signings"}, ["boeing-fair"]),
    ({"occasion": "state-visit"}, ["jd-beef", "jd-food", "reignwood-helicopters"]),
    ({"status": "in_progress"}, ["jd-food"]),
    ({"instrument": "contract"}, ["jd-beef"]),
    ({"signed_after": "2018-01-01"}, ["boeing-fair"]),
    ({"signed_before": "2017-12-31"}, ["jd-beef", "jd-food", "reignwood-helicopters"]),
    ({"year": "2018"}, ["boeing-fair"]),
    ({"min_value_usd": "1000000000"}, ["jd-beef", "jd-food"]),
    ({"max_value_usd": "1000000000"}, ["boeing-fair"]),
    ({"q": "京东"}, ["jd-beef", "jd-food"]),
    ({"q": "helicopters"}, ["reignwood-helicopters"]),
    ({"is_published": "true", "party": "boeing"}, ["boeing-fair"]),
    ({"ordering": "-value"}, ["jd-food", "jd-beef", "boeing-fair", "reignwood-helicopters"]),
    ({"ordering": "value"}, ["boeing-fair", "jd-beef", "jd-food", "reignwood-helicopters"]),
    ({"ordering": "title"}, ["boeing-fair", "jd-beef", "jd-food", "reignwood-helicopters"]),
    ({"ordering": "-signed,title"}, ["boeing-fair", "jd-beef", "jd-food", "reignwood-helicopters"]),
]


@pytest.mark.parametrize(("query", "expected"), DEAL_FILTERS)
def test_each_deal_filter_selects_its_deals(api_client, api_record, query, expected):
    found = slugs(api_client.get(f"{API}deals/", query))

    if "ordering" in query:
        assert found == expected
    else:
        assert sorted(found) == sorted(expected)


def test_filters_apply_to_totals_too(api_client, api_record):
    totals = api_client.get(f"{API}deals/totals/", {"party": "boeing"}).json()

    assert totals["count"] == 1
    assert totals["amount_usd"] == "50000000.00"


BAD_DEAL_FILTERS = [
    ("sector", "no-such-sector"),
    ("party", "no-such-party"),
    ("country", "XX"),
    ("ceremony", "no-such-ceremony"),
    ("occasion", "no-such-occasion"),
    ("status", "signed-ish"),
    ("instrument", "handshake"),
    ("signed_after", "8 November"),
    ("signed_before", "2017-13-01"),
    ("year", "2017.5"),
    ("min_value_usd", "lots"),
    ("max_value_usd", "-1"),
    ("q", "x" * 201),
    ("is_published", "maybe"),
    ("ordering", "popularity"),
]


@pytest.mark.parametrize(("parameter", "value"), BAD_DEAL_FILTERS)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(api_client, db, parameter, value):
    response = api_client.get(f"{API}deals/", {parameter: value})

    assert response.status_code == 400
    assert error(response)["code"] == "invalid"
    assert list(error(response)["fields"]) == [parameter]
    assert error(response)["message"].startswith(f"{parameter}: ")


def test_a_range_the_wrong_way_round_is_a_400(api_client, db):
    response = api_client.get(f"{API}deals/", {"min_value_usd": "10", "max_value_usd": "5"})

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["max_value_usd"]


def test_an_unknown_parameter_is_a_400_naming_it_not_the_whole_table(api_client, api_record):
    response = api_client.get(f"{API}deals/", {"sectr": "manufacturing"})

    assert response.status_code == 400
    assert error(response)["code"] == "unknown_parameter"
    assert list(error(response)["fields"]) == ["sectr"]
    assert "sector" in error(response)["fields"]["sectr"][0]


def test_a_detail_knows_no_filters(api_client, api_record):
    response = api_client.get(f"{API}deals/{api_record.pledge.pk}/", {"status": "signed"})

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["status"]


def test_a_parameter_given_twice_is_a_400(api_client, db):
    response = api_client.get(f"{API}deals/?status=signed&status=cancelled")

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["status"]


OTHER_FILTERS = [
    ("ceremonies", {"occasion": "state-visit"}, ["great-hall-signings"]),
    ("ceremonies", {"venue": "great-hall"}, ["great-hall-signings"]),
    ("ceremonies", {"country": "CN"}, ["great-hall-signings", "trade-fair-signings"]),
    ("ceremonies", {"year": "2018"}, ["trade-fair-signings"]),
    ("ceremonies", {"date_after": "2018-01-01"}, ["trade-fair-signings"]),
    ("ceremonies", {"date_before": "2017-12-31"}, ["great-hall-signings"]),
    ("ceremonies", {"q": "great hall"}, ["great-hall-signings"]),
    ("occasions", {"host_country": "CN"}, ["state-visit"]),
    ("occasions", {"year": "2017"}, ["state-visit"]),
    ("occasions", {"started_after": "2018-01-01"}, []),
    ("occasions", {"q": "china"}, ["state-visit"]),
    ("venues", {"q": "great"}, ["great-hall"]),
    ("venues", {"city": "BEIJING", "country": "CN", "q": "people"}, ["great-hall"]),
    ("parties", {"q": "京东"}, ["jd-com"]),
    ("parties", {"country": "US", "kind": "company"}, ["bell", "boeing", "textron"]),
    ("parties", {"parent": "textron"}, ["bell"]),
    ("sectors", {"parent": "manufacturing", "code": "10"}, ["manufacture-of-food-products"]),
    ("sectors", {"level": "section", "q": "manufacturing"}, ["manufacturing"]),
]


@pytest.mark.parametrize(("resource", "query", "expected"), OTHER_FILTERS)
def test_the_other_resources_filter_too(api_client, api_record, resource, query, expected):
    found = slugs(api_client.get(f"{API}{resource}/", {**query, "page_size": 100}))

    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize(
    ("resource", "parameter", "value"),
    [
        ("ceremonies", "venue", "nowhere"),
        ("ceremonies", "date_after", "soon"),
        ("occasions", "host_country", "Narnia"),
        ("venues", "country", "cn"),
        ("parties", "kind", "person"),
        ("parties", "parent", "nobody"),
        ("sectors", "level", "top"),
        ("sectors", "ordering", "size"),
    ],
)
def test_the_other_resources_refuse_bad_filter_values(api_client, db, resource, parameter, value):
    response = api_client.get(f"{API}{resource}/", {parameter: value})

    assert response.status_code == 400
    assert list(error(response)["fields"]) == [parameter]


# --- pagination -----------------------------------------------------------------------


def test_lists_come_in_pages_with_links(api_client, api_record):
    first = api_client.get(f"{API}deals/", {"page_size": 3, "ordering": "title"}).json()
    second = api_client.get(first["next"]).json()

    assert first["count"] == 4
    assert len(first["results"]) == 3
    assert first["previous"] is None
    assert first["next"] == f"http://testserver{API}deals/?ordering=title&page=2&page_size=3"
    assert [deal["slug"] for deal in second["results"]] == ["reignwood-helicopters"]
    assert second["next"] is None
    assert second["previous"] is not None


def test_a_page_holds_twenty_by_default_and_a_hundred_at_most(api_client, db):
    sector = Sector.objects.get(code="10")
    DealFactory.create_batch(101, sector=sector, ceremony=None)

    assert len(api_client.get(f"{API}deals/").json()["results"]) == 20
    assert len(api_client.get(f"{API}deals/", {"page_size": 100}).json()["results"]) == 100


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "²"}, "page"),
    ],
)
def test_a_bad_page_or_page_size_is_a_400_naming_it(api_client, db, query, parameter):
    response = api_client.get(f"{API}deals/", query)

    assert response.status_code == 400
    assert list(error(response)["fields"]) == [parameter]


def test_a_page_past_the_last_is_a_404(api_client, api_record):
    response = api_client.get(f"{API}deals/", {"page": "3", "page_size": 2})

    assert response.status_code == 404
    assert error(response)["code"] == "not_found"
    assert api_client.get(f"{API}deals/", {"page": "last", "page_size": 2}).status_code == 200


def test_pages_never_repeat_or_skip_deals_with_equal_sort_keys(api_client, db):
    sector = Sector.objects.get(code="10")
    DealFactory.create_batch(
        7,
        sector=sector,
        ceremony=None,
        title="Same",
        value_amount=None,
        value_qualifier="undisclosed",
    )
    seen = []
    for page in (1, 2, 3):
        response = api_client.get(
            f"{API}deals/", {"ordering": "value", "page_size": 3, "page": page}
        )
        seen += slugs(response)

    assert len(seen) == len(set(seen)) == 7


# --- queries --------------------------------------------------------------------------


def rich_deals(count):
    """Deals with everything a representation reads: parties, sources, updates, links."""
    sector = Sector.objects.get(code="10")
    umbrella = DealFactory(sector=sector)
    for index in range(count):
        deal = DealFactory(sector=sector, umbrella=umbrella if index % 2 else None, follows=None)
        DealParty.objects.create(deal=deal, party=PartyFactory(), role=DealParty.Role.BUYER)
        DealSource.objects.create(deal=deal, source=SourceFactory())
        deal.record_status(Deal.Status.COMPLETED, on=datetime.date(2019, 1, 1))


def queries_for(client, path, **params):
    cache.clear()  # with the public cache on, measure the answer made, not remembered
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(queries)


def test_every_list_runs_as_many_queries_for_a_hundred_rows_as_for_one(
    api_client, token_client, editor
):
    rich_deals(110)  # and as many ceremonies, venues, occasions and parties; 109 sectors
    # The kept figures made once, as the first reader after the writes does (that
    # recomputation's own cost is locked in tests/test_kept_figures.py).
    FigureRow.objects.current()
    for client in (api_client, token_client(editor)):
        for resource in RESOURCES:
            few = queries_for(client, f"{API}{resource}/", page_size=1)
            many = queries_for(client, f"{API}{resource}/", page_size=100)

            assert few == many, resource


def test_a_deal_list_reads_in_a_handful_of_queries(api_client, django_assert_max_num_queries, db):
    rich_deals(30)

    # The count, the page's ids, then the values the deals show: the deals, parties,
    # status updates, citations, components, follow-ons (deals.api.reads;
    # tests/test_api_reads.py).
    with django_assert_max_num_queries(8):
        api_client.get(f"{API}deals/", {"page_size": 30})


def test_amounts_are_decimal_strings_never_rounded(api_client, db):
    deal = DealFactory(value_amount=Decimal("1234567891.25"))

    value = api_client.get(f"{API}deals/{deal.pk}/").json()["value"]

    assert value["amount"] == "1234567891.25"
    assert value["display"] == "US$1,234,567,891.25"
