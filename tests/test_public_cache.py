"""The public read cache (deals/caching.py): anonymous readers get stored answers, and
any change to the record is visible on the very next request, whoever made it and
however it was written."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import transaction

from deals import caching
from deals.models import Deal, DealParty, ExchangeRate
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    DealSourceFactory,
    ExchangeRateFactory,
    PartyFactory,
)

HIT = caching.HIT_HEADER
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own on the local Redis


@pytest.fixture
def cached(settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def record(db):
    ceremony = CeremonyFactory(name="Great Hall signing", slug="great-hall")
    deal = DealFactory(title="Boeing aircraft order", slug="boeing-order", ceremony=ceremony)
    party = PartyFactory(name="Boeing", slug="boeing")
    DealPartyFactory(deal=deal, party=party)
    DealSourceFactory(deal=deal)
    return deal


def get_twice(client, url, **headers):
    first, second = client.get(url, **headers), client.get(url, **headers)
    assert first.status_code == second.status_code == 200, (first, second)
    return first, second


PUBLIC_URLS = [
    "/",
    "/deals/",
    "/deals/?sector=&q=boeing",
    "/deals/boeing-order/",
    "/ceremonies/",
    "/ceremonies/great-hall/",
    "/parties/boeing/",
    "/feeds/deals/",
    "/sitemap.xml",
    "/api/v1/deals/",
    "/api/v1/deals/?q=boeing",
    "/api/v1/ceremonies/",
    "/api/v1/parties/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_second_anonymous_read_is_answered_from_the_cache_without_a_query(
    client, record, cached, url, django_assert_num_queries
):
    first = client.get(url, follow=True)
    assert first.status_code == 200

    with django_assert_num_queries(0):
        second = client.get(url, follow=True)

    assert second[HIT] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_keeps_the_security_headers_of_the_page(client, record, cached):
    first, second = get_twice(client, "/deals/")

    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert second[header] == first[header]


@pytest.mark.parametrize(
    "change",
    [
        "model_save",
        "admin_form",
        "api_patch",
        "party_rename",
        "new_party_link",
        "delete_party_link",
        "unpublish",
        "delete",
        "rate_change",
    ],
)
def test_a_published_edit_is_visible_on_the_next_request(
    client, editor_client, token_client, editor, record, cached, change
):
    """The page and the API list are cached; each way of changing the deal shows at once."""
    deal_url, api_url = "/deals/boeing-order/", "/api/v1/deals/"
    anonymous = type(client)()
    for url in (deal_url, api_url, "/deals/"):
        assert get_twice(anonymous, url)[1][HIT] == "hit"

    if change == "model_save":
        record.title = "Boeing aircraft order, enlarged"
        record.save()
        expected = "Boeing aircraft order, enlarged"
    elif change == "admin_form":
        from tests.test_admin_deals import change_url, form_data  # the admin's own form

        data = form_data(editor_client.get(change_url(record)))
        data["title"] = "Boeing order as amended"
        response = editor_client.post(change_url(record), data)
        assert response.status_code == 302, response.content[:2000]
        expected = "Boeing order as amended"
    elif change == "api_patch":
        response = token_client(editor).patch(
            f"/api/v1/deals/{record.pk}/", {"title": "Boeing order via the API"}, format="json"
        )
        assert response.status_code == 200, response.json()
        expected = "Boeing order via the API"
    elif change == "party_rename":
        party = record.deal_parties.get().party
        party.name = "The Boeing Company"
        party.save()
        expected = "The Boeing Company"
    elif change == "new_party_link":
        DealPartyFactory(deal=record, party=PartyFactory(name="China Aviation Supplies"))
        expected = "China Aviation Supplies"
    elif change == "delete_party_link":
        DealParty.objects.filter(deal=record).delete()
        expected = None
    elif change == "unpublish":
        record.unpublish(user=editor)
        expected = None
    elif change == "delete":
        record.delete()
        expected = None
    elif change == "rate_change":
        record.value_amount, record.value_currency = Decimal("1000"), "CNY"
        record.save()
        ExchangeRateFactory(currency="CNY", date=record.signed_on, rate_to_usd=Decimal("0.5"))
        Deal.objects.recompute_usd(currency="CNY")
        expected = "500"

    page = anonymous.get(deal_url)
    listing = anonymous.get(api_url)
    assert page.get(HIT) != "hit" and listing.get(HIT) != "hit"
    if change in ("unpublish", "delete"):
        assert page.status_code == 404
        assert listing.json()["count"] == 0
    elif change == "delete_party_link":
        assert b"Boeing</a>" not in page.content
        assert listing.json()["results"][0]["parties"] == []
    else:
        assert expected in page.content.decode()
        assert expected in listing.content.decode()


# serialized_rollback: committing tests restore the database as the browser tests expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_inside_a_transaction_is_cleared_again_when_it_commits(record, cached):
    """A reader between the change and its commit may cache the old rows under the new
    token: the commit replaces the token again, once however many rows were written."""
    with transaction.atomic():
        for n in range(5):
            record.title = f"Boeing order {n}"
            record.save()
        during = caching.generation()
        hooks = [hook for _, hook, _ in transaction.get_connection().run_on_commit]
        assert hooks.count(caching._replace_generation) == 1

    assert caching.generation() != during


def test_a_lost_token_is_made_anew_never_reused(cached):
    first = caching.generation()
    cache.delete(caching.GENERATION_KEY)

    assert caching.generation() not in (None, first)


def test_staff_are_never_served_from_the_cache_and_drafts_never_stored(
    client, editor_client, record, cached
):
    draft = DealFactory(title="Secret draft", slug="secret-draft", is_published=False)
    anonymous = type(client)()
    get_twice(anonymous, "/deals/")

    staff = editor_client.get(f"/deals/{draft.slug}/")
    again = editor_client.get(f"/deals/{draft.slug}/")
    assert staff.status_code == again.status_code == 200
    assert HIT not in again
    assert HIT not in editor_client.get("/deals/")

    assert anonymous.get(f"/deals/{draft.slug}/").status_code == 404
    assert anonymous.get(f"/deals/{draft.slug}/").status_code == 404
    assert b"Secret draft" not in anonymous.get("/api/v1/deals/").content


def test_a_token_client_is_never_served_from_the_cache(api_client, token_client, editor, record):
    client = token_client(editor)
    client.get("/api/v1/deals/")

    assert HIT not in client.get("/api/v1/deals/")


@pytest.mark.parametrize(
    "url", ["/deals/csv/", "/healthz", "/admin/login/", "/api/docs/", "/deals/no-such-deal/"]
)
def test_downloads_errors_health_and_admin_are_not_cached(client, record, cached, url):
    client.get(url)

    assert client.get(url).get(HIT) != "hit"


def test_an_api_detail_from_the_cache_answers_if_none_match_with_304(
    client, record, cached, django_assert_num_queries
):
    url = f"/api/v1/deals/{record.pk}/"
    first, second = get_twice(client, url)
    assert second[HIT] == "hit"

    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_the_api_throttle_counts_answers_from_the_cache(client, record, cached):
    cached.REST_FRAMEWORK = {
        **cached.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "1000/min"},
    }

    answers = [client.get("/api/v1/deals/") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[1][HIT] == "hit"


def test_counts_are_made_once_per_change_of_the_record(
    client, record, cached, django_assert_num_queries
):
    DealFactory.create_batch(3, ceremony=record.ceremony)
    client.get("/api/v1/deals/?page_size=2")
    # The ids of the page, the deals' values, parties, status updates, citations,
    # components, follow-ons (deals.api.reads); no COUNT(*).
    with django_assert_num_queries(7):
        response = client.get("/api/v1/deals/?page_size=2&page=2")
    assert response.json()["count"] == 4

    DealFactory(ceremony=record.ceremony)

    assert client.get("/api/v1/deals/?page_size=2&page=2").json()["count"] == 5


def test_loading_rates_by_sql_clears_the_cache(client, record, cached):
    client.get("/deals/")
    before = caching.generation()

    call_command("load_rates", "--since", "2017-11-01", "--until", "2017-11-10", verbosity=0)

    assert ExchangeRate.objects.exists()
    assert caching.generation() != before


def test_nothing_is_kept_when_the_cache_is_off(client, record, settings):
    """PUBLIC_CACHE_SECONDS=0 (the default without CACHE_URL: tests/test_settings.py)."""
    settings.PUBLIC_CACHE_SECONDS = 0
    client.get("/deals/")

    assert HIT not in client.get("/deals/")


def test_with_redis_an_edit_on_another_server_clears_this_one(
    client, record, settings, redis_cache
):
    """Two app servers share Redis: a change recorded by one (here, a second connection
    to the same Redis) puts the other's cached pages out of use."""
    settings.PUBLIC_CACHE_SECONDS = 600
    prefix = redis_cache(REDIS_URL)
    assert isinstance(caches["default"], RedisCache)
    assert get_twice(client, "/deals/boeing-order/")[1][HIT] == "hit"
    other_server = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})

    Deal.objects.filter(pk=record.pk).update(title="Boeing order, renamed elsewhere")
    other_server.set(caching.GENERATION_KEY, "replaced-by-the-other-server", None)

    page = client.get("/deals/boeing-order/")
    assert page[HIT] == "miss"
    assert b"Boeing order, renamed elsewhere" in page.content


def test_the_home_page_figures_follow_a_new_deal(client, record, cached):
    before = client.get("/").content
    assert client.get("/")[HIT] == "hit"

    DealFactory(
        title="Qualcomm chips",
        ceremony=record.ceremony,
        value_amount=Decimal("12000000000"),
        signed_on=datetime.date(2017, 11, 9),
    )

    after = client.get("/")
    assert after.content != before
    assert "Qualcomm chips" in after.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/deals/?q=!!!", "/api/v1/deals/?q=!!!", "/api/v1/deals/totals/?q=!!!", "/deals/?page=2"],
)
def test_a_selection_that_cannot_hold_a_deal_is_answered_with_the_cache_on(
    client, record, cached, url
):
    """A search without a word selects nothing without asking the database (none()):
    its count and totals are not remembered, and the page still answers."""
    response = client.get(url)

    assert response.status_code == 200
    if url.startswith("/api/v1/deals/?"):
        assert response.json()["count"] == 0
