"""Every invalid combination entered in the admin is a form error on its field, never a 500."""

from decimal import Decimal

import pytest
from django.urls import reverse

from deals.models import Deal, DealParty, DealSource, ExchangeRate, Occasion, Sector
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    ExchangeRateFactory,
    PartyFactory,
    SourceFactory,
)
from tests.test_admin_deals import ADD_URL, add_rows, change_url, form_data, new_deal_data


@pytest.fixture
def world(db):
    """Existing records the bad combinations refer to, by name."""
    umbrella = DealFactory(slug="taken", title="JD.com purchase pledge")
    component = DealFactory(umbrella=umbrella)
    return {"umbrella": umbrella, "component": component, "party": PartyFactory()}


def resolve(world, value):
    """ "@party" is the primary key of world["party"]; anything else stands as written."""
    if isinstance(value, str) and value.startswith("@"):
        return str(world[value[1:]].pk)
    return value


INVALID_NEW_DEALS = [
    pytest.param(
        {"value_qualifier": "undisclosed", "value_amount": "5000000"},
        "value_amount",
        "Leave the amount empty",
        id="undisclosed-with-an-amount",
    ),
    pytest.param(
        {"value_qualifier": "more_than", "value_amount": ""},
        "value_amount",
        "Give the amount",
        id="qualified-without-an-amount",
    ),
    pytest.param(
        {"value_currency": "usd"}, "value_currency", "three capital letters", id="lowercase"
    ),
    pytest.param({"value_currency": "XYZ"}, "value_currency", "not an ISO 4217", id="not-iso"),
    pytest.param({"value_currency": "US"}, "value_currency", "three capital letters", id="short"),
    pytest.param({"value_amount": "-1"}, "value_amount", "cannot be negative", id="negative"),
    pytest.param({"term_months": "0"}, "term_months", "greater than or equal to 1", id="term-0"),
    pytest.param(
        {"term_start_date": "2018-01-01", "term_end_date": "2017-12-31"},
        "term_end_date",
        "cannot end before it starts",
        id="term-ends-before-it-starts",
    ),
    pytest.param(
        {"umbrella": "@component"},
        "umbrella",
        "is itself part of another deal",
        id="umbrella-that-is-a-component",
    ),
    pytest.param({"slug": "taken"}, "slug", "already exists", id="duplicate-slug"),
    pytest.param({"sector": ""}, "sector", "required", id="no-sector"),
    pytest.param({"sector": "999999"}, "sector", "valid choice", id="unknown-sector"),
    pytest.param({"signed_on": "2017-02-30"}, "signed_on", "valid date", id="impossible-date"),
    pytest.param(
        {"value_amount": "1" * 19}, "value_amount", "no more than 18 digits", id="too-many-digits"
    ),
]


@pytest.mark.parametrize(("fields", "field", "message"), INVALID_NEW_DEALS)
def test_an_invalid_new_deal_is_a_form_error_on_its_field(
    editor_client, world, fields, field, message
):
    before = Deal.objects.count()
    data = new_deal_data(editor_client, **{k: resolve(world, v) for k, v in fields.items()})

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert Deal.objects.count() == before


INVALID_INLINE_ROWS = [
    pytest.param(
        "deal_parties",
        [
            {"party": "@party", "role": "buyer", "order": "0"},
            {"party": "@party", "role": "buyer", "order": "1"},
        ],
        "party and role",
        id="same-party-same-role-twice",
    ),
    pytest.param(
        "citations",
        [{"source": "@source"}, {"source": "@source"}],
        "source",
        id="same-source-twice",
    ),
    pytest.param(
        "status_updates",
        [{"status": "signed", "date": ""}],
        "This field is required",
        id="status-update-without-a-date",
    ),
    pytest.param(
        "deal_parties",
        [{"party": "@party", "role": "", "order": "0"}],
        "required",
        id="party-without-role",
    ),
]


@pytest.mark.parametrize(("prefix", "rows", "message"), INVALID_INLINE_ROWS)
def test_invalid_inline_rows_are_form_errors_and_nothing_is_saved(
    editor_client, world, prefix, rows, message
):
    world["source"] = SourceFactory()
    before = (Deal.objects.count(), DealParty.objects.count(), DealSource.objects.count())
    data = new_deal_data(editor_client)
    add_rows(data, prefix, [{k: resolve(world, v) for k, v in row.items()} for row in rows])

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert not response.context["adminform"].form.errors
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    ]
    shown = [
        *formset.non_form_errors(),
        *(e for f in formset.errors for v in f.values() for e in v),
    ]
    assert any(message in error for error in shown), shown
    after = (Deal.objects.count(), DealParty.objects.count(), DealSource.objects.count())
    assert after == before


def test_the_same_party_may_sign_one_deal_in_two_roles(editor_client, world):
    data = new_deal_data(editor_client)
    party = world["party"].pk
    rows = [
        {"party": party, "role": "buyer", "order": "0"},
        {"party": party, "role": "investor", "order": "1"},
    ]
    add_rows(data, "deal_parties", rows)

    assert editor_client.post(ADD_URL, data).status_code == 302

    assert DealParty.objects.filter(party=world["party"]).count() == 2


def itself(deal):
    return deal


def a_follow_on_of(deal):
    return DealFactory(follows=deal)


def another_deal_once_deal_holds_a_component(deal):
    DealFactory(umbrella=deal)
    return DealFactory()


@pytest.mark.parametrize(
    ("link", "target", "message"),
    [
        pytest.param("umbrella", itself, "linked to itself", id="own-umbrella"),
        pytest.param("follows", itself, "linked to itself", id="follows-itself"),
        pytest.param("follows", a_follow_on_of, "linked to itself", id="follows-loop"),
        pytest.param(
            "umbrella",
            another_deal_once_deal_holds_a_component,
            "holds components of its own",
            id="umbrella-with-components-becomes-a-component",
        ),
    ],
)
def test_an_invalid_link_between_deals_is_a_form_error(editor_client, link, target, message):
    deal = DealFactory(title="Original")
    data = form_data(editor_client.get(change_url(deal)))
    data.update({link: target(deal).pk, "title": "Changed"})

    response = editor_client.post(change_url(deal), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[link])
    deal.refresh_from_db()
    assert (deal.title, getattr(deal, f"{link}_id")) == ("Original", None)


# --- the other records -------------------------------------------------------------------


def post_add(client, model, data):
    return client.post(reverse(f"admin:deals_{model}_add"), data)


def form_errors(response):
    assert response.status_code == 200
    return response.context["adminform"].form.errors


def test_a_sector_cannot_be_placed_under_a_division(editor_client):
    division = Sector.objects.get(code="10")
    data = {"name": "Beef", "slug": "beef", "code": "", "parent": division.pk}

    errors = form_errors(post_add(editor_client, "sector", data))

    assert "must be a section" in " ".join(errors["parent"])
    assert not Sector.objects.filter(slug="beef").exists()


def test_a_sector_cannot_be_its_own_parent(editor_client):
    section = Sector.objects.create(name="Staff section", slug="staff-section")
    url = reverse("admin:deals_sector_change", args=[section.pk])
    data = {"name": "Staff section", "slug": "staff-section", "code": "", "parent": section.pk}

    errors = form_errors(editor_client.post(url, data))

    assert "its own parent" in " ".join(errors["parent"])
    section.refresh_from_db()
    assert section.parent_id is None


def test_a_party_cannot_belong_to_its_own_subsidiary(editor_client):
    group = PartyFactory(name="Textron")
    bell = PartyFactory(name="Bell Helicopter", parent=group)
    url = reverse("admin:deals_party_change", args=[group.pk])
    data = form_data(editor_client.get(url))
    data["parent"] = bell.pk

    errors = form_errors(editor_client.post(url, data))

    assert "cannot belong to itself" in " ".join(errors["parent"])
    group.refresh_from_db()
    assert group.parent_id is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param(
            {"announced_value_qualifier": "about", "announced_value_amount": ""},
            "announced_value_amount",
            "Give the amount",
            id="announced-qualifier-without-amount",
        ),
        pytest.param(
            {"announced_value_amount": "-9"},
            "announced_value_amount",
            "cannot be negative",
            id="negative-announced-value",
        ),
        pytest.param(
            {"announced_value_currency": "usd"},
            "announced_value_currency",
            "three capital letters",
            id="lowercase-currency",
        ),
    ],
)
def test_an_invalid_ceremony_headline_is_a_form_error(editor_client, fields, field, message):
    ceremony = CeremonyFactory(
        announced_value_amount=Decimal("9000000000"), announced_value_qualifier="about"
    )
    url = reverse("admin:deals_ceremony_change", args=[ceremony.pk])
    data = form_data(editor_client.get(url))
    data.update(fields)

    errors = form_errors(editor_client.post(url, data))

    assert message in " ".join(errors[field])
    ceremony.refresh_from_db()
    assert ceremony.announced_value_amount == Decimal("9000000000")


def test_an_occasion_cannot_end_before_it_starts(editor_client):
    data = {"name": "Visit", "slug": "visit", "start_date": "2017-11-08", "end_date": "2017-11-01"}

    errors = form_errors(post_add(editor_client, "occasion", data))

    assert "cannot be before the start date" in " ".join(errors["end_date"])
    assert not Occasion.objects.filter(slug="visit").exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param({"rate_to_usd": "0"}, "rate_to_usd", "more than zero", id="zero-rate"),
        pytest.param({"rate_to_usd": "-0.15"}, "rate_to_usd", "more than zero", id="negative"),
        pytest.param({"currency": "RMB"}, "currency", "not an ISO 4217", id="not-iso"),
        pytest.param({"date": "2017-11-08"}, "__all__", "already exists", id="second-rate-a-day"),
    ],
)
def test_an_invalid_exchange_rate_is_a_form_error(editor_client, fields, field, message):
    ExchangeRateFactory(currency="CNY", date="2017-11-08")
    data = {"currency": "CNY", "date": "2017-11-09", "rate_to_usd": "0.15", "source": "ecb"}
    data.update(fields)

    errors = form_errors(post_add(editor_client, "exchangerate", data))

    assert message in " ".join(errors[field])
    assert ExchangeRate.objects.count() == 1
