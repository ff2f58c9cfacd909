"""Quick entry on the deal form: press wording fills value and term, for the editor to confirm."""

from decimal import Decimal

import pytest
from django.urls import reverse

from deals.models import Deal, Qualifier
from tests.factories import PublishableDealFactory, UserFactory
from tests.test_admin_deals import ADD_URL, change_url, form_data, new_deal_data

PARSE_URL = reverse("admin:deals_deal_parse_wording")


# --- the endpoint the script calls ----------------------------------------------------------


def test_the_endpoint_returns_the_fields_a_wording_fills(editor_client):
    response = editor_client.get(PARSE_URL, {"text": "more than $2 billion over three years"})

    assert response.status_code == 200
    reply = response.json()
    assert reply["ok"] is True
    assert reply["fields"] == {
        "value_amount": "2000000000",
        "value_currency": "USD",
        "value_qualifier": "more_than",
        "value_basis": "unspecified",
        "term_months": "36",
    }
    assert reply["reading"] == "more than US$2 billion, 3 years"
    assert any("read as US dollars" in note for note in reply["assumptions"])


def test_the_endpoint_leaves_currency_alone_for_an_undisclosed_value(editor_client):
    reply = editor_client.get(PARSE_URL, {"text": "undisclosed"}).json()

    assert reply["fields"] == {
        "value_amount": "",
        "value_qualifier": "undisclosed",
        "value_basis": "unspecified",
    }


def test_the_endpoint_explains_what_it_cannot_read(editor_client):
    reply = editor_client.get(PARSE_URL, {"text": "$1-2 billion"}).json()

    assert reply["ok"] is False
    assert "is a range" in reply["error"]


def test_the_endpoint_is_for_staff_who_enter_deals(client, db):
    assert client.get(PARSE_URL, {"text": "$1bn"}).status_code == 302  # to the sign-in page
    client.force_login(UserFactory(username="viewer"))  # staff, but no deal permissions

    assert client.get(PARSE_URL, {"text": "$1bn"}).status_code == 403


def test_the_deal_form_loads_the_script_and_tells_it_where_to_ask(editor_client):
    content = editor_client.get(ADD_URL).content.decode()

    assert "admin-extra/quick_entry.js" in content
    assert f'data-quick-entry-url="{PARSE_URL}"' in content
    assert 'name="value_wording"' in content


# --- without JavaScript: the form fills and asks again ------------------------------------------


def test_saving_with_wording_and_no_amount_fills_the_fields_and_asks_to_confirm(editor_client):
    data = new_deal_data(
        editor_client,
        value_wording="no less than $12 billion over the next three years",
        value_amount="",
        term_months="",
    )

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert not Deal.objects.exists()
    form = response.context["adminform"].form
    assert "Read as “at least US$12 billion, 3 years”" in form.errors["value_wording"][0]
    assert (form["value_amount"].value(), form["value_qualifier"].value()) == (
        "12000000000",
        "at_least",
    )
    assert form["term_months"].value() == "36"
    assert "value_amount" not in form.errors  # the reading is a valid value

    # The editor checks the fields and saves again: now it is saved as shown.
    confirmed = form_data(response)
    assert editor_client.post(ADD_URL, confirmed).status_code == 302
    deal = Deal.objects.get()
    assert (deal.value_amount, deal.value_qualifier, deal.term_months) == (
        Decimal("12000000000"),
        Qualifier.AT_LEAST,
        36,
    )


def test_the_fields_the_editor_filled_stand_over_the_wording(editor_client):
    data = new_deal_data(editor_client, value_wording="¥5bn", value_amount="1200000000")

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302
    deal = Deal.objects.get()
    assert (deal.value_amount, deal.value_currency) == (Decimal("1200000000"), "USD")


def test_a_term_the_editor_typed_is_kept(editor_client):
    data = new_deal_data(
        editor_client, value_wording="$2bn over three years", value_amount="", term_months="24"
    )

    form = editor_client.post(ADD_URL, data).context["adminform"].form

    assert form["term_months"].value() == "24"


@pytest.mark.parametrize(
    ("wording", "message"),
    [
        ("a lot of money", "Could not find the amount"),
        ("2 billion", "names no currency"),
        ("$2 billion a year", "figure per period"),
    ],
)
def test_wording_it_cannot_read_is_an_error_on_the_field_never_a_guess(
    editor_client, wording, message
):
    data = new_deal_data(editor_client, value_wording=wording, value_amount="")

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["value_wording"][0]
    assert response.context["adminform"].form["value_amount"].value() == ""
    assert not Deal.objects.exists()


def test_quick_entry_works_on_the_change_form_too(editor_client):
    deal = PublishableDealFactory(value_amount=None, value_qualifier=Qualifier.UNDISCLOSED)
    data = form_data(editor_client.get(change_url(deal)))
    data.update({"value_wording": "up to $43bn", "value_qualifier": "exact"})

    response = editor_client.post(change_url(deal), data)

    form = response.context["adminform"].form
    assert (form["value_amount"].value(), form["value_qualifier"].value()) == (
        "43000000000",
        "up_to",
    )
    assert editor_client.post(change_url(deal), form_data(response)).status_code == 302
    deal.refresh_from_db()
    assert deal.value_amount == Decimal("43000000000")
