"""How figures are written for readers. Pure functions: no database needed.

The expected wording is spelled out here rather than imported from the module, so
that a change to the wording has to be made, and seen, in both places.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from deals.presentation import format_money, format_term, format_total, format_value

D = Decimal
BILLION = D(10) ** 9
MILLION = D(10) ** 6

QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "at_least": "at least ",
    "more_than": "more than ",
    "up_to": "up to ",
}
QUALIFIERS = [*QUALIFIER_WORDS, "undisclosed"]

BASIS_WORDS = {
    "unspecified": "",
    "list_price": " at list prices",
    "purchase_commitment": " in purchase commitments",
    "investment": " in investment",
    "project_cost": " in project cost",
    "financing": " in financing",
}

CURRENCIES = [
    "USD", "CNY", "EUR", "JPY", "SAR", "AED", "GBP", "CHF", "HKD", "KRW", "INR", "RUB",
    "BRL", "CAD", "AUD", "NZD", "SGD", "MYR", "IDR", "THB", "VND", "PHP", "TRY", "EGP",
    "ZAR", "NGN", "KES", "QAR", "KWD", "BHD", "OMR", "ILS", "MXN", "ARS", "CLP", "SEK",
    "NOK", "DKK", "PLN", "CZK", "HUF", "KZT", "PKR", "BDT", "TWD",
]  # fmt: skip


# ---------------------------------------------------------------- format_money

MONEY_CASES = [
    (D(2_000_000_000), "USD", "US$2 billion"),
    (D(1_200_000_000), "USD", "US$1.2 billion"),
    (D(756_000_000), "USD", "US$756 million"),
    (D(5_000_000_000), "CNY", "RMB 5 billion"),
    (D(750_000), "USD", "US$750,000"),
    (D(12_500_000), "EUR", "EUR 12.5 million"),
    (D(1_250_000_000), "USD", "US$1.25 billion"),
    (D(3_000_000), "HKD", "HKD 3 million"),
    (D(500_000_000), "JPY", "JPY 500 million"),
    (D(1_000_000), "USD", "US$1 million"),
    (D(1_500_000_000_000), "SAR", "SAR 1.5 trillion"),
    (D("2000000000.00"), "USD", "US$2 billion"),
    (D("2E+9"), "USD", "US$2 billion"),
    (2_000_000_000, "USD", "US$2 billion"),
    (D("1234.50"), "USD", "US$1,234.50"),
    (D("0.50"), "USD", "US$0.50"),
    (D("1234.00"), "USD", "US$1,234"),
    (D(0), "USD", "US$0"),
    (D("0.00"), "AED", "AED 0"),
    (D("-0"), "USD", "US$0"),
    (D(999_999), "USD", "US$999,999"),
]


@pytest.mark.parametrize(("amount", "currency", "expected"), MONEY_CASES)
def test_it_writes_money(amount, currency, expected):
    assert format_money(amount, currency) == expected


# Each of these would read as a different amount in the compact form.
INEXACT_COMPACT_CASES = [
    (D(1_234_567_891), "US$1,234,567,891"),  # not "US$1.23 billion"
    (D(999_999_999), "US$999,999,999"),  # not "US$1 billion"
    (D(12_345_000), "US$12,345,000"),  # not "US$12.35 million"
    (D(1_000_001), "US$1,000,001"),  # not "US$1 million"
    (D("2000000000.50"), "US$2,000,000,000.50"),
    (D("1234567.125"), "US$1,234,567.125"),  # a third decimal is kept, not rounded
]


@pytest.mark.parametrize(("amount", "expected"), INEXACT_COMPACT_CASES)
def test_it_writes_the_full_number_when_the_compact_form_would_round(amount, expected):
    assert format_money(amount, "USD") == expected


def test_it_writes_the_full_number_beyond_a_thousand_trillion():
    assert format_money(D(10) ** 15, "USD") == "US$1,000,000,000,000,000"


def test_it_writes_amounts_longer_than_the_decimal_precision_without_rounding():
    amount = D("1" + "0" * 30 + ".05")  # built from text: arithmetic would round it

    assert format_money(amount, "USD") == "US$1," + "000," * 9 + "000.05"


@pytest.mark.parametrize("amount", [D(-1), D("-0.01"), -5])
def test_it_refuses_a_negative_amount(amount):
    with pytest.raises(ValueError, match="must not be negative"):
        format_money(amount, "USD")


@pytest.mark.parametrize("amount", [D("NaN"), D("Infinity")])
def test_it_refuses_an_amount_that_is_not_a_number(amount):
    with pytest.raises(ValueError, match="finite"):
        format_money(amount, "USD")


@pytest.mark.parametrize("amount", [1.2e9, "1200000000", True])
def test_it_refuses_amounts_that_are_not_decimal_or_int(amount):
    with pytest.raises(TypeError, match="Decimal or an int"):
        format_money(amount, "USD")


@pytest.mark.parametrize("currency", ["usd", "US", "USDX", "", "US$", "ÉUR", None])
def test_it_refuses_a_currency_that_is_not_an_iso_code(currency):
    with pytest.raises(ValueError, match="ISO 4217"):
        format_money(D(1), currency)


# ---------------------------------------------------------------- format_value

VALUE_CASES = [
    # amount, currency, qualifier, basis, amount_usd, expected
    (D(2 * BILLION), "USD", "more_than", "unspecified", None, "more than US$2 billion"),
    (D(9 * BILLION), "USD", "about", "unspecified", None, "about US$9 billion"),
    (D(37 * BILLION), "USD", "exact", "list_price", None, "US$37 billion at list prices"),
    (
        D(5 * BILLION),
        "CNY",
        "exact",
        "unspecified",
        D(756_000_000),
        "RMB 5 billion (about US$756 million)",
    ),
    (None, "USD", "undisclosed", "unspecified", None, "undisclosed"),
    (D(12 * BILLION), "USD", "at_least", "unspecified", None, "at least US$12 billion"),
    (D(43 * BILLION), "USD", "up_to", "unspecified", None, "up to US$43 billion"),
    (D("1.2") * BILLION, "USD", "exact", "unspecified", None, "US$1.2 billion"),
    (
        D(2 * BILLION),
        "USD",
        "more_than",
        "purchase_commitment",
        None,
        "more than US$2 billion in purchase commitments",
    ),
    (D(10 * BILLION), "USD", "exact", "investment", None, "US$10 billion in investment"),
    (
        D("1.5") * BILLION,
        "USD",
        "about",
        "project_cost",
        None,
        "about US$1.5 billion in project cost",
    ),
    (D(500 * MILLION), "EUR", "up_to", "financing", None, "up to EUR 500 million in financing"),
    # The basis describes the stated money, so it comes before the USD estimate.
    (
        D(5 * BILLION),
        "CNY",
        "exact",
        "list_price",
        D(756_000_000),
        "RMB 5 billion at list prices (about US$756 million)",
    ),
    (
        D(5 * BILLION),
        "CNY",
        "more_than",
        "unspecified",
        D(756_123_456),
        "more than RMB 5 billion (about US$756 million)",
    ),
    # A USD value is its own equivalent.
    (D(2 * BILLION), "USD", "exact", "unspecified", D(2 * BILLION), "US$2 billion"),
    (D(2 * BILLION), "USD", "exact", "unspecified", D(1), "US$2 billion"),
    # Without an exchange rate there is no estimate to show.
    (D(5 * BILLION), "CNY", "exact", "unspecified", None, "RMB 5 billion"),
    # The model forbids an amount here; if one slips through it is not shown.
    (D(5 * BILLION), "USD", "undisclosed", "unspecified", None, "undisclosed"),
    (D(5 * BILLION), "CNY", "undisclosed", "investment", D(756_000_000), "undisclosed"),
    (D(1_234_567_891), "USD", "about", "unspecified", None, "about US$1,234,567,891"),
]


@pytest.mark.parametrize(
    ("amount", "currency", "qualifier", "basis", "amount_usd", "expected"), VALUE_CASES
)
def test_it_writes_values(amount, currency, qualifier, basis, amount_usd, expected):
    assert format_value(amount, currency, qualifier, basis, amount_usd) == expected


def test_it_defaults_to_an_unspecified_basis_and_no_estimate():
    assert format_value(D(2 * BILLION), "USD", "more_than") == "more than US$2 billion"


USD_ESTIMATE_CASES = [
    (D(756_123_456), "about US$756 million"),
    (D(755_500_000), "about US$756 million"),  # halves round up
    (D(755_499_999), "about US$755 million"),
    (D(1_234_567_891), "about US$1.23 billion"),
    (D(999_600_000), "about US$1 billion"),
    (D(12_345), "about US$12,300"),
    (D("0.004"), "about US$0.004"),
    (D(0), "about US$0"),
    (756_000_000, "about US$756 million"),
]


@pytest.mark.parametrize(("amount_usd", "expected_estimate"), USD_ESTIMATE_CASES)
def test_it_rounds_the_usd_estimate_to_three_significant_figures(amount_usd, expected_estimate):
    rendered = format_value(D(5 * BILLION), "CNY", "exact", amount_usd=amount_usd)

    assert rendered == f"RMB 5 billion ({expected_estimate})"


def test_it_refuses_an_unknown_qualifier():
    with pytest.raises(ValueError, match="unknown qualifier 'roughly'; expected one of: exact"):
        format_value(D(1), "USD", "roughly")


def test_it_refuses_an_unknown_basis():
    with pytest.raises(ValueError, match="unknown basis 'retail'; expected one of: unspecified"):
        format_value(D(1), "USD", "exact", "retail")


def test_it_refuses_an_unknown_basis_even_when_undisclosed():
    with pytest.raises(ValueError, match="unknown basis"):
        format_value(None, "USD", "undisclosed", "retail")


@pytest.mark.parametrize("qualifier", list(QUALIFIER_WORDS))
def test_it_requires_an_amount_unless_undisclosed(qualifier):
    with pytest.raises(ValueError, match="amount is required"):
        format_value(None, "USD", qualifier)


def test_it_refuses_a_negative_amount_in_a_value():
    with pytest.raises(ValueError, match="amount must not be negative"):
        format_value(D(-1), "USD", "about")


def test_it_refuses_a_negative_usd_equivalent():
    with pytest.raises(ValueError, match="amount_usd must not be negative"):
        format_value(D(1), "CNY", "about", amount_usd=D(-1))


# ---------------------------------------------------------------- format_term

TERM_CASES = [
    ({"months": 36}, "3 years"),
    ({"months": 18}, "18 months"),
    ({"months": 12}, "1 year"),
    ({"months": 1}, "1 month"),
    ({"months": 24}, "2 years"),
    ({"months": 30}, "30 months"),
    ({"months": 1200}, "100 years"),
    ({"months": 1199}, "1,199 months"),
    ({"start_date": date(2018, 1, 1), "end_date": date(2020, 12, 31)}, "1 Jan 2018 – 31 Dec 2020"),
    ({"start_date": date(2018, 1, 1)}, "from 1 Jan 2018"),
    ({"end_date": date(2020, 12, 31)}, "until 31 Dec 2020"),
    ({"start_date": date(2018, 1, 1), "end_date": date(2018, 1, 1)}, "1 Jan 2018 – 1 Jan 2018"),
    ({}, ""),
    (
        {"months": 36, "start_date": date(2018, 1, 1), "end_date": date(2020, 12, 31)},
        "3 years (1 Jan 2018 – 31 Dec 2020)",
    ),
    ({"months": 36, "start_date": date(2018, 1, 1)}, "3 years (from 1 Jan 2018)"),
    ({"months": 18, "end_date": date(2020, 12, 31)}, "18 months (until 31 Dec 2020)"),
]


@pytest.mark.parametrize(("arguments", "expected"), TERM_CASES)
def test_it_writes_terms(arguments, expected):
    assert format_term(**arguments) == expected


def test_it_takes_months_as_the_first_positional_argument():
    assert format_term(36) == "3 years"


@pytest.mark.parametrize("months", [0, -12])
def test_it_refuses_a_term_shorter_than_a_month(months):
    with pytest.raises(ValueError, match="at least 1"):
        format_term(months)


@pytest.mark.parametrize("months", [1.5, "36", True])
def test_it_refuses_months_that_are_not_an_int(months):
    with pytest.raises(TypeError, match="months must be an int"):
        format_term(months)


def test_it_refuses_an_end_date_before_the_start_date():
    with pytest.raises(ValueError, match="before start_date"):
        format_term(start_date=date(2020, 1, 2), end_date=date(2020, 1, 1))


# ---------------------------------------------------------------- properties

PREFIXES = {"USD": "US$", "CNY": "RMB "}
SCALES = {"million": MILLION, "billion": BILLION, "trillion": D(10) ** 12}

VALUE_PATTERN = re.compile(
    r"(?P<qualifier>about |at least |more than |up to )?"
    r"(?P<money>.+?)"
    r"(?P<basis> at list prices| in purchase commitments| in investment"
    r"| in project cost| in financing)?"
    r"(?: \(about (?P<estimate>US\$[^)]+)\))?"
)


def parse_money(text, currency):
    """Read a written amount back into a Decimal, checking its currency prefix."""
    prefix = PREFIXES.get(currency, f"{currency} ")
    assert text.startswith(prefix), f"{text!r} does not start with {prefix!r}"
    number, _, word = text.removeprefix(prefix).partition(" ")
    assert re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?", number), f"badly written number {number!r}"
    value = parse_decimal(number, locale="en", strict=True)
    if word:
        # The compact form carries at most two decimals and never more than 999 units.
        assert re.fullmatch(r"\d{1,3}(\.\d{1,2})?", number), f"badly compacted {text!r}"
        return value * SCALES[word]
    return value


amounts = st.decimals(min_value=0, max_value=10**15, places=2)


@given(
    amount=amounts,
    currency=st.sampled_from(CURRENCIES),
    qualifier=st.sampled_from(QUALIFIERS),
    basis=st.sampled_from(list(BASIS_WORDS)),
    amount_usd=st.none() | amounts,
)
def test_it_writes_any_value_without_misrepresenting_it(
    amount, currency, qualifier, basis, amount_usd
):
    rendered = format_value(amount, currency, qualifier, basis, amount_usd)

    assert isinstance(rendered, str)
    assert rendered
    if qualifier == "undisclosed":
        assert rendered == "undisclosed"
        return
    parts = VALUE_PATTERN.fullmatch(rendered)
    assert parts, f"unexpected shape {rendered!r}"
    assert (parts["qualifier"] or "") == QUALIFIER_WORDS[qualifier]
    assert (parts["basis"] or "") == BASIS_WORDS[basis]
    assert parse_money(parts["money"], currency) == amount
    if currency == "USD" or amount_usd is None:
        assert parts["estimate"] is None
    else:
        estimate = parse_money(parts["estimate"], "USD")
        # Three significant figures, rounded: off by at most half a unit in the third.
        assert abs(estimate - amount_usd) <= amount_usd * D("0.005")


@given(amount=amounts, currency=st.sampled_from(CURRENCIES))
def test_it_writes_any_amount_so_that_it_reads_back_exactly(amount, currency):
    assert parse_money(format_money(amount, currency), currency) == amount


@given(months=st.integers(min_value=1, max_value=1200))
def test_it_writes_any_term_so_that_it_reads_back_exactly(months):
    rendered = format_term(months)

    parts = re.fullmatch(r"(?P<count>[\d,]+) (?P<unit>years?|months?)", rendered)
    assert parts, f"unexpected shape {rendered!r}"
    count = int(parts["count"].replace(",", ""))
    assert parts["unit"].endswith("s") == (count != 1)
    if parts["unit"].startswith("year"):
        assert count * 12 == months
    else:
        assert count == months
        assert months % 12 != 0


MONTH_ABBREVIATIONS = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
]  # fmt: skip


def written_date(day):
    return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"


def days_after(day, days):
    return date.fromordinal(min(day.toordinal() + days, date.max.toordinal()))


@given(
    months=st.none() | st.integers(min_value=1, max_value=1200),
    start_date=st.none() | st.dates(),
    days=st.integers(min_value=0, max_value=365 * 100),
    has_end_date=st.booleans(),
)
def test_it_writes_any_term_with_dates(months, start_date, days, has_end_date):
    end_date = days_after(start_date or date(2000, 1, 1), days) if has_end_date else None

    rendered = format_term(months, start_date, end_date)

    if start_date and end_date:
        span = f"{written_date(start_date)} – {written_date(end_date)}"
    elif start_date:
        span = f"from {written_date(start_date)}"
    elif end_date:
        span = f"until {written_date(end_date)}"
    else:
        span = ""
    if months is None:
        assert rendered == span
    else:
        assert rendered == (f"{format_term(months)} ({span})" if span else format_term(months))


@pytest.mark.parametrize(
    ("amount_usd", "qualifier", "expected"),
    [
        (Decimal("2756123456.78"), "about", "about US$2.76 billion"),
        (Decimal("3200000000"), "more_than", "more than US$3.2 billion"),
        (Decimal("1234567891"), "exact", "US$1,234,567,891"),
        (None, "exact", "undisclosed"),
    ],
)
def test_a_total_is_rounded_only_when_it_is_an_estimate(amount_usd, qualifier, expected):
    assert format_total(amount_usd, qualifier) == expected
