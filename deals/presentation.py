"""How deal figures are written for readers: "more than US$2 billion", "3 years".

Presentation once: templates, API `display` fields, CSV downloads and feeds all call
these functions, so a figure reads the same everywhere. Pure Python on purpose (no
Django imports at the top) so any layer, and any test, can use it without a database.

Figures are written in the reader's language: every function takes `locale` ("en" or
"zh-hans", Django's language codes), by default the language Django has active for the
request (English outside Django). Chinese reads "超过US$20亿" (Babel's compact forms:
万, 亿, 万亿) and "2017年11月8日"; the words around the figures are kept here, per locale,
beside the English ones, not in the .po catalogue, so a figure is one string to test.

The one rule above all: never misrepresent an amount. Figures as stated are written
exactly; only the USD equivalent, itself an estimate, is rounded.
"""

from contextlib import contextmanager
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal, parse_decimal
from babel.units import format_unit

# Django's language codes (settings.LANGUAGES) and the Babel locales that write them.
LOCALE = "en"
BABEL_LOCALES = {"en": "en", "zh-hans": "zh_Hans_CN"}

UNDISCLOSED = "undisclosed"
_UNDISCLOSED_WORDS = {"en": UNDISCLOSED, "zh-hans": "未披露"}

# ISO codes are unambiguous to an international audience ("$" alone could be any of
# a dozen dollars), so only the two currencies our readers know best get a symbol.
# In Chinese, the symbols Babel's zh_Hans_CN gives them ("¥" is the yuan there).
_CURRENCY_PREFIXES = {
    "en": {"USD": "US$", "CNY": "RMB "},
    "zh-hans": {"USD": "US$", "CNY": "¥"},
}

_QUALIFIER_PREFIXES = {
    "en": {
        "exact": "",
        "about": "about ",
        "at_least": "at least ",
        "more_than": "more than ",
        "up_to": "up to ",
    },
    "zh-hans": {
        "exact": "",
        "about": "约",
        "at_least": "至少",
        "more_than": "超过",
        "up_to": "最多",
    },
}

_BASIS_SUFFIXES = {
    "en": {
        "unspecified": "",
        "list_price": " at list prices",
        "purchase_commitment": " in purchase commitments",
        "investment": " in investment",
        "project_cost": " in project cost",
        "financing": " in financing",
    },
    "zh-hans": {
        "unspecified": "",
        "list_price": "（按目录价格）",
        "purchase_commitment": "（采购承诺）",
        "investment": "（投资）",
        "project_cost": "（项目成本）",
        "financing": "（融资）",
    },
}

# The words joining the parts of a figure: "(about US$756 million)", "A plus B",
# "3 years (1 Jan 2018 – 31 Dec 2020)", "from 1 Jan 2018", "until 31 Dec 2020".
_WORDS = {
    "en": {
        "equivalent": " (about {})",
        "plus": " plus ",
        "term_with_span": "{} ({})",
        "span": "{} – {}",
        "from": "from {}",
        "until": "until {}",
    },
    "zh-hans": {
        "equivalent": "（约合{}）",
        "plus": "，另加",
        "term_with_span": "{}（{}）",
        "span": "{}至{}",
        "from": "自{}起",
        "until": "至{}",
    },
}

MILLION = Decimal(10) ** 6

# The words Babel's long compact form uses per locale, read back to check that what it
# printed is the amount itself and not a rounding of it ("1.25 billion", "12.5亿").
_COMPACT_SCALES = {
    "en": {
        " million": MILLION,
        " billion": Decimal(10) ** 9,
        " trillion": Decimal(10) ** 12,
    },
    "zh-hans": {
        "万": Decimal(10) ** 4,
        "亿": Decimal(10) ** 8,
        "万亿": Decimal(10) ** 12,
    },
}

# Beyond this Babel runs out of words and writes "1000 trillion": the grouped full
# number reads better.
_COMPACT_LIMIT = 1000 * Decimal(10) ** 12

# The USD equivalent depends on an exchange rate, so more digits would claim a
# precision it does not have.
_USD_ESTIMATE_SIGNIFICANT_FIGURES = 3

# Day first and the month abbreviated: unambiguous on both sides of the Atlantic. In
# Chinese the one way a date is written, "2017年11月8日", short or long.
_DATE_PATTERNS = {
    "en": {"short": "d MMM y", "long": "d MMMM y", "weekday": "EEEE d MMMM y"},
    "zh-hans": {"short": "y年M月d日", "long": "y年M月d日", "weekday": "y年M月d日EEEE"},
}


def active_locale(locale: str | None = None) -> str:
    """`locale` if given, else the language Django has active ("en" outside a request, or
    where Django is not set up), as one of the keys of BABEL_LOCALES."""
    if locale is None:
        try:
            # Imported here: this module needs Django only to ask for the language.
            from django.core.exceptions import ImproperlyConfigured
            from django.utils.translation import get_language
        except ImportError:
            return LOCALE
        try:
            locale = get_language()
        except ImproperlyConfigured:
            return LOCALE
    locale = (locale or LOCALE).lower()
    if locale in BABEL_LOCALES:
        return locale
    if locale.startswith("zh"):
        return "zh-hans"
    return LOCALE


def format_day(day: date, length: str = "short", locale: str | None = None) -> str:
    """A date as the site writes it: "8 Nov 2017" (short, the default), "8 November 2017"
    (long), "2017年11月8日" (Chinese, either length)."""
    return _day_written(day, length, active_locale(locale))


@lru_cache(maxsize=8192)
def _day_written(day: date, length: str, locale: str) -> str:
    """format_day() in a known language, remembered: Babel parses the pattern each time."""
    return format_date(day, _DATE_PATTERNS[locale][length], locale=BABEL_LOCALES[locale])


def format_money(amount: Decimal | int, currency: str, locale: str | None = None) -> str:
    """Write an amount exactly as stated: "US$1.2 billion", "EUR 12.5 million", "US$750,000"
    ("US$12亿", "EUR 1250万", "US$75万" in Chinese).

    The compact form is used only when it shows every digit of the amount;
    otherwise the full grouped number is written ("US$1,234,567,891").
    """
    locale = active_locale(locale)
    amount = _checked_amount(amount, "amount")
    # Keyed by the amount's text, not its value: 1E+9 and 1000000000 are equal numbers.
    return _money_written(str(amount), currency, locale)


@lru_cache(maxsize=8192)
def _money_written(amount_text: str, currency: str, locale: str) -> str:
    """format_money() of a checked amount, remembered: Babel's formatting is most of a
    list's rendering time, and a list shows the same few thousand amounts again."""
    amount = Decimal(amount_text)
    prefix = _currency_prefix(currency, locale)
    with _exact_context(amount):
        return prefix + (_compact_if_exact(amount, locale) or _full_number(amount, locale))


def format_value(
    amount: Decimal | int | None,
    currency: str,
    qualifier: str,
    basis: str = "unspecified",
    amount_usd: Decimal | int | None = None,
    locale: str | None = None,
) -> str:
    """Write a deal's value as stated, with its qualifier and basis.

    "more than US$2 billion", "US$37 billion at list prices",
    "RMB 5 billion at list prices (about US$756 million)", "undisclosed";
    "超过US$20亿", "¥50亿（按目录价格）（约合US$7.56亿）", "未披露".
    """
    locale = active_locale(locale)
    _check_choice(qualifier, [*_QUALIFIER_PREFIXES[LOCALE], UNDISCLOSED], "qualifier")
    _check_choice(basis, _BASIS_SUFFIXES[LOCALE], "basis")
    if qualifier == UNDISCLOSED:
        # The model forbids an amount here; if one slips through, saying less is the
        # honest choice, since the source did not disclose it.
        return _UNDISCLOSED_WORDS[locale]
    if amount is None:
        raise ValueError(
            f"amount is required when the qualifier is {qualifier!r}; "
            f"use {UNDISCLOSED!r} for a value that was not disclosed"
        )
    text = (
        _QUALIFIER_PREFIXES[locale][qualifier]
        + format_money(amount, currency, locale)
        + _BASIS_SUFFIXES[locale][basis]
    )
    # The equivalent helps readers compare, but a USD value needs none.
    if amount_usd is not None and currency != "USD":
        text += _WORDS[locale]["equivalent"].format(_format_usd_estimate(amount_usd, locale))
    return text


def format_total(
    amount_usd: Decimal | int | None, qualifier: str, locale: str | None = None
) -> str:
    """Write a sum of values in US dollars: "more than US$3.2 billion", "undisclosed".

    A sum that is only "about" right (it holds estimates or converted currencies)
    is rounded like any estimate; a sum of exact or bounded figures is written exactly.
    """
    locale = active_locale(locale)
    if amount_usd is None or qualifier == UNDISCLOSED:
        return _UNDISCLOSED_WORDS[locale]
    if qualifier == "about":
        return _QUALIFIER_PREFIXES[locale]["about"] + _format_usd_estimate(amount_usd, locale)
    return format_value(amount_usd, "USD", qualifier, locale=locale)


def format_figures(figures, locale: str | None = None) -> str:
    """Write the stated figures of a sum: "more than US$132.7 billion plus up to US$48 billion".

    `figures` are (qualifier, amount_usd) pairs, leading figure first, as
    `deals.models.totals.sum_figures()` gives them: each is written as `format_total()`
    writes a sum, the others joined with "plus". No figure: "undisclosed". Pages, the
    API's `display`, CSV and the staff dashboard all write totals through this one.
    """
    locale = active_locale(locale)
    written = [format_total(amount, qualifier, locale) for qualifier, amount in figures]
    return _WORDS[locale]["plus"].join(written) if written else _UNDISCLOSED_WORDS[locale]


def format_term(
    months: int | None = None,
    start_date: date | None = None,
    end_date: date | None = None,
    locale: str | None = None,
) -> str:
    """Write how long a deal runs: "3 years", "18 months", "3 years (1 Jan 2018 – 31 Dec 2020)".

    Returns "" when nothing is known, so callers can test the result for truth.
    """
    locale = active_locale(locale)
    span = _format_span(start_date, end_date, locale)
    if months is None:
        return span
    duration = _format_months(months, locale)
    return _WORDS[locale]["term_with_span"].format(duration, span) if span else duration


def _checked_amount(amount: Decimal | int, name: str) -> Decimal:
    # A float has already lost the exact amount (0.1 is not 0.1), so refuse it
    # rather than print its binary approximation.
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"{name} must be a Decimal or an int, not {type(amount).__name__}")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValueError(f"{name} must be a finite number, not {amount}")
    if amount < 0:
        raise ValueError(f"{name} must not be negative, got {amount}")
    # copy_abs() turns Decimal("-0") into 0, which would otherwise print as "-0".
    return amount.copy_abs()


def _currency_prefix(currency: str, locale: str) -> str:
    is_iso_code = (
        isinstance(currency, str)
        and len(currency) == 3
        and currency.isascii()
        and currency.isalpha()
        and currency.isupper()
    )
    if not is_iso_code:
        raise ValueError(f"currency must be a three-letter ISO 4217 code, got {currency!r}")
    return _CURRENCY_PREFIXES[locale].get(currency, f"{currency} ")


def _check_choice(value: str, choices, name: str) -> None:
    if value not in choices:
        expected = ", ".join(choices)
        raise ValueError(f"unknown {name} {value!r}; expected one of: {expected}")


@contextmanager
def _exact_context(amount: Decimal):
    # Babel quantizes in the current decimal context (28 digits by default), which
    # would raise, or round, for longer amounts; give it room for every digit.
    _, digits, exponent = amount.as_tuple()
    with localcontext() as context:
        context.prec = max(context.prec, len(digits) + abs(exponent) + 2)
        yield


def _compact_if_exact(amount: Decimal, locale: str) -> str | None:
    """Return "1.25 billion" ("12.5亿") if that is exactly the amount, else None."""
    if not MILLION <= amount < _COMPACT_LIMIT:
        return None
    babel_locale = BABEL_LOCALES[locale]
    text = format_compact_decimal(
        amount, format_type="long", fraction_digits=2, locale=babel_locale
    )
    # Babel rounds silently to fraction_digits; reading its output back guarantees
    # we never print a figure other than the one stated, whatever its rounding rules.
    number = text.rstrip("".join(set("".join(_COMPACT_SCALES[locale]))) + " ")
    scale = _COMPACT_SCALES[locale].get(text[len(number) :])
    if scale is None or parse_decimal(number, locale=babel_locale, strict=True) * scale != amount:
        return None
    return text


def _full_number(amount: Decimal, locale: str) -> str:
    """Return "1,234,567" or "1,234.50": decimals only when they carry a value."""
    places = max(0, -amount.normalize().as_tuple().exponent)
    # At least two places when there are any, so that cents read as cents
    # ("1,234.50", not "1,234.5").
    pattern = "#,##0." + "0" * max(2, places) if places else "#,##0"
    return format_decimal(amount, format=pattern, locale=BABEL_LOCALES[locale])


def _format_usd_estimate(amount_usd: Decimal | int, locale: str) -> str:
    rounded = _round_significant(
        _checked_amount(amount_usd, "amount_usd"), _USD_ESTIMATE_SIGNIFICANT_FIGURES
    )
    # Three significant figures always fit the compact form ("756 million", "1.23 billion").
    return format_money(rounded, "USD", locale)


def _round_significant(amount: Decimal, figures: int) -> Decimal:
    if amount == 0:
        return amount
    quantum = Decimal(1).scaleb(amount.adjusted() - figures + 1)
    return amount.quantize(quantum, rounding=ROUND_HALF_UP)


def _format_months(months: int, locale: str) -> str:
    if isinstance(months, bool) or not isinstance(months, int):
        raise TypeError(f"months must be an int, not {type(months).__name__}")
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    return _months_written(months, locale)


@lru_cache(maxsize=1024)
def _months_written(months: int, locale: str) -> str:
    """_format_months() of a checked number, remembered (Babel's units are slow)."""
    years, rest = divmod(months, 12)
    # "30 months" rather than "2.5 years": only whole years read as years without
    # suggesting a precision, or a vagueness, the source did not state.
    if rest == 0:
        return format_unit(years, "duration-year", length="long", locale=BABEL_LOCALES[locale])
    return format_unit(months, "duration-month", length="long", locale=BABEL_LOCALES[locale])


def _format_span(start_date: date | None, end_date: date | None, locale: str) -> str:
    words = _WORDS[locale]
    if start_date is not None and end_date is not None:
        if end_date < start_date:
            raise ValueError(f"end_date {end_date} is before start_date {start_date}")
        start, end = format_day(start_date, "short", locale), format_day(end_date, "short", locale)
        return words["span"].format(start, end)
    if start_date is not None:
        return words["from"].format(format_day(start_date, "short", locale))
    if end_date is not None:
        return words["until"].format(format_day(end_date, "short", locale))
    return ""
