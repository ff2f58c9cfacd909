"""Deep pages: a page's ids first, then its rows; and the API's keyset (cursor) pages.

Page N must hold exactly the rows a plain OFFSET would, in the same order; a cursor
walk must visit every row once, in the list's order, ties included, both ways.
"""

import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deals.api.pagination import CURSOR_SALT
from deals.models import Deal, Qualifier
from deals.pagination import IdsFirstPaginator
from tests.factories import CeremonyFactory, DealFactory

API = "/api/v1/deals/"
DAYS = [datetime.date(2017, 11, 8), datetime.date(2017, 11, 9), datetime.date(2018, 3, 1)]
ORDERINGS = ["", "signed", "-signed", "value", "-value", "title", "-title", "-published"]


@pytest.fixture
def tied_deals(db):
    """17 published deals full of ties: three days, three amounts (and undisclosed ones,
    which sort last), titles given twice; and a draft in the middle of them."""
    ceremonies = [CeremonyFactory(date=day) for day in DAYS]
    deals = []
    for number in range(17):
        undisclosed = number % 5 == 0
        deals.append(
            DealFactory(
                title=f"Deal {number % 6}",
                ceremony=ceremonies[number % 3],
                value_amount=None if undisclosed else Decimal(10 ** (6 + number % 3)),
                value_qualifier=Qualifier.UNDISCLOSED if undisclosed else Qualifier.EXACT,
            )
        )
    DealFactory(title="Deal 3 draft", ceremony=ceremonies[1], is_published=False)
    return deals


def slugs(response):
    assert response.status_code == 200, response.content
    return [deal["slug"] for deal in response.json()["results"]]


def walk_pages(api_client, **params):
    """Every page by number, 4 to a page."""
    seen, page = [], 1
    while True:
        body = api_client.get(API, {**params, "page_size": 4, "page": page}).json()
        seen += [deal["slug"] for deal in body["results"]]
        if body["next"] is None:
            return seen
        page += 1


def walk_cursors(api_client, **params):
    """Every page by cursor, forward to the end, then back to the start; both lists in
    the list's order."""
    forward, pages, url = [], [], None
    response = api_client.get(API, {**params, "page_size": 4, "cursor": ""})
    while True:
        body = response.json()
        assert response.status_code == 200, body
        pages.append([deal["slug"] for deal in body["results"]])
        forward += pages[-1]
        if body["next"] is None:
            break
        response = api_client.get(body["next"])
    backward = list(pages[-1])
    url = body["previous"]
    while url is not None:
        body = api_client.get(url).json()
        backward = [deal["slug"] for deal in body["results"]] + backward
        url = body["previous"]
    return forward, backward


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_pages_by_number_hold_what_an_offset_would(api_client, tied_deals, ordering):
    params = {"ordering": ordering} if ordering else {}

    seen = walk_pages(api_client, **params)

    whole = slugs(api_client.get(API, {**params, "page_size": 100}))
    assert seen == whole
    assert len(seen) == len(set(seen)) == 17


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_a_cursor_walk_visits_every_deal_once_in_order_both_ways(api_client, tied_deals, ordering):
    params = {"ordering": ordering} if ordering else {}

    forward, backward = walk_cursors(api_client, **params)

    whole = slugs(api_client.get(API, {**params, "page_size": 100}))
    assert forward == whole
    assert backward == whole
    assert len(whole) == 17 and not any("draft" in slug for slug in whole)


def test_a_cursor_walk_works_with_filters_and_a_search(api_client, tied_deals):
    for params in ({"q": "deal"}, {"year": "2017", "ordering": "-value"}, {"q": "deal 3"}):
        forward, backward = walk_cursors(api_client, **params)

        whole = slugs(api_client.get(API, {**params, "page_size": 100}))
        assert forward == backward == whole, params


def test_a_cursor_page_has_the_shape_of_a_numbered_one(api_client, tied_deals):
    body = api_client.get(API, {"cursor": "", "page_size": 4}).json()

    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 17
    assert body["previous"] is None
    query = parse_qs(urlparse(body["next"]).query)
    assert query["page_size"] == ["4"] and "page" not in query
    assert body["results"] == api_client.get(API, {"page_size": 4}).json()["results"]


def test_rows_added_before_a_cursor_neither_repeat_nor_shift_its_next_page(api_client, tied_deals):
    first = api_client.get(API, {"cursor": "", "page_size": 4, "ordering": "title"}).json()
    expected = slugs(api_client.get(first["next"]))

    DealFactory(title="A deal that sorts first", slug="a-new-first-deal")

    assert slugs(api_client.get(first["next"])) == expected


def test_a_cursor_past_the_last_row_is_an_empty_page_that_links_back(api_client, tied_deals):
    whole = slugs(api_client.get(API, {"page_size": 100}))
    sixteen = api_client.get(API, {"cursor": "", "page_size": 16}).json()
    assert sixteen["previous"] is None, "the first page has no page before it"
    Deal.objects.filter(slug=whole[-1]).delete()

    empty = api_client.get(sixteen["next"]).json()

    assert empty["results"] == [] and empty["next"] is None
    assert slugs(api_client.get(empty["previous"])) == whole[:15]


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        "eyJsIjoiMCJ9:1a2b3c:forged",
        "signed with another salt",
    ],
)
def test_a_cursor_that_was_not_made_here_is_a_400_naming_it(api_client, tied_deals, cursor):
    if cursor == "signed with another salt":  # made here: a timestamp, the same on every worker
        cursor = signing.dumps({"l": "0", "d": "n", "p": [1]}, salt="another salt")
    response = api_client.get(API, {"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["fields"]


def test_a_cursor_altered_or_used_on_another_list_is_a_400_naming_it(api_client, tied_deals):
    by_title = api_client.get(API, {"cursor": "", "page_size": 4, "ordering": "title"}).json()
    token = parse_qs(urlparse(by_title["next"]).query)["cursor"][0]
    payload = signing.loads(token, salt=CURSOR_SALT)
    forged = signing.dumps({**payload, "p": payload["p"][:-1]}, salt="not the site's")

    for params in (
        {"cursor": token, "ordering": "-value"},
        {"cursor": token, "ordering": "title", "year": "2018"},
        {"cursor": forged, "ordering": "title"},
        {"cursor": token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "ordering": "title"},
        {"cursor": token, "ordering": "title", "page": "2"},
    ):
        response = api_client.get(API, params)

        assert response.status_code == 400, params
        assert list(response.json()["error"]["fields"]) == ["cursor"], params


def test_the_countries_list_is_paged_by_number_only(api_client, tied_deals):
    response = api_client.get("/api/v1/countries/", {"cursor": ""})

    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["fields"]


def test_the_schema_documents_the_cursor_beside_the_page_number(api_client, db):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/deals/"]["get"]["parameters"]}
    assert {"page", "page_size", "cursor"} <= set(parameters)
    assert "next" in parameters["cursor"]["description"]
    countries = schema["paths"]["/api/v1/countries/"]["get"]["parameters"]
    assert "cursor" not in {p["name"] for p in countries}


def test_a_cursor_page_reads_no_more_queries_for_many_rows_than_for_few(api_client, tied_deals):
    def queries(size):
        cache.clear()  # with the public cache on, measure the answer made, not remembered
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get(API, {"cursor": "", "page_size": size}).status_code == 200
        return len(captured)

    assert queries(2) == queries(17)


def test_a_deep_page_reads_its_rows_by_id_not_past_an_offset(db, tied_deals):
    deals = Deal.objects.published().with_related().sorted_by("-signed_on")
    expected = [deal.pk for deal in deals][8:12]

    with CaptureQueriesContext(connection) as captured:
        page = IdsFirstPaginator(deals, 4).page(3)
        rows = [deal.pk for deal in page.object_list]

    assert rows == expected
    offset_queries = [q["sql"] for q in captured if "OFFSET" in q["sql"]]
    assert len(offset_queries) == 1, "only the ids are read past an offset"
    assert '"title"' not in offset_queries[0].split("FROM")[0]


def test_a_page_of_the_browse_page_past_the_first_shows_the_next_deals(client, tied_deals):
    first = client.get("/deals/", {"ordering": "title"}).content.decode()
    deals = Deal.objects.published().sorted_by("title")
    assert all(f'href="{deal.get_absolute_url()}"' in first for deal in deals)

    by_title = list(deals)
    paginator = IdsFirstPaginator(Deal.objects.published().sorted_by("title"), 5)
    assert [d.pk for d in paginator.page(4).object_list] == [d.pk for d in by_title[15:]]
