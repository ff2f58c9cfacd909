"""Values and money: currencies, amounts as stated, qualifiers and exchange rates to USD."""

import bisect
import datetime
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

ISO_4217_CODES = frozenset(list_currencies())
# \A and \Z rather than ^ and $: Python's $ (behind SQLite's REGEXP) also matches
# before a trailing newline, which would let "USD\n" in; PostgreSQL reads both alike.
CURRENCY_PATTERN = r"\A[A-Z]{3}\Z"
USD = "USD"


def validate_currency(code):
    if code not in ISO_4217_CODES:
        raise ValidationError(
            "%(code)s is not an ISO 4217 currency code (e.g. USD, CNY, EUR).",
            code="invalid_currency",
            params={"code": code},
        )


currency_validators = [
    RegexValidator(CURRENCY_PATTERN, "Use the three capital letters of ISO 4217, e.g. USD."),
    validate_currency,
]


def currency_field(**kwargs):
    return models.CharField(max_length=3, validators=currency_validators, **kwargs)


# A hundred trillion in any currency: above every deal on record (in rupiah or dong
# too) and far enough below the column's 18 integer digits for its USD conversion.
MAX_AMOUNT = Decimal(10) ** 14
MAX_AMOUNT_USD = Decimal(10) ** 18 - 1


def amount_field(**kwargs):
    # 20 digits with 2 decimals holds any deal ever announced, stored as given. The
    # validator repeats the database constraint so forms and the API name the field.
    return models.DecimalField(
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, "An amount cannot be negative."),
            MaxValueValidator(MAX_AMOUNT, "No deal is this large; check the number of digits."),
        ],
        **kwargs,
    )


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exact")
    ABOUT = "about", _("about")
    AT_LEAST = "at_least", _("at least (no less than, a minimum of)")
    MORE_THAN = "more_than", _("more than (in excess of)")
    UP_TO = "up_to", _("up to")
    UNDISCLOSED = "undisclosed", _("undisclosed")


# What "about" promises: the true figure is within this share of the stated one, either
# way ("about US$9 billion": US$8.1 to 9.9 billion). Sums only write "about" when that
# holds for them (deals/models/totals.py `sum_figures`), and the dashboard reads a
# headline "about" so when it compares an itemised sum with it. docs/methodology.md.
ABOUT_TOLERANCE = Decimal("0.10")

# The qualifiers that state a floor: the figure is the least the deal is worth.
LOWER_BOUNDS = frozenset({Qualifier.AT_LEAST, Qualifier.MORE_THAN})


def amount_matches_qualifier(prefix):
    """A disclosed value has an amount; an undisclosed one has none."""
    amount, qualifier = f"{prefix}amount", f"{prefix}qualifier"
    return Q(**{qualifier: Qualifier.UNDISCLOSED, f"{amount}__isnull": True}) | (
        ~Q(**{qualifier: Qualifier.UNDISCLOSED}) & Q(**{f"{amount}__isnull": False})
    )


def check_amount_matches_qualifier(amount, qualifier, amount_field_name):
    if qualifier == Qualifier.UNDISCLOSED and amount is not None:
        raise ValidationError(
            {amount_field_name: "Leave the amount empty when the value is undisclosed."}
        )
    if qualifier and qualifier != Qualifier.UNDISCLOSED and amount is None:
        raise ValidationError(
            {amount_field_name: "Give the amount, or mark the value as undisclosed."}
        )


# The ECB publishes reference rates on TARGET business days, so its latest rate is
# never more than a few days old; an older one means it stopped quoting the currency
# (as for RUB in March 2022) and would misstate a later deal. Pegs and rates entered
# by staff hold until a newer one replaces them.
MARKET_RATE_VALIDITY = datetime.timedelta(days=7)


def usable_rate(latest, on):
    """The rate of `latest` (rate, date, source), the last rate on or before `on`, or None."""
    if latest is None:
        return None
    rate, day, source = latest
    if source == ExchangeRate.Source.ECB and on - day > MARKET_RATE_VALIDITY:
        return None
    return rate


def convert_to_usd(amount, rate):
    """`amount` at `rate`, to the cent; None if there is no rate or the result overflows."""
    if amount is None or rate is None:
        return None
    amount_usd = (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    # A mistyped rate must not make the deal unsavable; it shows as unconverted.
    return amount_usd if amount_usd <= MAX_AMOUNT_USD else None


class ExchangeRateQuerySet(models.QuerySet):
    def rate_on(self, currency, on):
        """USD per unit of `currency` on `on`, or on the last business day before it.

        None when there is no rate, or when the last ECB rate is stale (see
        MARKET_RATE_VALIDITY). One query, none for USD.
        """
        if currency == USD:
            return Decimal(1)
        latest = (
            self.filter(currency=currency, date__lte=on)
            .order_by("-date")
            .values_list("rate_to_usd", "date", "source")
            .first()
        )
        return usable_rate(latest, on)

    def timelines(self, currencies):
        """{currency: ([dates ascending], [(rate, date, source)])} for looking up many dates.

        Reads every rate of these currencies once (a few thousand rows each since 1999),
        so that `rate_in_timeline` finds each deal's rate without a query.
        """
        timelines = {}
        rows = (
            self.filter(currency__in=currencies)
            .order_by("currency", "date")
            .values_list("currency", "date", "rate_to_usd", "source")
        )
        for currency, day, rate, source in rows.iterator(chunk_size=5000):
            dates, entries = timelines.setdefault(currency, ([], []))
            dates.append(day)
            entries.append((rate, day, source))
        return timelines


def rate_in_timeline(timelines, currency, on):
    """What `ExchangeRate.objects.rate_on(currency, on)` returns, from `timelines`."""
    if currency == USD:
        return Decimal(1)
    dates, entries = timelines.get(currency, ((), ()))
    index = bisect.bisect_right(dates, on)
    return usable_rate(entries[index - 1] if index else None, on)


class ExchangeRate(models.Model):
    """How many US dollars one unit of a currency bought on a date."""

    class Source(models.TextChoices):
        ECB = "ecb", _("European Central Bank reference rate")
        PEG = "peg", _("official peg")
        STAFF = "staff", _("entered by staff")

    currency = currency_field()
    date = models.DateField()
    rate_to_usd = models.DecimalField(
        max_digits=20,
        decimal_places=10,
        help_text="US dollars for one unit of the currency.",
        # The smallest step of 10 decimal places: "more than zero", as the constraint says.
        validators=[MinValueValidator(Decimal("1E-10"), "A rate must be more than zero.")],
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    note = models.CharField(max_length=300, blank=True)

    objects = ExchangeRateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_one_per_day"),
            models.CheckConstraint(condition=Q(rate_to_usd__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=CURRENCY_PATTERN), name="exchange_rate_currency_iso"
            ),
        ]
        indexes = [models.Index(fields=["currency", "-date"], name="exchange_rate_lookup")]

    def __str__(self):
        return f"1 {self.currency} = {self.rate_to_usd} USD on {self.date}"
