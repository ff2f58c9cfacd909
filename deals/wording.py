"""Read a deal's value as the press words it: "more than $2 billion over three years".

Staff paste a phrase from a press report or an official list; this module turns it
into the fields of a deal's value and term, for the editor to confirm. Pure Python
on purpose (no Django), like `deals.presentation`, which writes values the other way.

The one rule: never guess. A phrase is read only when every word of it is
understood; anything else raises `WordingError` with a message saying what could
not be read. A few readings are conventions rather than certainties, and those are
named in `ParsedValue.assumptions` so the editor sees them:

- "$" alone is read as US dollars: the press reports this site follows write
  other dollars with their own sign (HK$, A$, S$, C$, NT$) or code.
- "¥" is read as Chinese yuan (CNY), not Japanese yen: the sign is shared, and the
  deals recorded here are overwhelmingly signed with Chinese parties. Write "JPY"
  or "yen" for yen.
- "nearly", "almost" and "close to" are read as "about": the figure is the
  magnitude the source gives, and the site has no "just under".

Readings that are refused on purpose: a range ("$1-2 billion"), a yearly figure
("$2 billion a year": the total is what the site records), a number without a
currency, and a European decimal comma ("1,5 billion").
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

from babel.numbers import list_currencies

__all__ = ["ParsedValue", "WordingError", "parse_value_wording"]

# The values of deals.models.Qualifier and Deal.Basis (no Django here, so spelled out;
# tests check that they agree).
EXACT, ABOUT, AT_LEAST, MORE_THAN, UP_TO, UNDISCLOSED = (
    "exact",
    "about",
    "at_least",
    "more_than",
    "up_to",
    "undisclosed",
)
UNSPECIFIED = "unspecified"

ISO_CODES = frozenset(list_currencies())


class WordingError(ValueError):
    """The phrase cannot be read with certainty; the message says why."""


@dataclass(frozen=True)
class ParsedValue:
    amount: Decimal | None
    currency: str | None
    qualifier: str
    basis: str = UNSPECIFIED
    term_months: int | None = None
    # Conventions the reading relied on, in words for the editor ("“$” read as US dollars").
    assumptions: tuple[str, ...] = ()


# --- vocabulary -----------------------------------------------------------------------
# Every table is matched longest phrase first, on lower-cased text with single spaces.

_QUALIFIERS = {
    MORE_THAN: ["more than", "in excess of", "over", "upwards of", "exceeding", "above"],
    AT_LEAST: [
        "no less than",
        "not less than",
        "at least",
        "a minimum of",
        "minimum of",
        "no fewer than",
    ],
    ABOUT: [
        "about",
        "around",
        "approximately",
        "approx.",
        "approx",
        "roughly",
        "some",
        "an estimated",
        "estimated at",
        "estimated",
        "nearly",
        "almost",
        "close to",
        "circa",
        "c.",
        "~",
    ],
    UP_TO: [
        "up to",
        "as much as",
        "at most",
        "a maximum of",
        "maximum of",
        "no more than",
        "not more than",
    ],
}
_NEARLY = {"nearly", "almost", "close to"}

# Words that may introduce a figure without changing it ("worth more than $2 billion").
_LEAD_INS = [
    "with a total value of",
    "with a value of",
    "a total value of",
    "a total of",
    "a value of",
    "valued at",
    "worth",
    "totalling",
    "totaling",
    "total",
]

_UNDISCLOSED = [
    "an undisclosed amount",
    "an undisclosed sum",
    "undisclosed amount",
    "undisclosed sum",
    "undisclosed value",
    "value undisclosed",
    "value not disclosed",
    "not disclosed",
    "undisclosed",
    "terms not disclosed",
    "terms undisclosed",
]

_DOLLAR_ASSUMPTION = "“$” read as US dollars; write HK$, A$, S$ or an ISO code for other dollars."
_YEN_SIGN_ASSUMPTION = "“¥” read as Chinese yuan (CNY); write JPY or “yen” for Japanese yen."

# Signs and names written before the number. (currency, assumption or None)
_PREFIXES = {
    "us$": ("USD", None),
    "us $": ("USD", None),
    "u.s.$": ("USD", None),
    "u.s. $": ("USD", None),
    "usd": ("USD", None),
    "$": ("USD", _DOLLAR_ASSUMPTION),
    "rmb": ("CNY", None),
    "cny": ("CNY", None),
    "cn¥": ("CNY", None),
    "¥": ("CNY", _YEN_SIGN_ASSUMPTION),
    "￥": ("CNY", _YEN_SIGN_ASSUMPTION),
    "yuan": ("CNY", None),
    "jp¥": ("JPY", None),
    "€": ("EUR", None),
    "£": ("GBP", None),
    "hk$": ("HKD", None),
    "a$": ("AUD", None),
    "au$": ("AUD", None),
    "c$": ("CAD", None),
    "ca$": ("CAD", None),
    "s$": ("SGD", None),
    "nt$": ("TWD", None),
    "nz$": ("NZD", None),
    "r$": ("BRL", None),
    "₹": ("INR", None),
    "₩": ("KRW", None),
    "₽": ("RUB", None),
}

# Names written after the number ("5 billion yuan").
_SUFFIXES = {
    "us dollars": ("USD", None),
    "u.s. dollars": ("USD", None),
    "dollars": ("USD", _DOLLAR_ASSUMPTION),
    "yuan": ("CNY", None),
    "renminbi": ("CNY", None),
    "rmb": ("CNY", None),
    "yen": ("JPY", None),
    "euros": ("EUR", None),
    "euro": ("EUR", None),
    "pounds sterling": ("GBP", None),
    "rupees": None,  # Indian, Pakistani, Sri Lankan...: refused, see _read_money
    "riyals": None,  # Saudi, Qatari, Omani...
    "dinars": None,
    "pounds": None,  # sterling, Egyptian, Lebanese...
    "francs": None,
    "pesos": None,
    "crowns": None,
    "krona": None,
    "kronor": None,
    "won": ("KRW", None),
    "roubles": ("RUB", None),
    "rubles": ("RUB", None),
    "ringgit": ("MYR", None),
    "baht": ("THB", None),
    "rupiah": ("IDR", None),
    "dirhams": None,  # UAE or Moroccan
}

_SCALES = {
    "trillion": 10**12,
    "tn": 10**12,
    "trn": 10**12,
    "tln": 10**12,
    "billion": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "b": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "mio": 10**6,
    "m": 10**6,
    "thousand": 10**3,
    "k": 10**3,
}

_NUMBER_WORDS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "hundred": 100,
}

_BASES = {
    "list_price": ["at list prices", "at list price", "in list prices", "at catalogue prices"],
    "purchase_commitment": [
        "in purchase commitments",
        "in purchase commitment",
        "in purchases",
        "of purchases",
        "in procurement",
    ],
    "investment": ["in investments", "in investment", "of investment", "of investments"],
    "project_cost": ["in project cost", "in project costs", "project cost", "project costs"],
    "financing": ["in financing", "of financing", "in loans", "in credit", "in funding"],
}

# Words after a figure that say what it counts, not how much.
_FILLERS = [
    "in deals",
    "worth of deals",
    "of deals",
    "in contracts",
    "in agreements",
    "in orders",
    "worth of orders",
    "in total",
    "in all",
]

# A figure per period is not a deal's value, and multiplying it out would be a guess.
_RATES = ["per year", "a year", "per annum", "annually", "each year", "every year", "a month"]
_RATES += ["per month", "monthly", "yearly"]

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_WORD = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
# "a" and "an" count terms ("for a year") but are too common to stand for an amount.
_AMOUNT_WORD = "|".join(
    sorted((re.escape(w) for w in _NUMBER_WORDS if w not in {"a", "an"}), key=len, reverse=True)
)
_SCALE = "|".join(sorted(_SCALES, key=len, reverse=True))

# "$43bn", "US$ 9 billion", "5 billion": the scale may touch the number or not.
_MONEY = re.compile(
    rf"(?:(?P<figure>{_NUMBER})(?![\d.])|(?P<word>{_AMOUNT_WORD})\b)(?: ?(?P<scale>{_SCALE})\b)?"
)

_TERM_UNITS = {"year": 12, "years": 12, "month": 1, "months": 1, "decade": 120, "decades": 120}
_TERM_UNIT = r"years?|months?|decades?"
_TERM_NUMBER = rf"(?P<n>{_NUMBER}|{_NUMBER_WORD})(?P<half> and a half)?"
_TERM_LEADS = (
    r"(?:over|for|during|spanning|across|covering)"
    r"(?: the)?(?: next| coming| following| first)?(?: a)?(?: period of)?"
)
_TERM_PATTERNS = [
    # "over the next three years", "for 18 months", "over two and a half years"
    re.compile(rf"{_TERM_LEADS} {_TERM_NUMBER} (?P<unit>{_TERM_UNIT})"),
    # "over the next decade", "over a decade"
    re.compile(rf"{_TERM_LEADS} (?P<unit>decade)"),
    # "five-year", "a 10-year deal", "3 year"
    re.compile(
        rf"(?:an? )?{_TERM_NUMBER}[- ](?P<unit>year|month)"
        r"(?: (?:deal|contract|agreement|term|period|commitment|pledge|plan|programme|program"
        r"|partnership|loan|lease|supply deal|supply agreement|purchase agreement))?"
    ),
]


def parse_value_wording(text: str) -> ParsedValue:
    """Read `text` into a value and term, or raise WordingError saying what is unclear.

    >>> parse_value_wording("more than $2 billion over three years").term_months
    36
    """
    if not isinstance(text, str):
        raise WordingError("Give the value as text, e.g. “about US$9 billion”.")
    original = " ".join(text.split())
    if not original:
        raise WordingError("Type the value as the source words it, e.g. “about US$9 billion”.")
    rest = _normalise(original)

    assumptions = []
    undisclosed, rest = _take(rest, _UNDISCLOSED)
    if undisclosed:
        amount, currency, qualifier = None, None, UNDISCLOSED
    else:
        _, rest = _take(rest, _LEAD_INS)
        qualifier, rest = _read_qualifier(rest, assumptions)
        amount, currency, rest = _read_money(rest, original, assumptions)

    term_months, basis, rest = _read_suffixes(rest, original)
    if rest:
        raise WordingError(f"Could not read “{rest}” in “{original}”.")
    return ParsedValue(
        amount=amount,
        currency=currency,
        qualifier=qualifier,
        basis=basis or UNSPECIFIED,
        term_months=term_months,
        assumptions=tuple(assumptions),
    )


# --- steps ----------------------------------------------------------------------------


def _normalise(text):
    text = text.lower()
    for dash in "‐‑‒–—−":  # hyphens and dashes people paste from reports
        text = text.replace(dash, "-")
    text = text.replace("’", "'").replace("\u00a0", " ")
    # "US$ 9 billion" and "US $9 billion" are the same; "$9bn." ends a sentence.
    text = re.sub(r"\s+", " ", text).strip().rstrip(".;,")
    return text


def _take(text, phrases):
    """Remove the longest of `phrases` that starts `text` as whole words; (phrase, rest)."""
    for phrase in sorted(phrases, key=len, reverse=True):
        if text == phrase:
            return phrase, ""
        if text.startswith(phrase) and _is_boundary(text, len(phrase), phrase):
            return phrase, text[len(phrase) :].lstrip(" ,")
    return None, text


def _is_boundary(text, index, phrase):
    # A phrase ending in a sign or a dot ("$", "approx.", "~") may touch what follows.
    if not phrase[-1].isalnum():
        return True
    return index >= len(text) or not text[index].isalnum()


def _read_qualifier(text, assumptions):
    phrases = {phrase: qualifier for qualifier, words in _QUALIFIERS.items() for phrase in words}
    found, rest = _take(text, phrases)
    if found is None:
        return EXACT, text
    if found in _NEARLY:
        assumptions.append(f"“{found}” read as “about”.")
    return phrases[found], rest


_RANGE_ERROR = (
    "“{original}” is a range. Enter its lower bound with “at least” or its upper bound "
    "with “up to”, and give the range in the description."
)
# What follows a number when it is the first end of a range: "-2", "to $3".
_RANGE_CONTINUATION = re.compile(r"\s*(?:-|to\b)\s*\S{0,4}?\s*\d")
# Amounts beyond this many digits are typing errors, and would need more precision
# than the arithmetic below is given.
_MAX_DIGITS = 30


def _read_money(text, original, assumptions):
    if text.startswith("between "):
        raise WordingError(_RANGE_ERROR.format(original=original))
    currency, note, text = _read_currency_prefix(text, original)
    match = _MONEY.match(text)
    if not match:
        raise WordingError(
            f"Could not find the amount in “{original}”; write it in figures, e.g. “US$9 billion”."
        )
    number = match.group("figure") or match.group("word")
    after_number = text[match.end("figure" if match.group("figure") else "word") :]
    if re.match(r",\d", after_number):
        raise WordingError(
            f"“{original}” has a decimal comma or odd grouping; write e.g. “1.5 billion” "
            "or “1,500 million”."
        )
    if _RANGE_CONTINUATION.match(after_number) or _RANGE_CONTINUATION.match(text[match.end() :]):
        raise WordingError(_RANGE_ERROR.format(original=original))
    if sum(c.isdigit() for c in number) > _MAX_DIGITS:
        raise WordingError(f"“{original}” has more digits than any deal; check the amount.")
    scale = _SCALES[match.group("scale")] if match.group("scale") else 1
    with localcontext() as context:
        context.prec = 2 * _MAX_DIGITS
        amount = _to_decimal(number, original) * scale
        if amount != amount.quantize(Decimal("0.01")):
            raise WordingError(f"“{original}” gives an amount finer than a hundredth of a unit.")
        # 1.2 × 10⁹ is written 1200000000, as staff would type it.
        amount = amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount
    rest = text[match.end() :].lstrip()
    if currency is None:
        currency, note, rest = _read_currency_suffix(rest, original)
    if currency is None:
        raise WordingError(
            f"“{original}” names no currency; write it with US$, RMB, € or an ISO code such as EUR."
        )
    if note:
        assumptions.append(note)
    return amount, currency, rest.lstrip(" ,")


def _read_currency_prefix(text, original):
    found, rest = _take_sign(text, _PREFIXES)
    if found:
        currency, note = _PREFIXES[found]
        return currency, note, rest
    code = re.match(r"([a-z]{3}) ?(?=\d)", text)
    if code and _is_iso_code(code.group(1), original):
        return code.group(1).upper(), None, text[code.end() :]
    return None, None, text


def _is_iso_code(word, original):
    # Written in capitals, as codes are: "ALL" is the Albanian lek, "all" is a word.
    return word.upper() in ISO_CODES and re.search(rf"\b{word.upper()}\b", original) is not None


def _take_sign(text, table):
    for phrase in sorted(table, key=len, reverse=True):
        if text.startswith(phrase):
            rest = text[len(phrase) :]
            # A sign may touch the number ("$2"); a word ("yuan") must not run on.
            if phrase[-1].isalpha() and rest[:1].isalpha():
                continue
            return phrase, rest.lstrip()
    return None, text


def _read_currency_suffix(text, original):
    for phrase in sorted(_SUFFIXES, key=len, reverse=True):
        if text == phrase or (text.startswith(phrase) and _is_boundary(text, len(phrase), phrase)):
            if _SUFFIXES[phrase] is None:
                raise WordingError(
                    f"“{phrase}” in “{original}” could be one of several currencies; "
                    "write its ISO code, e.g. SAR for Saudi riyals."
                )
            currency, note = _SUFFIXES[phrase]
            return currency, note, text[len(phrase) :].lstrip(" ,")
    code = re.match(r"([a-z]{3})\b", text)
    if code and _is_iso_code(code.group(1), original):
        return code.group(1).upper(), None, text[code.end() :].lstrip(" ,")
    return None, None, text


def _read_suffixes(text, original):
    term_months = basis = None
    while text:
        text = re.sub(r"^(?:and|,)\s*", "", text)
        for rate in _RATES:
            if text == rate or (text.startswith(rate) and _is_boundary(text, len(rate), rate)):
                raise WordingError(
                    f"“{original}” is a figure per period; enter the total for the whole "
                    "term, with the term in months."
                )
        matched = False
        for pattern in _TERM_PATTERNS:
            match = pattern.match(text)
            if match and _is_boundary(text, match.end(), "x"):
                if term_months is not None:
                    raise WordingError(f"“{original}” gives the term twice.")
                term_months = _term_months(match, original)
                text = text[match.end() :].lstrip(" ,")
                matched = True
                break
        if matched:
            continue
        found, rest = _take(text, _FILLERS)
        if found:
            text = rest
            continue
        phrases = {phrase: key for key, words in _BASES.items() for phrase in words}
        found, rest = _take(text, phrases)
        if found:
            if basis is not None:
                raise WordingError(f"“{original}” gives the basis of the value twice.")
            basis, text = phrases[found], rest
            continue
        break
    return term_months, basis, text


def _term_months(match, original):
    unit = _TERM_UNITS[match.group("unit")]
    number = match.groupdict().get("n")
    count = Decimal(1) if number is None else _to_decimal(number, original)
    if match.groupdict().get("half"):
        count += Decimal("0.5")
    months = count * unit
    if months != months.to_integral_value() or months < 1:
        raise WordingError(f"The term in “{original}” is not a whole number of months.")
    return int(months)


def _to_decimal(number, original):
    if number in _NUMBER_WORDS:
        return Decimal(_NUMBER_WORDS[number])
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation:  # the pattern admits only digits, so this is a defect
        raise WordingError(f"Could not read the number “{number}” in “{original}”.") from None
