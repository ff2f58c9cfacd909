"""Property test of the deal write serializer: whatever typed JSON body an editor posts
(unicode and markup in the text, garbage in the amounts, currencies, qualifiers, terms
and dates), the API answers 201 with a deal saved exactly as the response shows it, or
400 in the one error shape naming the fields; never a server error."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from deals.models import Deal, Qualifier

DEALS = "/api/v1/deals/"

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "'; DROP TABLE deals_deal; --",
]

texts = st.one_of(st.text(max_size=300), st.sampled_from(XSS), st.just(""))
slugs = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,40}", fullmatch=True),
    st.text(max_size=80),
    st.sampled_from(XSS),
)
amounts = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["NaN", "nan", "Infinity", "-Infinity", "1e400", "-0", "1,000", "", " "]),
    st.text(max_size=20),
    st.none(),
)
currencies = st.one_of(
    st.text(alphabet=st.characters(categories=["Lu", "Ll"]), max_size=5),
    st.sampled_from(["USD", "CNY", "EUR", "usd", "XXX"]),
)
qualifiers = st.one_of(st.sampled_from(Qualifier.values), st.text(max_size=15), st.none())
months = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from([0, -1, 1, 2**31, 2**63]),
    st.none(),
)
dates = st.one_of(
    st.dates().map(datetime.date.isoformat),
    st.sampled_from(["2017-02-30", "2017-13-01", "0000-00-00", "yesterday", "", "9999-12-31"]),
    st.text(max_size=12),
    st.none(),
)


# What a careful client would send, field by field: each example breaks a few fields
# at most, so that both answers (201 and 400) are exercised.
recent = st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)).map(
    datetime.date.isoformat
)
VALID = {
    "title": st.one_of(
        st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=100).filter(
            str.strip
        ),
        st.sampled_from(XSS),
    ),
    "slug": st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}", fullmatch=True),
    "signed_on": st.one_of(recent, st.none()),
    "amount": st.decimals(1, 10**12, places=2).map(str),
    "currency": st.sampled_from(["USD", "CNY", "EUR"]),
    "qualifier": st.sampled_from([q for q in Qualifier.values if q != Qualifier.UNDISCLOSED]),
    "months": st.one_of(st.integers(1, 600), st.none()),
    "start_date": st.one_of(recent, st.none()),
}
JUNK = {
    "title": texts,
    "slug": slugs,
    "signed_on": dates,
    "amount": amounts,
    "currency": currencies,
    "qualifier": qualifiers,
    "months": months,
    "start_date": dates,
}


@st.composite
def deal_bodies(draw):
    broken = draw(st.sets(st.sampled_from(sorted(VALID)), max_size=3))
    field = {name: draw(JUNK[name] if name in broken else VALID[name]) for name in VALID}
    return {
        "title": field["title"],
        "slug": field["slug"],
        "sector": "manufacture-of-other-transport-equipment",
        "signed_on": field["signed_on"],
        "parties": [{"party": "boeing", "role": "seller"}],
        "value": {
            "amount": field["amount"],
            "currency": field["currency"],
            "qualifier": field["qualifier"],
        },
        "term": {"months": field["months"], "start_date": field["start_date"]},
    }


class Rollback(Exception):
    """Raised to undo an example's writes, so each example starts from the same record."""


@pytest.mark.django_db
@given(body=deal_bodies())
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_posted_deal_is_saved_as_answered_or_refused_400_naming_fields(
    token_client, editor, api_record, body
):
    client = token_client(editor)
    try:
        with transaction.atomic():
            response = client.post(DEALS, body, format="json")
            assert response.status_code in (201, 400), (response.status_code, response.content)
            event(f"answered {response.status_code}")
            if response.status_code == 201:
                assert_saved_as_answered(response.json())
            else:
                assert_one_error_shape(response.json())
            raise Rollback
    except Rollback:
        pass


def assert_saved_as_answered(shown):
    deal = Deal.objects.get(pk=shown["id"])
    value, term = shown["value"], shown["term"]
    assert deal.title == shown["title"]
    assert deal.slug == shown["slug"]
    assert iso(deal.signed_on) == shown["signed_on"]
    amount = None if value["amount"] is None else Decimal(value["amount"])
    assert deal.value_amount == amount
    assert deal.value_currency == value["currency"]
    assert deal.value_qualifier == value["qualifier"]
    assert deal.term_months == term["months"]
    assert iso(deal.term_start_date) == term["start_date"]


def iso(date):
    return None if date is None else date.isoformat()


def assert_one_error_shape(body):
    error = body["error"]
    assert set(error) == {"status", "code", "message", "fields"}
    assert error["status"] == 400
    assert isinstance(error["message"], str) and error["message"]
    assert error["fields"], "a 400 for a bad body names the fields"
    for path, messages in error["fields"].items():
        assert isinstance(path, str)
        assert messages and all(isinstance(message, str) for message in messages)
