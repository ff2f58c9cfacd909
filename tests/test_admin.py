"""The admin of ceremonies, parties and the other records, and of every page as a whole."""

import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from deals.models import Ceremony, Deal, Dignitary, Party, Qualifier, Sector
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    ExchangeRateFactory,
    OccasionFactory,
    PartyFactory,
    PersonFactory,
    SourceFactory,
    VenueFactory,
)
from tests.test_admin_deals import add_rows, count_queries, form_data

REGISTERED = sorted(
    model._meta.model_name for model in admin.site._registry if model._meta.app_label == "deals"
)


def url(model, view, *args):
    return reverse(f"admin:deals_{model}_{view}", args=args)


@pytest.fixture
def one_of_each(db):
    deal = DealFactory()
    DealPartyFactory(deal=deal)
    deal.status_updates.create(status="signed", date=deal.signed_on)
    Dignitary.objects.create(ceremony=deal.ceremony, person=PersonFactory(), title="President")
    deal.ceremony.citations.create(source=SourceFactory())
    ExchangeRateFactory()
    return deal


def test_every_record_the_staff_edit_is_registered():
    assert REGISTERED == [
        "ceremony",
        "deal",
        "digestsent",
        "exchangerate",
        "follow",
        "occasion",
        "party",
        "person",
        "sector",
        "source",
        "venue",
    ]


PAGES = [
    (model, view)
    for model in REGISTERED
    for view in ["changelist", "add", "change", "history"]
    # Sectors are a taxonomy seeded from ISIC, not a historical record. Readers' follows
    # are no record staff edit (tests/test_follows.py has their pages).
    if (model, view) != ("sector", "history") and model not in {"follow", "digestsent"}
]


@pytest.mark.parametrize(("model", "view"), PAGES)
def test_every_admin_page_renders_without_inline_script(editor_client, one_of_each, model, view):
    model_class = next(m for m in admin.site._registry if m._meta.model_name == model)
    args = [model_class.objects.order_by("pk").first().pk] if view in {"change", "history"} else []

    response = editor_client.get(url(model, view, *args))

    assert response.status_code == 200
    # The Content-Security-Policy allows only scripts from files ('self').
    scripts = re.findall(rb"<script\b[^>]*>", response.content)
    assert scripts
    assert all(b"src=" in tag for tag in scripts), scripts


@pytest.mark.parametrize(
    ("model", "term", "expected"),
    [
        ("party", "Jingdong", "JD.com"),
        ("party", "京东", "JD.com"),
        ("sector", "10", "10 Manufacture of food products"),
        ("sector", "food products", "10 Manufacture of food products"),
        ("ceremony", "Great Hall", "Great Hall signing (8 Nov 2017)"),
        ("source", "investing.com", "Reuters: Trump-Xi talks, 8 Nov 2017"),
        ("person", "罗斯", "Wilbur Ross (罗斯)"),
        ("occasion", "state visit", "US state visit to China"),
        ("venue", "Great Hall", "Great Hall of the People, Beijing"),
    ],
)
def test_autocomplete_finds_records_by_what_staff_type(editor_client, model, term, expected):
    PartyFactory(name="JD.com", native_name="京东", aliases="Jingdong")
    venue = VenueFactory(name="Great Hall of the People")
    occasion = OccasionFactory(name="US state visit to China")
    CeremonyFactory(name="Great Hall signing", venue=venue, occasion=occasion)
    SourceFactory(url="https://www.investing.com/news/1", title="Trump-Xi talks")
    PersonFactory(name="Wilbur Ross", native_name="罗斯")
    fields = {
        "party": ("dealparty", "party"),
        "sector": ("deal", "sector"),
        "ceremony": ("deal", "ceremony"),
        "source": ("dealsource", "source"),
        "person": ("dignitary", "person"),
        "occasion": ("ceremony", "occasion"),
        "venue": ("ceremony", "venue"),
    }
    source_model, field = fields[model]
    params = {"app_label": "deals", "model_name": source_model, "field_name": field, "term": term}

    response = editor_client.get(reverse("admin:autocomplete"), params)

    assert response.status_code == 200, response.content
    assert expected in [r["text"] for r in response.json()["results"]]


# --- ceremonies ---------------------------------------------------------------------------


@pytest.fixture
def great_hall():
    """The 8 November 2017 ceremony: about US$9 billion and 19 deals announced."""
    ceremony = CeremonyFactory(
        name="Great Hall signings",
        announced_value_amount=Decimal("9000000000"),
        announced_value_qualifier=Qualifier.ABOUT,
        announced_deal_count=19,
    )
    DealFactory(
        ceremony=ceremony,
        title="JD.com buys US food",
        value_amount=Decimal("2000000000"),
        value_qualifier=Qualifier.MORE_THAN,
    )
    DealFactory(
        ceremony=ceremony,
        title="Reignwood buys Bell helicopters",
        value_amount=None,
        value_qualifier=Qualifier.UNDISCLOSED,
    )
    DealFactory(ceremony=ceremony, title="Draft one", is_published=False)
    DealFactory(ceremony=ceremony, title="Draft two", is_published=False)
    return ceremony


def test_the_ceremony_page_shows_announced_against_itemised(editor_client, great_hall):
    response = editor_client.get(url("ceremony", "change", great_hall.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "Announced: about US$9 billion, 19 deals. Itemised here: 2 published deals "
        "(2 drafts), more than US$2 billion; 17 deals not yet itemised. "
        "Not in the sum: 1 with an undisclosed value." in content
    )


def test_the_ceremony_page_lists_its_deals_with_links_drafts_included(editor_client, great_hall):
    response = editor_client.get(url("ceremony", "change", great_hall.pk))

    content = response.content.decode()
    for deal in great_hall.deals.all():
        assert f'href="{url("deal", "change", deal.pk)}"' in content
        assert deal.title in content
    (deals_inline,) = [i for i in response.context["inline_admin_formsets"] if i.opts.model is Deal]
    assert not deals_inline.has_add_permission
    assert not deals_inline.has_change_permission
    assert not deals_inline.has_delete_permission


def test_saving_a_ceremony_leaves_its_deals_alone(editor_client, great_hall, editor):
    person = PersonFactory()
    data = form_data(editor_client.get(url("ceremony", "change", great_hall.pk)))
    data["name"] = "Great Hall of the People signings"
    add_rows(data, "dignitaries", [{"person": person.pk, "title": "Premier", "role": "host"}])
    add_rows(data, "dignitaries", [{"person": person.pk, "title": "Premier", "role": "witness"}])
    data["dignitaries-0-order"] = data["dignitaries-1-order"] = "0"

    response = editor_client.post(url("ceremony", "change", great_hall.pk), data)

    assert response.status_code == 302
    great_hall.refresh_from_db()
    assert great_hall.name == "Great Hall of the People signings"
    assert set(great_hall.dignitaries.values_list("role", flat=True)) == {"host", "witness"}
    assert great_hall.deals.count() == 4
    assert great_hall.history.first().history_user == editor


def test_the_ceremony_list_shows_announced_and_itemised(editor_client, great_hall):
    response = editor_client.get(url("ceremony", "changelist"))

    content = response.content.decode()
    assert "about US$9 billion, 19 deals" in content
    assert "2 of 19" in content


def test_the_ceremony_list_costs_the_same_queries_for_3_and_30_ceremonies(editor_client):
    for _ in range(3):
        DealFactory(ceremony=CeremonyFactory(announced_deal_count=5))
    count_queries(editor_client, url("ceremony", "changelist"))
    with_3 = count_queries(editor_client, url("ceremony", "changelist"))

    for _ in range(27):
        DealFactory(ceremony=CeremonyFactory(announced_deal_count=5))
    with_30 = count_queries(editor_client, url("ceremony", "changelist"))

    assert Ceremony.objects.count() == 30
    assert with_30 == with_3


# --- parties ------------------------------------------------------------------------------


def test_the_party_page_lists_its_deals_with_links(editor_client):
    party = PartyFactory(name="Boeing")
    deals = [DealFactory(title="300 aircraft"), DealFactory(title="Draft", is_published=False)]
    for deal in deals:
        DealPartyFactory(deal=deal, party=party, role="seller")
    DealFactory(title="Someone else's deal")

    response = editor_client.get(url("party", "change", party.pk))

    content = response.content.decode()
    for deal in deals:
        assert f'href="{url("deal", "change", deal.pk)}"' in content
    assert "Someone else&#x27;s deal" not in content


def test_the_party_list_counts_each_deal_once(editor_client):
    party = PartyFactory(name="JD.com")
    deal = DealFactory()
    DealPartyFactory(deal=deal, party=party, role="buyer")
    DealPartyFactory(deal=deal, party=party, role="investor")
    DealPartyFactory(party=party)

    response = editor_client.get(url("party", "changelist"), {"q": "JD.com"})

    (row,) = response.context["cl"].result_list
    assert row.deal_count == 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "Jingdong"}, {"JD.com"}),
        ({"country__exact": "CN"}, {"JD.com", "COFCO"}),
        ({"kind__exact": "state_owned_enterprise"}, {"COFCO"}),
    ],
)
def test_the_party_list_searches_and_filters(editor_client, params, expected):
    PartyFactory(name="JD.com", country="CN", aliases="Jingdong\nJD")
    PartyFactory(name="COFCO", country="CN", kind=Party.Kind.STATE_OWNED_ENTERPRISE)
    PartyFactory(name="Boeing", country="US")

    response = editor_client.get(url("party", "changelist"), params)

    assert {p.name for p in response.context["cl"].result_list} == expected


def test_the_party_list_costs_the_same_queries_for_3_and_30_parties(editor_client):
    group = PartyFactory(name="Textron")
    for _ in range(3):
        DealPartyFactory(party=PartyFactory(parent=group))
    count_queries(editor_client, url("party", "changelist"))
    with_3 = count_queries(editor_client, url("party", "changelist"))

    for _ in range(27):
        DealPartyFactory(party=PartyFactory(parent=group))
    with_30 = count_queries(editor_client, url("party", "changelist"))

    assert Party.objects.count() == 31
    assert with_30 == with_3


def test_deleting_a_party_that_signed_deals_is_refused(editor_client):
    party = DealPartyFactory().party

    response = editor_client.post(url("party", "delete", party.pk), {"post": "yes"})

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert Party.objects.filter(pk=party.pk).exists()


# --- sectors and exchange rates -------------------------------------------------------------


def test_the_sector_list_filters_divisions_by_section(editor_client):
    manufacturing = Sector.objects.get(code="C")

    response = editor_client.get(url("sector", "changelist"), {"section": manufacturing.pk})

    codes = {s.code for s in response.context["cl"].result_list}
    assert codes == set(manufacturing.children.values_list("code", flat=True))
    assert "10" in codes


def test_the_sector_parent_autocomplete_offers_sections_only(editor_client):
    params = {
        "app_label": "deals",
        "model_name": "sector",
        "field_name": "parent",
        "term": "manufactur",
    }

    response = editor_client.get(reverse("admin:autocomplete"), params)

    assert [r["text"] for r in response.json()["results"]] == ["C Manufacturing"]


def test_the_exchange_rate_list_filters_by_currency(editor_client):
    ExchangeRateFactory(currency="CNY")
    ExchangeRateFactory(currency="EUR", rate_to_usd="1.16")

    response = editor_client.get(url("exchangerate", "changelist"), {"currency__exact": "EUR"})

    assert [r.currency for r in response.context["cl"].result_list] == ["EUR"]
