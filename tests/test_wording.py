"""Reading a value as the press words it: every phrase of issue 7, refusals, properties."""

from decimal import Decimal

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from deals import wording
from deals.models import Deal, Qualifier
from deals.presentation import format_term, format_value
from deals.wording import ParsedValue, WordingError, parse_value_wording

BN = Decimal(10) ** 9

# (phrase, amount, currency, qualifier, basis, term_months)
PHRASES = [
    ("more than $2 billion over three years", 2 * BN, "USD", "more_than", "unspecified", 36),
    ("about US$9 billion", 9 * BN, "USD", "about", "unspecified", None),
    ("up to $43bn", 43 * BN, "USD", "up_to", "unspecified", None),
    (
        "no less than $12 billion over the next three years",
        12 * BN,
        "USD",
        "at_least",
        "unspecified",
        36,
    ),
    ("RMB 5 billion", 5 * BN, "CNY", "exact", "unspecified", None),
    ("¥5bn", 5 * BN, "CNY", "exact", "unspecified", None),
    ("in excess of $1.2 billion", Decimal("1200000000"), "USD", "more_than", "unspecified", None),
    ("$37 billion at list prices", 37 * BN, "USD", "exact", "list_price", None),
    ("undisclosed", None, None, "undisclosed", "unspecified", None),
    # and the variants press reports use
    ("US$ 9 billion", 9 * BN, "USD", "exact", "unspecified", None),
    ("US $9bn.", 9 * BN, "USD", "exact", "unspecified", None),
    ("5 billion yuan", 5 * BN, "CNY", "exact", "unspecified", None),
    ("CNY 8 billion", 8 * BN, "CNY", "exact", "unspecified", None),
    ("JPY 500 million", Decimal("500000000"), "JPY", "exact", "unspecified", None),
    ("500 million yen", Decimal("500000000"), "JPY", "exact", "unspecified", None),
    ("€1.5bn", Decimal("1500000000"), "EUR", "exact", "unspecified", None),
    ("EUR 12.5 million", Decimal("12500000"), "EUR", "exact", "unspecified", None),
    ("SAR 500 million", Decimal("500000000"), "SAR", "exact", "unspecified", None),
    ("HK$3 billion", 3 * BN, "HKD", "exact", "unspecified", None),
    ("US$756 million", Decimal("756000000"), "USD", "exact", "unspecified", None),
    ("US$1,234,567,891", Decimal("1234567891"), "USD", "exact", "unspecified", None),
    ("$750,000", Decimal("750000"), "USD", "exact", "unspecified", None),
    ("$0.5m", Decimal("500000"), "USD", "exact", "unspecified", None),
    ("$1.2 trillion", Decimal("1200000000000"), "USD", "exact", "unspecified", None),
    ("over $250 million", Decimal("250000000"), "USD", "more_than", "unspecified", None),
    # "over" before the figure qualifies it; after it, it starts the term.
    ("over $2 billion over three years", 2 * BN, "USD", "more_than", "unspecified", 36),
    ("at least $1bn", BN, "USD", "at_least", "unspecified", None),
    ("a minimum of US$2 billion", 2 * BN, "USD", "at_least", "unspecified", None),
    ("approximately $3bn", 3 * BN, "USD", "about", "unspecified", None),
    ("some $3 billion", 3 * BN, "USD", "about", "unspecified", None),
    ("nearly $3 billion", 3 * BN, "USD", "about", "unspecified", None),
    ("as much as US$10 billion", 10 * BN, "USD", "up_to", "unspecified", None),
    ("worth about $250 million", Decimal("250000000"), "USD", "about", "unspecified", None),
    ("about US$9 billion in deals", 9 * BN, "USD", "about", "unspecified", None),
    ("$2 billion for 18 months", 2 * BN, "USD", "exact", "unspecified", 18),
    ("$2 billion over two and a half years", 2 * BN, "USD", "exact", "unspecified", 30),
    ("$2 billion over the next decade", 2 * BN, "USD", "exact", "unspecified", 120),
    ("$2 billion, five-year", 2 * BN, "USD", "exact", "unspecified", 60),
    ("US$10 billion 10-year deal", 10 * BN, "USD", "exact", "unspecified", 120),
    ("$5bn in investment", 5 * BN, "USD", "exact", "investment", None),
    ("$5bn in financing over 5 years", 5 * BN, "USD", "exact", "financing", 60),
    ("an undisclosed sum over five years", None, None, "undisclosed", "unspecified", 60),
    ("Not disclosed", None, None, "undisclosed", "unspecified", None),
]


@pytest.mark.parametrize(
    ("text", "amount", "currency", "qualifier", "basis", "term_months"),
    PHRASES,
    ids=[p[0] for p in PHRASES],
)
def test_it_reads_the_phrase(text, amount, currency, qualifier, basis, term_months):
    parsed = parse_value_wording(text)

    assert (parsed.amount, parsed.currency, parsed.qualifier, parsed.basis) == (
        amount,
        currency,
        qualifier,
        basis,
    )
    assert parsed.term_months == term_months


@pytest.mark.parametrize(
    ("text", "assumption"),
    [
        ("up to $43bn", "“$” read as US dollars"),
        ("¥5bn", "“¥” read as Chinese yuan (CNY)"),
        ("nearly $3 billion", "“nearly” read as “about”"),
    ],
)
def test_it_names_the_conventions_it_relied_on(text, assumption):
    assert any(assumption in note for note in parse_value_wording(text).assumptions)


@pytest.mark.parametrize("text", ["US$9 billion", "RMB 5 billion", "undisclosed"])
def test_an_unambiguous_phrase_needs_no_assumption(text):
    assert parse_value_wording(text).assumptions == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type the value"),
        ("   ", "Type the value"),
        ("2 billion", "names no currency"),
        ("a lot of money", "Could not find the amount"),
        ("$1-2 billion", "is a range"),
        ("$2bn–$3bn", "is a range"),
        ("between $1 billion and $2 billion", "is a range"),
        ("$1 to $2 billion", "is a range"),
        ("$2 billion a year", "figure per period"),
        ("$2 billion per year over three years", "figure per period"),
        ("1,5 billion euros", "decimal comma"),
        ("500 million riyals", "could be one of several currencies"),
        ("$2 billion of beef", "Could not read “of beef”"),
        ("$2 billion and RMB 5 billion", "Could not read"),
        ("$1.005", "finer than a hundredth"),
        ("$2bn over three years over five years", "term twice"),
        ("$2bn over 1.3 years", "whole number of months"),
        ("5 million all", "names no currency"),
        ("$" + "9" * 31, "more digits than any deal"),
    ],
)
def test_it_refuses_what_it_cannot_read_with_certainty(text, message):
    with pytest.raises(WordingError, match=message):
        parse_value_wording(text)


def test_the_qualifier_and_basis_values_are_the_models():
    qualifiers = {wording.EXACT, wording.ABOUT, wording.AT_LEAST, wording.MORE_THAN}
    qualifiers |= {wording.UP_TO, wording.UNDISCLOSED}
    assert qualifiers == set(Qualifier.values)
    assert set(wording._BASES) | {wording.UNSPECIFIED} == set(Deal.Basis.values)


def test_a_non_string_is_refused_with_a_message():
    with pytest.raises(WordingError):
        parse_value_wording(None)


# --- properties ---------------------------------------------------------------------

amounts = st.one_of(
    st.integers(min_value=0, max_value=10**14).map(Decimal),
    st.integers(min_value=0, max_value=10**16).map(lambda cents: Decimal(cents) / 100),
    # round figures in millions and billions, as the press gives them
    st.builds(
        lambda n, scale: Decimal(n) / 10 * scale,
        st.integers(min_value=1, max_value=9999),
        st.sampled_from([10**6, 10**9]),
    ),
)
currencies = st.sampled_from(["USD", "CNY", "EUR", "GBP", "JPY", "SAR", "AED", "INR", "BRL"])
qualifiers = st.sampled_from(["exact", "about", "at_least", "more_than", "up_to"])
bases = st.sampled_from(list(Deal.Basis.values))
terms = st.one_of(st.none(), st.integers(min_value=1, max_value=600))


@given(amounts, currencies, qualifiers, bases, terms)
@example(Decimal("2000000000"), "USD", "more_than", "unspecified", 36)
@example(Decimal("1234.50"), "CNY", "about", "list_price", 18)
def test_it_reads_back_every_value_the_site_writes(amount, currency, qualifier, basis, term):
    """Presentation and parser agree: what readers see can be pasted back in."""
    text = format_value(amount, currency, qualifier, basis)
    if term is not None:
        text += f" over {format_term(term)}"

    parsed = parse_value_wording(text)

    assert parsed.amount == amount
    assert (parsed.currency, parsed.qualifier, parsed.basis) == (currency, qualifier, basis)
    assert parsed.term_months == term


@given(st.text(max_size=60))
@example("over three years")
@example("$$$")
@example("¥")
@example("between")
def test_any_text_is_read_or_refused_with_a_message_never_a_crash(text):
    try:
        parsed = parse_value_wording(text)
    except WordingError as error:
        assert str(error)
        return
    assert isinstance(parsed, ParsedValue)
    # Whatever it read is a value the model can hold.
    if parsed.qualifier == "undisclosed":
        assert parsed.amount is None
    else:
        assert parsed.amount >= 0
        assert parsed.currency in wording.ISO_CODES
        assert parsed.amount == parsed.amount.quantize(Decimal("0.01"))
    assert parsed.term_months is None or parsed.term_months >= 1


@given(amounts, currencies, qualifiers, st.sampled_from(["  ", "\u00a0", "\t"]))
def test_spacing_and_a_final_full_stop_change_nothing(amount, currency, qualifier, space):
    text = format_value(amount, currency, qualifier)
    spaced = f"{space}{text.replace(' ', space)}."

    assert parse_value_wording(spaced) == parse_value_wording(text)


@given(amounts, currencies, qualifiers, st.sampled_from(["of beef", "zzz", "per year", "-"]))
def test_a_phrase_with_words_it_does_not_know_is_refused(amount, currency, qualifier, tail):
    text = f"{format_value(amount, currency, qualifier)} {tail}"

    with pytest.raises(WordingError):
        parse_value_wording(text)


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(["million", "bn", "billion"]))
def test_the_scale_multiplies_exactly(number, scale):
    assume(number % 10 != 0 or scale != "million")
    factor = {"million": 10**6, "bn": 10**9, "billion": 10**9}[scale]

    parsed = parse_value_wording(f"US${number / 100:.2f} {scale}")

    assert parsed.amount == Decimal(number) / 100 * factor
