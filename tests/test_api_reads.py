"""The API's read path (deals.api.reads, deals.api.renderers) answers byte for byte
what DRF's serializer and renderer answered: over every deal list filter, the pages and
cursors, the detail of every deal, for readers and for staff who see drafts."""

import datetime
from decimal import Decimal

import orjson
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import renderers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from deals.api.renderers import JSONRenderer
from deals.api.serializers import DealSerializer
from deals.api.views import DealViewSet
from deals.models import Deal, DealParty, Party, StatusUpdate
from tests.factories import DealFactory, PartyFactory, UserFactory

API = "/api/v1/deals/"


@pytest.fixture
def record(db):
    """The demo record, with drafts among its umbrellas and follow-ons, text that JSON
    escapes, and a deal holding nothing optional."""
    call_command("load_demo", verbosity=0)
    published = list(Deal.objects.filter(is_published=True).order_by("pk"))
    umbrella, follower = published[0], published[1]
    draft_umbrella = DealFactory(title="Draft umbrella", slug="draft-umbrella", is_published=False)
    Deal.objects.filter(pk=follower.pk).update(umbrella=draft_umbrella)
    draft = DealFactory(
        title='Draft \u2028line\u2029 “quoted” 中文 \\ / "x"',
        summary="tab\there\nnewline \x01 control",
        is_published=False,
        follows=umbrella,
        value_amount=Decimal("1234.5"),
        value_currency="EUR",
        term_months=36,
        term_start_date=datetime.date(2018, 1, 31),
    )
    DealParty.objects.create(deal=draft, party=PartyFactory(country=""), role="buyer")
    StatusUpdate.objects.create(deal=draft, date=datetime.date(2019, 2, 1), status="in_force")
    return published


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response


def expected_bytes(user, ids, envelope=None):
    """What DRF's serializer and JSONRenderer made of these deals, for this user."""
    drf_request = Request(APIRequestFactory().get(API))
    drf_request.user = user
    view = DealViewSet()
    view.request = drf_request
    deals = {deal.pk: deal for deal in view.with_details(Deal.objects.filter(pk__in=ids))}
    context = {"request": drf_request, "can_see_drafts": Deal.can_see_drafts(user)}
    data = DealSerializer([deals[pk] for pk in ids], many=True, context=context).data
    if envelope is not None:
        data = {**envelope, "results": data}
    return renderers.JSONRenderer().render(data)


def assert_same_as_drf(client, user, url):
    response = served(client, url)
    body = response.json()
    ids = [item["id"] for item in body["results"]]
    envelope = {key: body[key] for key in ("count", "next", "previous")}
    assert response.content == expected_bytes(user, ids, envelope)
    return body


FILTERS = [
    "",
    "?q=boeing",
    "?q=aircraft%20engines",
    "?country=US",
    "?country=CN",
    "?year=2017",
    "?status=signed",
    "?instrument=framework_agreement",
    "?instrument=unknown",
    "?signed_after=2017-11-09",
    "?signed_before=2017-11-08",
    "?min_value_usd=1000000000",
    "?max_value_usd=1000000000",
    "?ordering=value",
    "?ordering=-value",
    "?ordering=title",
    "?ordering=-signed",
    "?ordering=published",
    "?page_size=3",
    "?page_size=3&page=2",
    "?page_size=3&page=last",
    "?cursor=",
    "?cursor=&page_size=2&ordering=-value",
]


def test_every_deal_list_filter_answers_what_drf_answered(client, record):
    deal = record[0]
    party = Party.objects.filter(deal_parties__deal=deal).first()
    queries = [
        *FILTERS,
        f"?party={party.slug}",
        f"?occasion={deal.ceremony.occasion.slug}",
        f"?ceremony={deal.ceremony.slug}",
        f"?sector={deal.sector.slug}",
        f"?sector={deal.sector.parent.slug if deal.sector.parent else deal.sector.slug}",
    ]
    reader = UserFactory(username="reader")
    client.force_login(reader)

    counts = {query: assert_same_as_drf(client, reader, API + query)["count"] for query in queries}

    assert counts[""] == len(record)
    assert all(counts[query] for query in queries[-5:])
    assert 0 < counts["?country=US"] < len(record)


def test_staff_lists_with_drafts_answer_what_drf_answered(client, record, editor):
    client.force_login(editor)
    queries = ["", "?is_published=false", "?q=draft", "?ordering=-value", "?page_size=2&page=2"]

    counts = {query: assert_same_as_drf(client, editor, API + query)["count"] for query in queries}

    assert counts["?is_published=false"] == 2
    assert counts[""] == len(record) + 2


def test_following_a_cursor_answers_what_drf_answered_on_every_page(client, record):
    reader = UserFactory(username="reader")
    client.force_login(reader)
    url, seen = API + "?cursor=&page_size=4", []

    while url:
        body = assert_same_as_drf(client, reader, url)
        seen += [item["id"] for item in body["results"]]
        url = body["next"]

    assert sorted(seen) == sorted(deal.pk for deal in record)


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_every_deal_detail_answers_what_drf_answered(client, record, editor, who):
    user = editor if who == "editor" else None
    if user:
        client.force_login(user)
    visible = Deal.objects.visible_to(user) if user else Deal.objects.published()

    for pk in visible.values_list("pk", flat=True):
        response = served(client, f"{API}{pk}/")
        expected = expected_bytes(user or AnonymousUser(), [pk])
        assert response.content == expected[1:-1], pk  # one deal, not a list of one


def test_a_draft_umbrella_reads_as_null_for_readers_and_as_a_link_for_staff(client, record, editor):
    follower = record[1]

    public = served(client, f"{API}{follower.pk}/").json()
    client.force_login(editor)
    staff = served(client, f"{API}{follower.pk}/").json()

    assert public["umbrella"] is None
    assert staff["umbrella"]["title"] == "Draft umbrella"


def test_a_deal_list_page_costs_the_same_queries_for_3_deals_as_for_all(client, record):
    def queries(url):
        cache.clear()  # with the public cache on, measure the answer made, not remembered
        with CaptureQueriesContext(connection) as captured:
            served(client, url)
        return len(captured)

    few, many = queries(API + "?page_size=3"), queries(API + "?page_size=100")

    assert few == many
    # The count, the page's ids, the deals' values, their parties, status updates,
    # citations, components and follow-ons.
    assert many == 8


def test_the_renderer_writes_what_drfs_writes(db):
    data = {
        "text": 'a\u2028b\u2029c “q” 中文 \\ " / \x00 \t',
        "decimal": Decimal("12.50"),
        "date": datetime.date(2017, 11, 9),
        "datetime": datetime.datetime(2017, 11, 9, 8, 30, 0, 123456, tzinfo=datetime.UTC),
        "nested": [{"none": None, "true": True, "big": 2**62}],
        "lazy": __import__("django.utils.translation", fromlist=["x"]).gettext_lazy("Deals"),
        "tuple": (1, 2),
    }

    ours = JSONRenderer().render(data)

    assert ours == renderers.JSONRenderer().render(data)
    assert orjson.loads(ours)["text"] == data["text"]
    assert JSONRenderer().render(None) == b""
