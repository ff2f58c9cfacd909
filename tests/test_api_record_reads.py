"""The read path of the other records (deals.api.record_reads) answers byte for byte
what each record's DRF serializer and DRF's JSONRenderer answered: every list with each
of its filters and orderings, its pages, the detail of every record, in English and in
Chinese, and in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework import renderers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from deals.api import views
from deals.models import Ceremony, Occasion, Party, PartyIdentifier, Sector, Venue
from tests.factories import CeremonyFactory, DealFactory, PartyFactory, VenueFactory

RESOURCES = {
    "ceremonies": (views.CeremonyViewSet, Ceremony),
    "occasions": (views.OccasionViewSet, Occasion),
    "venues": (views.VenueViewSet, Venue),
    "parties": (views.PartyViewSet, Party),
    "sectors": (views.SectorViewSet, Sector),
}


@pytest.fixture
def record(db):
    """The demo record, with what the demo lacks: a party group with aliases (blank
    lines among them) and identifiers of every scheme, a party and a venue without a
    country, a ceremony without an occasion whose headline is in euros with no deals,
    text that JSON escapes."""
    call_command("load_demo", verbosity=0)
    group = PartyFactory(
        name="Group “holding” 中文",
        slug="group-holding",
        native_name="集团",
        aliases="Group Co\n\n  Group Holdings  \n",
        country="",
        website="https://group.example.org/",
    )
    PartyFactory(name="Group subsidiary", slug="group-subsidiary", parent=group, country="CN")
    for scheme, value in [
        ("lei", "5493001KJTIIGC8Y1R12"),
        ("qid", "Q95"),
        ("register", "us-sec-cik:0000320193"),
        ("ticker", "XNYS:BA"),
    ]:
        PartyIdentifier.objects.create(party=group, scheme=scheme, value=value)
    CeremonyFactory(
        name='Ceremony \u2028with "quotes" \\',
        slug="ceremony-euro",
        occasion=None,
        venue=VenueFactory(name="Somewhere", slug="somewhere", country="", city=""),
        announced_value_amount=Decimal("1500000000.5"),
        announced_value_currency="EUR",
        announced_value_qualifier="about",
        announced_deal_count=3,
        date=datetime.date(2019, 3, 26),
    )
    CeremonyFactory.create_batch(2)  # with occasions and venues of their own
    DealFactory(is_published=False, title="A draft, counted nowhere")


def expected_bytes(resource, ids, language):
    """What the resource's serializer and DRF's JSONRenderer made of these records."""
    viewset_class, model = RESOURCES[resource]
    drf_request = Request(APIRequestFactory().get(f"/api/v1/{resource}/"))
    view = viewset_class(request=drf_request, action="update", format_kwarg=None)
    with translation.override(language):
        records = {record.pk: record for record in view.with_details(model.objects.all())}
        serializer = viewset_class.serializer_class(
            [records[pk] for pk in ids], many=True, context={"request": drf_request}
        )
        return renderers.JSONRenderer().render(serializer.data)


def served(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response


def assert_list_same_as_drf(client, resource, query, language="en"):
    response = served(client, f"/api/v1/{resource}/{query}", language)
    body = response.json()
    ids = [item["id"] for item in body["results"]]
    results = expected_bytes(resource, ids, language)
    expected = renderers.JSONRenderer().render(
        {key: body[key] for key in ("count", "next", "previous")}
    )
    # The envelope as served, then the results as DRF wrote them.
    assert response.content == expected[:-1] + b',"results":' + results + b"}", query
    return body


def first(model, **lookup):
    return model.objects.filter(**lookup).order_by("pk").first()


def filters():
    """Each list's filters, orderings and pages, with values the record holds."""
    ceremony = first(Ceremony, occasion__isnull=False)
    party = first(Party, parent__isnull=False)
    section = first(Sector, parent__isnull=True)
    pages = ["", "?page_size=2", "?page_size=2&page=2", "?page_size=2&page=last"]
    return {
        "ceremonies": [
            *pages,
            "?q=ceremony",
            f"?occasion={ceremony.occasion.slug}",
            f"?venue={ceremony.venue.slug}",
            "?country=CN",
            "?year=2017",
            "?date_after=2017-11-09",
            "?date_before=2017-11-08",
            "?ordering=name",
            "?ordering=-date",
        ],
        "occasions": [
            *pages,
            "?q=visit",
            "?host_country=CN",
            "?year=2017",
            "?started_after=2017-01-01",
            "?started_before=2017-12-31",
            "?ordering=-start",
            "?ordering=name",
        ],
        "venues": [*pages, "?q=hall", "?city=beijing", "?country=CN", "?ordering=-city"],
        "parties": [
            *pages,
            "?q=group",
            "?country=US",
            "?kind=company",
            f"?parent={party.parent.slug}",
            "?identifier=lei:5493001KJTIIGC8Y1R12",
            "?ordering=-country",
            "?ordering=-name",
        ],
        "sectors": [
            *pages,
            "?q=manufacturing",
            f"?code={section.code.lower()}",
            f"?parent={section.slug}",
            "?level=section",
            "?level=division",
            "?ordering=-code",
            "?ordering=name",
        ],
    }


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_list_filter_answers_what_drf_answered(client, record, resource):
    counts = {
        query: assert_list_same_as_drf(client, resource, query)["count"]
        for query in filters()[resource]
    }

    _, model = RESOURCES[resource]
    assert counts[""] == model.objects.count()
    # Every filter was tried on rows it selects, not only on empty answers.
    assert sum(1 for count in counts.values() if count) >= len(counts) - 2


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_list_in_chinese_answers_what_drf_answered(client, record, resource):
    body = assert_list_same_as_drf(client, resource, "?page_size=100", "zh-hans")

    assert body["count"] == RESOURCES[resource][1].objects.count()
    if resource in {"ceremonies", "parties"}:
        assert "/zh-hans/" in body["results"][0]["page_url"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_every_detail_answers_what_drf_answered(client, record, resource, language):
    _, model = RESOURCES[resource]

    for pk in model.objects.values_list("pk", flat=True):
        response = served(client, f"/api/v1/{resource}/{pk}/", language)
        assert response.content == expected_bytes(resource, [pk], language)[1:-1], pk


def test_what_the_readers_write_for_the_edge_cases(client, record):
    group_id = Party.objects.get(slug="group-holding").pk
    group = served(client, f"/api/v1/parties/{group_id}/", "en").json()
    euro = served(client, "/api/v1/ceremonies/?q=quotes", "en").json()["results"][0]
    section = served(client, "/api/v1/sectors/?level=section", "en").json()["results"][0]

    assert group["aliases"] == ["Group Co", "Group Holdings"]
    assert group["country"] == ""
    assert [item["scheme"] for item in group["identifiers"]] == ["lei", "qid", "register", "ticker"]
    assert group["identifiers"][1]["url"] == "https://www.wikidata.org/wiki/Q95"
    assert group["identifiers"][3]["url"] == ""
    assert euro["occasion"] is None and euro["venue"]["country"] == ""
    assert euro["announced_value"]["amount"] == "1500000000.50"
    assert euro["itemised"]["deal_count"] == 0
    assert euro["reconciliation"].startswith("3 deals announced")
    assert section["parent"] is None and section["is_section"] is True


@pytest.mark.parametrize(
    ("resource", "queries"),
    # The count, the page's ids, the rows' values; parties: their identifiers;
    # ceremonies: their kept sums (whether any deal waits to be recomputed, then the sums).
    [("ceremonies", 5), ("occasions", 3), ("venues", 3), ("parties", 4), ("sectors", 3)],
)
def test_a_list_costs_the_same_queries_for_2_records_as_for_all(client, record, resource, queries):
    def counted(url):
        cache.clear()  # with the public cache on, measure the answer made, not remembered
        with CaptureQueriesContext(connection) as captured:
            served(client, url, "en")
        return len(captured)

    counted(f"/api/v1/{resource}/")  # the fixture's changes recomputed, once
    few = counted(f"/api/v1/{resource}/?page_size=2")
    many = counted(f"/api/v1/{resource}/?page_size=100")

    assert few == many == queries
