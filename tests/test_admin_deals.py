"""The deal admin as editors use it: entry, status, lists, search, filters, actions."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.forms import BooleanField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deals.models import Deal, DealSource, Qualifier, Sector, StatusUpdate
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    ExchangeRateFactory,
    OccasionFactory,
    PartyFactory,
    PublishableDealFactory,
    SourceFactory,
)

ADD_URL = reverse("admin:deals_deal_add")
CHANGELIST_URL = reverse("admin:deals_deal_changelist")


def change_url(deal):
    return reverse("admin:deals_deal_change", args=[deal.pk])


def form_data(response):
    """What a browser submits from the admin form in `response`, nothing changed."""
    forms = [response.context["adminform"].form]
    # The history revert form has no inlines.
    for inline in response.context.get("inline_admin_formsets", []):
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field, BooleanField):
                if value:
                    data[bound.html_name] = "on"
            else:
                data[bound.html_name] = "" if value is None else value
    return data


def add_rows(data, prefix, rows):
    """Append inline rows to submitted form data, as the admin's "Add another" does."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for index, row in enumerate(rows, start=total):
        for field, value in row.items():
            data[f"{prefix}-{index}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data


def new_deal_data(client, **fields):
    """The add form filled in with a valid deal, then `fields` on top."""
    data = form_data(client.get(ADD_URL))
    data.update(
        {
            "title": "JD.com buys US beef and pork",
            "slug": "jd-com-buys-us-beef-and-pork",
            "sector": Sector.objects.get(code="10").pk,
            "instrument": Deal.Instrument.CONTRACT,
            "value_amount": "1200000000",
            "value_currency": "USD",
            "value_qualifier": Qualifier.EXACT,
            "signed_on": "2017-11-08",
            "status": Deal.Status.SIGNED,
        }
    )
    data.update(fields)
    return data


def changelist_rows(response):
    return list(response.context["cl"].result_list)


# --- entering a deal -----------------------------------------------------------------


def test_a_deal_with_two_parties_a_source_and_a_status_update_can_be_entered(editor_client, editor):
    ceremony = CeremonyFactory()
    jd, smithfield = PartyFactory(name="JD.com"), PartyFactory(name="Smithfield Foods")
    source = SourceFactory()
    ExchangeRateFactory(currency="CNY", date=datetime.date(2017, 11, 7), rate_to_usd="0.15")
    data = new_deal_data(
        editor_client,
        ceremony=ceremony.pk,
        value_amount="8000000000",
        value_currency="CNY",
        value_qualifier=Qualifier.ABOUT,
        term_months="36",
    )
    add_rows(
        data,
        "deal_parties",
        [
            {"party": jd.pk, "role": "buyer", "order": "0"},
            {"party": smithfield.pk, "role": "seller", "order": "1"},
        ],
    )
    add_rows(data, "citations", [{"source": source.pk, "quote": "JD.com will buy beef"}])
    add_rows(data, "status_updates", [{"date": "2017-11-08", "status": "signed"}])

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    deal = Deal.objects.get(slug="jd-com-buys-us-beef-and-pork")
    assert {(p.party, p.role) for p in deal.deal_parties.all()} == {
        (jd, "buyer"),
        (smithfield, "seller"),
    }
    assert DealSource.objects.get(deal=deal, source=source).quote == "JD.com will buy beef"
    update = StatusUpdate.objects.get(deal=deal)
    assert (update.status, update.date) == ("signed", datetime.date(2017, 11, 8))
    assert deal.status == Deal.Status.SIGNED
    assert deal.created_by == editor
    assert deal.updated_by == editor
    assert deal.value_amount_usd == Decimal("1200000000.00")
    assert deal.term_months == 36
    assert deal.is_published is False
    assert deal.history.filter(history_type="+", history_user=editor).exists()


def test_an_editor_can_publish_through_the_change_form(editor_client, editor):
    deal = PublishableDealFactory(is_published=False)
    data = form_data(editor_client.get(change_url(deal)))
    data["is_published"] = "on"

    response = editor_client.post(change_url(deal), data)

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.is_published is True
    assert deal.published_at is not None
    assert deal.updated_by == editor


def test_it_keeps_the_creator_and_records_who_changed_the_deal_last(
    editor_client, editor, contributor
):
    deal = DealFactory(is_published=False, created_by=contributor, updated_by=contributor)
    data = form_data(editor_client.get(change_url(deal)))
    data["title"] = "Renamed"

    assert editor_client.post(change_url(deal), data).status_code == 302

    deal.refresh_from_db()
    assert deal.title == "Renamed"
    assert deal.created_by == contributor
    assert deal.updated_by == editor


def test_the_change_form_shows_the_value_as_readers_see_it(editor_client):
    deal = DealFactory(value_amount=Decimal("2000000000"), value_qualifier=Qualifier.MORE_THAN)

    response = editor_client.get(change_url(deal))

    assert response.status_code == 200
    assert "more than US$2 billion" in response.content.decode()


# --- status and its dated updates ----------------------------------------------------


def test_changing_the_status_records_a_dated_update_for_today(editor_client):
    deal = PublishableDealFactory(status=Deal.Status.SIGNED)
    deal.status_updates.create(status=Deal.Status.SIGNED, date=datetime.date(2017, 11, 8))
    data = form_data(editor_client.get(change_url(deal)))
    data["status"] = Deal.Status.STALLED

    assert editor_client.post(change_url(deal), data).status_code == 302

    deal.refresh_from_db()
    assert deal.status == Deal.Status.STALLED
    latest = deal.status_updates.order_by("-date", "-id").first()
    assert (latest.status, latest.date) == (Deal.Status.STALLED, datetime.date.today())
    assert deal.status_updates.count() == 2


def test_a_status_change_that_comes_with_its_update_records_nothing_more(editor_client):
    deal = PublishableDealFactory(status=Deal.Status.SIGNED)
    data = form_data(editor_client.get(change_url(deal)))
    data["status"] = Deal.Status.COMPLETED
    add_rows(data, "status_updates", [{"date": "2019-05-01", "status": "completed"}])

    assert editor_client.post(change_url(deal), data).status_code == 302

    deal.refresh_from_db()
    assert deal.status == Deal.Status.COMPLETED
    assert list(deal.status_updates.values_list("status", "date")) == [
        ("completed", datetime.date(2019, 5, 1))
    ]


def test_the_status_follows_the_latest_dated_update_entered_in_the_form(editor_client):
    deal = PublishableDealFactory(status=Deal.Status.SIGNED)
    deal.status_updates.create(status=Deal.Status.SIGNED, date=datetime.date(2017, 11, 8))
    data = form_data(editor_client.get(change_url(deal)))
    add_rows(
        data,
        "status_updates",
        [
            {"date": "2019-01-10", "status": "cancelled", "note": "Called off."},
            {"date": "2018-06-01", "status": "in_progress"},
        ],
    )

    assert editor_client.post(change_url(deal), data).status_code == 302

    deal.refresh_from_db()
    assert deal.status == Deal.Status.CANCELLED
    assert deal.status_updates.count() == 3


def test_an_unchanged_status_without_updates_records_none(editor_client):
    deal = PublishableDealFactory(status=Deal.Status.SIGNED)
    data = form_data(editor_client.get(change_url(deal)))
    data["summary"] = "A new summary."

    assert editor_client.post(change_url(deal), data).status_code == 302

    deal.refresh_from_db()
    assert deal.summary == "A new summary."
    assert deal.status == Deal.Status.SIGNED
    assert not deal.status_updates.exists()


# --- the list: queries, search, filters ------------------------------------------------


def deal_with_parties(**kwargs):
    deal = DealFactory(**kwargs)
    DealPartyFactory(deal=deal, role="buyer")
    DealPartyFactory(deal=deal, role="seller")
    return deal


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_changelist_costs_the_same_queries_for_3_and_30_deals(editor_client):
    for _ in range(3):
        deal_with_parties()
    count_queries(editor_client, CHANGELIST_URL)  # warm per-process caches
    with_3 = count_queries(editor_client, CHANGELIST_URL)

    for _ in range(27):
        deal_with_parties(is_published=False)
    with_30 = count_queries(editor_client, CHANGELIST_URL)

    assert Deal.objects.count() == 30
    assert with_30 == with_3


def test_the_changelist_shows_the_value_as_readers_see_it(editor_client):
    DealFactory(value_amount=None, value_qualifier=Qualifier.UNDISCLOSED, title="Helicopters")
    DealFactory(value_amount=Decimal("9000000000"), value_qualifier=Qualifier.ABOUT)

    content = editor_client.get(CHANGELIST_URL).content.decode()

    assert "about US$9 billion" in content
    assert "undisclosed" in content


@pytest.mark.parametrize(
    "term", ["Jingdong", "京东", "jd.com", "JD buys"], ids=["alias", "native", "name", "title"]
)
def test_search_finds_a_deal_by_its_title_or_any_name_of_a_party_once(editor_client, term):
    deal = DealFactory(title="JD buys beef")
    jd = PartyFactory(name="JD.com", native_name="京东", aliases="Jingdong\nJD")
    DealPartyFactory(deal=deal, party=jd, role="buyer")
    DealPartyFactory(deal=deal, party=jd, role="investor")
    DealPartyFactory(deal=deal, party=PartyFactory(aliases="Jingdong Logistics"), role="seller")
    DealFactory(title="Boeing aircraft")

    response = editor_client.get(CHANGELIST_URL, {"q": term})

    assert changelist_rows(response) == [deal]
    assert response.context["cl"].result_count == 1


@pytest.fixture
def filterable_deals():
    """Three deals that each filter tells apart."""
    manufacturing = Sector.objects.get(code="C")
    food = Sector.objects.get(code="10")
    finance = Sector.objects.get(code="K")
    beijing = CeremonyFactory(occasion=OccasionFactory())
    other = CeremonyFactory(occasion=OccasionFactory())
    food_deal = DealFactory(
        sector=food,
        ceremony=beijing,
        status=Deal.Status.SIGNED,
        instrument=Deal.Instrument.CONTRACT,
        is_published=True,
    )
    plant_deal = DealFactory(
        sector=manufacturing,
        ceremony=beijing,
        status=Deal.Status.STALLED,
        instrument=Deal.Instrument.MEMORANDUM_OF_UNDERSTANDING,
        is_published=False,
    )
    loan = DealFactory(
        sector=finance,
        ceremony=other,
        status=Deal.Status.COMPLETED,
        instrument=Deal.Instrument.FRAMEWORK_AGREEMENT,
        is_published=True,
    )
    DealPartyFactory(deal=food_deal, party=PartyFactory(country="CN"))
    DealPartyFactory(deal=food_deal, party=PartyFactory(country="CN"), role="seller")
    DealPartyFactory(deal=plant_deal, party=PartyFactory(country="US"))
    DealPartyFactory(deal=loan, party=PartyFactory(country="US"))
    DealPartyFactory(deal=loan, party=PartyFactory(country="CN"), role="lender")
    return {
        "food": food_deal,
        "plant": plant_deal,
        "loan": loan,
        "manufacturing": manufacturing,
        "food_sector": food,
        "beijing": beijing,
        "other": other,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ceremony__id__exact": "beijing"}, {"food", "plant"}),
        ({"ceremony__occasion__id__exact": "other.occasion"}, {"loan"}),
        ({"sector": "manufacturing"}, {"food", "plant"}),
        ({"sector": "food_sector"}, {"food"}),
        ({"status__exact": "stalled"}, {"plant"}),
        ({"instrument__exact": "framework_agreement"}, {"loan"}),
        ({"is_published__exact": "0"}, {"plant"}),
        ({"is_published__exact": "1"}, {"food", "loan"}),
        ({"party_country": "CN"}, {"food", "loan"}),
        ({"party_country": "US"}, {"plant", "loan"}),
        ({"signed_on__year": "2017"}, {"food", "plant", "loan"}),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else None,
)
def test_each_filter_lists_the_right_deals_once(editor_client, filterable_deals, params, expected):
    def resolve(value):
        name, _, attribute = value.partition(".")
        if name not in filterable_deals:
            return value
        target = filterable_deals[name]
        return str((getattr(target, attribute) if attribute else target).pk)

    query = {key: resolve(value) for key, value in params.items()}

    response = editor_client.get(CHANGELIST_URL, query)

    assert response.status_code == 200
    rows = changelist_rows(response)
    assert sorted(d.pk for d in rows) == sorted(filterable_deals[n].pk for n in expected)


def test_the_filters_offer_only_countries_and_sectors_in_use(editor_client, filterable_deals):
    response = editor_client.get(CHANGELIST_URL)

    specs = {spec.title: spec for spec in response.context["cl"].filter_specs}
    assert [code for code, _ in specs["party country"].lookup_choices] == ["CN", "US"]
    sector_choices = [label for _, label in specs["sector"].lookup_choices]
    assert sector_choices == [
        str(Sector.objects.get(code="C")),
        f"— {Sector.objects.get(code='10')}",
        str(Sector.objects.get(code="K")),
    ]


@pytest.mark.parametrize("params", [{"sector": "abc"}, {"party_country": "<b>"}])
def test_a_filter_value_it_did_not_offer_is_ignored_rather_than_an_error(
    editor_client, filterable_deals, params
):
    response = editor_client.get(CHANGELIST_URL, params)

    assert response.status_code == 200
    assert len(changelist_rows(response)) == 3


def test_the_umbrella_autocomplete_offers_only_deals_that_are_not_components(editor_client):
    umbrella = DealFactory(title="JD.com purchase pledge")
    DealFactory(title="JD.com beef contract", umbrella=umbrella)
    params = {
        "app_label": "deals",
        "model_name": "deal",
        "field_name": "umbrella",
        "term": "JD.com",
    }

    response = editor_client.get(reverse("admin:autocomplete"), params)

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["JD.com purchase pledge"]


# --- publishing ------------------------------------------------------------------------


def post_action(client, action, deals):
    return client.post(
        CHANGELIST_URL,
        {"action": action, "_selected_action": [d.pk for d in deals], "index": "0"},
    )


def test_the_publish_action_publishes_the_selected_drafts(editor_client, editor):
    drafts = [PublishableDealFactory(is_published=False) for _ in range(2)]
    already = DealFactory(is_published=True)
    untouched = DealFactory(is_published=False)

    response = post_action(editor_client, "publish", [*drafts, already])

    assert response.status_code == 302
    for deal in drafts:
        deal.refresh_from_db()
        assert deal.is_published is True
        assert deal.published_at is not None
        assert deal.updated_by == editor
        assert deal.history.first().history_user == editor
    untouched.refresh_from_db()
    assert untouched.is_published is False
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["2 deals published."]


def test_the_unpublish_action_takes_deals_off_the_public_record(editor_client, editor):
    deal = DealFactory(is_published=True)

    response = post_action(editor_client, "unpublish", [deal])

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.is_published is False
    assert deal.updated_by == editor


# --- history ---------------------------------------------------------------------------


def test_the_history_page_lists_each_change_with_its_author(editor_client, editor):
    deal = DealFactory(is_published=False)
    data = form_data(editor_client.get(change_url(deal)))
    data["title"] = "Reignwood buys Bell helicopters"
    editor_client.post(change_url(deal), data)

    response = editor_client.get(reverse("admin:deals_deal_history", args=[deal.pk]))

    assert response.status_code == 200
    assert deal.history.count() == 2
    content = response.content.decode()
    assert "Reignwood buys Bell helicopters" in content
    assert editor.username in content


def test_an_editor_can_revert_a_deal_to_an_earlier_version(editor_client, editor):
    deal = DealFactory(title="First title", is_published=True)
    version = deal.history.get()
    deal.title = "Second title"
    deal.save()
    deal.unpublish(user=editor)
    url = reverse("admin:deals_deal_simple_history", args=[deal.pk, version.history_id])
    data = form_data(editor_client.get(url))

    response = editor_client.post(url, data)

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.title == "First title"
    assert deal.is_published is True
    assert deal.updated_by == editor
