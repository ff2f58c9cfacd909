"""The domain of Deal Tracker: who signed what with whom, where, for how much.

Names follow ../shared/DESIGN.md. Invariants live in the database as named
constraints; rules that span fields also live in `clean()` so the admin and the
API report them as form errors instead of integrity errors.
"""

import bisect
import copy
import datetime
import functools
import operator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import list_currencies
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connections, models
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, Sum, Value, When
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, TruncMonth, TruncYear
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from deals.caching import record_changed, remembered
from deals.presentation import format_term, format_total, format_value
from deals.search import prefix_tsquery, search_words, word_start_pattern

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
    EXACT = "exact", "exact"
    ABOUT = "about", "about"
    AT_LEAST = "at_least", "at least (no less than, a minimum of)"
    MORE_THAN = "more_than", "more than (in excess of)"
    UP_TO = "up_to", "up to"
    UNDISCLOSED = "undisclosed", "undisclosed"


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


PUBLISHED = Q(is_published=True)


class OrderingIndex(models.Index):
    """An index in a list's order, rows without a value last.

    SQLite cannot say NULLS LAST in an index: it gets the same columns in plain order
    (the order PostgreSQL is asked for is what the index is for).
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = copy.copy(self)
        plain.expressions = tuple(
            OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
            for e in self.expressions
        )
        return super(OrderingIndex, plain).create_sql(model, schema_editor, using=using, **kwargs)


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Source(TimeStamped):
    """A published document a fact is taken from: a press report, an official list."""

    url = models.URLField(max_length=1000, unique=True)
    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=500)
    published_on = models.DateField(null=True, blank=True)
    quote = models.TextField(blank=True, help_text="A passage of the source worth showing.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "publisher"]

    def __str__(self):
        when = f", {self.published_on:%-d %b %Y}" if self.published_on else ""
        return f"{self.publisher}: {self.title}{when}"


class OccasionQuerySet(models.QuerySet):
    def having_published_deals(self):
        # EXISTS: an index probe per occasion, so "the newest 300" stops after 300.
        return self.filter(
            Exists(Deal.objects.published().filter(ceremony__occasion=OuterRef("pk")))
        )


class Occasion(TimeStamped):
    """A state visit, summit or trade fair that holds signing ceremonies."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    host_country = CountryField(blank=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = OccasionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="occasion_end_date_not_before_start_date",
            ),
        ]
        indexes = [models.Index(fields=["-start_date", "name"], name="occasion_newest")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("deals:occasion", args=[self.slug])

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date cannot be before the start date."})


class Venue(TimeStamped):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    city = models.CharField(max_length=100, blank=True)
    country = CountryField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.city}" if self.city else self.name

    def get_absolute_url(self):
        return reverse("deals:venue", args=[self.slug])


class Person(TimeStamped):
    """Someone who appears at ceremonies; their title is recorded per appearance."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    native_name = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name} ({self.native_name})" if self.native_name else self.name


class ReconciledCeremonyIterable(models.query.ModelIterable):
    """Ceremonies carrying the totals of their published deals: one query for all of them.

    What prefetch_related does for related rows, done for an aggregate, so a list of
    ceremonies shows every reconciliation line without a query per ceremony.
    """

    def __iter__(self):
        ceremonies = list(super().__iter__())
        by_ceremony = (
            Deal.objects.published()
            .filter(ceremony__in=[ceremony.pk for ceremony in ceremonies])
            .totals_by_ceremony()
        )
        for ceremony in ceremonies:
            ceremony._itemised_totals = by_ceremony.get(ceremony.pk, Totals.from_groups([]))
            yield ceremony


class CeremonyQuerySet(models.QuerySet):
    def having_published_deals(self):
        # EXISTS: an index probe per ceremony, so "the newest 300" stops after 300.
        return self.filter(Exists(Deal.objects.published().filter(ceremony=OuterRef("pk"))))

    def with_reconciliation(self):
        """Fetch each ceremony with its itemised totals, so `reconciliation()` needs no query."""
        clone = self._chain()
        clone._iterable_class = ReconciledCeremonyIterable
        return clone

    def with_itemised_totals(self):
        """Annotate each ceremony's published deal count and USD sum (two subqueries).

        Agrees with `Deal.objects.filter(ceremony=c).published().totals()`: a component
        whose umbrella is in the same ceremony with a known USD amount is not summed.
        """
        deals = (
            Deal.objects.published()
            .filter(ceremony=models.OuterRef("pk"))
            .order_by()
            .values("ceremony")
        )
        countable = deals.exclude(
            umbrella__ceremony=F("ceremony"),
            umbrella__is_published=True,
            umbrella__value_amount_usd__isnull=False,
        )
        return self.annotate(
            # A ceremony without published deals has no group, so no row: count it as 0.
            itemised_count=Coalesce(
                models.Subquery(deals.annotate(n=models.Count("pk")).values("n")[:1]), 0
            ),
            itemised_usd=models.Subquery(
                countable.annotate(total=Sum("value_amount_usd")).values("total")[:1]
            ),
        )


class Ceremony(TimeStamped):
    """One signing event, with the headline its organisers announced."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    date = models.DateField()
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="ceremonies")
    occasion = models.ForeignKey(
        Occasion, on_delete=models.PROTECT, related_name="ceremonies", null=True, blank=True
    )
    description = models.TextField(blank=True)
    announced_value_amount = amount_field(
        verbose_name="announced value", help_text="The headline figure, as announced."
    )
    announced_value_currency = currency_field(default=USD, verbose_name="currency")
    announced_value_qualifier = models.CharField(
        max_length=20,
        choices=Qualifier.choices,
        default=Qualifier.UNDISCLOSED,
        verbose_name="qualifier",
    )
    announced_deal_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many deals the organisers said were signed."
    )
    sources = models.ManyToManyField(Source, through="CeremonySource", blank=True)

    history = HistoricalRecords()
    objects = CeremonyQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "name"]
        verbose_name_plural = "ceremonies"
        constraints = [
            models.CheckConstraint(
                condition=Q(announced_value_amount__isnull=True) | Q(announced_value_amount__gte=0),
                name="ceremony_announced_value_not_negative",
            ),
            models.CheckConstraint(
                condition=amount_matches_qualifier("announced_value_"),
                name="ceremony_announced_value_amount_matches_qualifier",
            ),
            models.CheckConstraint(
                condition=Q(announced_value_currency__regex=CURRENCY_PATTERN),
                name="ceremony_announced_value_currency_iso",
            ),
        ]
        # The newest ceremonies first (home page, browse form, ceremony list).
        indexes = [models.Index(fields=["-date", "name"], name="ceremony_newest")]

    def __str__(self):
        return f"{self.name} ({self.date:%-d %b %Y})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Deals keep a copy of the date (Deal.ceremony_date) to be listed in order.
        self.deals.exclude(ceremony_date=self.date).update(ceremony_date=self.date)

    def get_absolute_url(self):
        return reverse("deals:ceremony", args=[self.slug])

    def clean(self):
        check_amount_matches_qualifier(
            self.announced_value_amount, self.announced_value_qualifier, "announced_value_amount"
        )

    @property
    def announced_value_display(self):
        return format_value(
            self.announced_value_amount,
            self.announced_value_currency,
            self.announced_value_qualifier,
        )

    def itemised_totals(self):
        """Totals of this ceremony's published deals (a few queries, none if fetched
        through `Ceremony.objects.with_reconciliation()`)."""
        cached = getattr(self, "_itemised_totals", None)
        if cached is not None:
            return cached
        return self.deals.published().totals()

    def reconciliation(self):
        """What was announced set against what the record itemises."""
        return Reconciliation(
            announced_count=self.announced_deal_count,
            announced_value=(
                None
                if self.announced_value_qualifier == Qualifier.UNDISCLOSED
                else self.announced_value_display
            ),
            totals=self.itemised_totals(),
        )


class Dignitary(models.Model):
    """A person at a ceremony, with the title they held that day."""

    class Role(models.TextChoices):
        HOST = "host", "host"
        WITNESS = "witness", "witness"
        SPEAKER = "speaker", "speaker"
        SIGNATORY = "signatory", "signatory"
        ATTENDEE = "attendee", "attendee"

    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="dignitaries")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appearances")
    title = models.CharField(max_length=300, help_text="Their title at the time.")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ATTENDEE)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "dignitaries"
        constraints = [
            models.UniqueConstraint(
                fields=["ceremony", "person", "role"], name="dignitary_unique_role_per_ceremony"
            ),
        ]

    def __str__(self):
        return f"{self.person.name}, {self.title} ({self.get_role_display()})"


class CeremonySource(models.Model):
    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="ceremony_citations")
    quote = models.TextField(blank=True, help_text="What the source says about this ceremony.")

    class Meta:
        verbose_name = "source"
        constraints = [
            models.UniqueConstraint(
                fields=["ceremony", "source"], name="ceremony_source_cited_once"
            ),
        ]

    def __str__(self):
        return str(self.source)


class PartyQuerySet(models.QuerySet):
    def search(self, text):
        """Parties whose name, native-script name or an alias holds `text`."""
        return self.filter(
            Q(name__icontains=text) | Q(native_name__icontains=text) | Q(aliases__icontains=text)
        )

    def having_published_deals(self):
        return self.filter(pk__in=DealParty.objects.filter(deal__is_published=True).values("party"))

    def countries_with_published_deals(self):
        """The country codes of parties to published deals, in code order (one query).

        One party stands for each country, and EXISTS asks of each country whether a
        party of it signed a published deal: 20 probes rather than a look at every
        party (65 ms against 1.1 s at a million deals).
        """
        one_per_country = (
            self.exclude(country="").order_by().values("country").annotate(first=Min("pk"))
        )
        signed = DealParty.objects.filter(
            party__country=OuterRef("country"), deal__is_published=True
        )
        return (
            self.filter(pk__in=one_per_country.values("first"))
            .filter(Exists(signed))
            .order_by("country")
            .values_list("country", flat=True)
        )

    def most_active(self, *, among_latest=2000):
        """Parties to the latest published deals (by signing date), those with the most of
        them first: who is active now, at a cost that does not grow with the record
        (counting every party's deals took 3 s at a million deals)."""
        latest = Deal.objects.published().sorted_by("-signed_on")[:among_latest]
        return (
            self.filter(deal_parties__deal__in=latest.values("pk"))
            .annotate(published_deal_count=Count("deal_parties"))
            .order_by("-published_deal_count", "name", "pk")
        )


class Party(TimeStamped):
    """An organisation that signs deals."""

    class Kind(models.TextChoices):
        COMPANY = "company", "company"
        STATE_OWNED_ENTERPRISE = "state_owned_enterprise", "state-owned enterprise"
        GOVERNMENT_BODY = "government_body", "government body"
        FINANCIAL_INSTITUTION = "financial_institution", "financial institution"
        OTHER = "other", "other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    country = CountryField(blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.COMPANY)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="subsidiaries",
        null=True,
        blank=True,
        help_text="The group it belongs to, e.g. Bell Helicopter → Textron.",
    )
    native_name = models.CharField(
        max_length=200, blank=True, help_text="The name in its own script, e.g. 京东."
    )
    aliases = models.TextField(
        blank=True, help_text="Other names it is reported under, one per line."
    )
    website = models.URLField(blank=True)

    history = HistoricalRecords()
    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="party_not_own_parent"),
        ]
        indexes = [models.Index(fields=["country"], name="party_country")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("deals:party", args=[self.slug])

    def clean(self):
        if self.parent_id and self.pk:
            ancestor = self.parent
            for _ in range(20):  # a group structure deeper than this is a data error
                if ancestor is None:
                    break
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": "A party cannot belong to itself."})
                ancestor = ancestor.parent

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class SectorQuerySet(models.QuerySet):
    def having_published_deals(self):
        """Sectors with published deals: divisions holding them, and their sections.

        EXISTS, an index probe per sector, rather than IN over every published deal
        (4 ms against 1.3 s at a million deals).
        """

        def holding():
            return Exists(Deal.objects.published().filter(sector=OuterRef("pk")))

        divisions = Sector.objects.filter(holding()).values("parent")
        return self.filter(holding() | Q(pk__in=divisions))

    def in_tree_order(self):
        """Each section followed by its divisions, by ISIC code."""
        return self.order_by(
            Coalesce("parent__code", "code"),
            Coalesce("parent__name", "name"),
            F("parent").asc(nulls_first=True),
            "code",
            "name",
        )

    def with_published_deal_count(self):
        return self.annotate(
            published_deal_count=Count("deals", filter=Q(deals__is_published=True))
        )


class Sector(models.Model):
    """Two-level taxonomy seeded from ISIC Rev. 4: sections hold divisions."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    code = models.CharField(max_length=10, blank=True, help_text="ISIC Rev. 4 code, if any.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
        help_text="The section this division belongs to; empty for a section.",
    )

    objects = SectorQuerySet.as_manager()

    class Meta:
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="sector_code_unique"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="sector_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}" if self.code else self.name

    def get_absolute_url(self):
        return reverse("deals:sector", args=[self.slug])

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A sector cannot be its own parent."})
        if self.parent_id and self.parent.parent_id:
            raise ValidationError(
                {"parent": "Sectors have two levels: the parent must be a section."}
            )
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError(
                {"parent": "This sector has divisions of its own, so it must stay a section."}
            )

    @property
    def is_section(self):
        return self.parent_id is None


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
        ECB = "ecb", "European Central Bank reference rate"
        PEG = "peg", "official peg"
        STAFF = "staff", "entered by staff"

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


@dataclass(frozen=True)
class Totals:
    """Sums over a set of deals, with what a reader needs to read them honestly."""

    count: int
    disclosed_count: int
    undisclosed_count: int
    unconverted_count: int
    amount_usd: Decimal | None
    qualifier: str

    @property
    def display(self):
        return format_total(self.amount_usd, self.qualifier)

    @classmethod
    def from_groups(cls, groups):
        """Fold the rows of `DealQuerySet.totals_by_ceremony()` for one set of deals."""
        count = undisclosed = unconverted = 0
        amount, qualifiers, has_converted = None, set(), False
        for group in groups:
            count += group["n"]
            if group["value_qualifier"] == Qualifier.UNDISCLOSED:
                undisclosed += group["n"]
            elif not group["has_usd"]:
                unconverted += group["n"]
            if group["has_usd"] and not group["is_held"]:
                amount = group["usd"] if amount is None else amount + group["usd"]
                qualifiers.add(group["value_qualifier"])
                has_converted = has_converted or group["is_converted"]
        return cls(
            count=count,
            disclosed_count=count - undisclosed,
            undisclosed_count=undisclosed,
            unconverted_count=unconverted,
            amount_usd=amount,
            qualifier=combined_qualifier(qualifiers, has_converted=has_converted),
        )


@dataclass(frozen=True)
class GroupTotals:
    """The totals of one group of deals: a sector's section, or a year or month."""

    group: object  # a Sector (the section), or the period's first day (None: undated)
    totals: Totals
    # Components whose money is already in their umbrella's figure, so not in this sum.
    held_count: int


@dataclass(frozen=True)
class Reconciliation:
    """A ceremony's announced headline against its itemised, published deals.

    Reads like "19 deals announced, 2 itemised here; more than US$2 billion of
    about US$9 billion accounted for".
    """

    announced_count: int | None
    announced_value: str | None
    totals: Totals

    @property
    def not_itemised_count(self):
        if self.announced_count is None:
            return None
        return max(self.announced_count - self.totals.count, 0)

    @property
    def counts_display(self):
        itemised = self.totals.count
        if self.announced_count is not None:
            announced = f"{self.announced_count} deal{'s' if self.announced_count != 1 else ''}"
            return f"{announced} announced, {itemised} itemised here"
        return f"{itemised} deal{'s' if itemised != 1 else ''} itemised here"

    @property
    def value_display(self):
        if self.totals.amount_usd is None:
            itemised = "no itemised value disclosed yet"
        else:
            itemised = self.totals.display
        if self.announced_value and self.totals.amount_usd is not None:
            return f"{itemised} of {self.announced_value} accounted for"
        if self.announced_value:
            return f"{itemised} of {self.announced_value} announced"
        return itemised

    @property
    def display(self):
        return f"{self.counts_display}; {self.value_display}"


def combined_qualifier(qualifiers, *, has_converted):
    """The honest qualifier of a sum of values with these qualifiers."""
    kinds = set(qualifiers)
    if not kinds:
        return Qualifier.EXACT
    lower_bounds = {Qualifier.AT_LEAST, Qualifier.MORE_THAN}
    if (
        Qualifier.ABOUT in kinds
        or has_converted
        or (kinds & lower_bounds and Qualifier.UP_TO in kinds)
    ):
        return Qualifier.ABOUT
    if Qualifier.MORE_THAN in kinds:
        return Qualifier.MORE_THAN
    if Qualifier.AT_LEAST in kinds:
        return Qualifier.AT_LEAST
    if Qualifier.UP_TO in kinds:
        return Qualifier.UP_TO
    return Qualifier.EXACT


def _flag(condition):
    """True or False for each row, as a column that rows can be grouped by."""
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=models.BooleanField()
    )


class DealQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def drafts(self):
        return self.filter(is_published=False)

    def visible_to(self, user):
        """Staff who may view deals see drafts; everyone else sees the published record only."""
        if Deal.can_see_drafts(user):
            return self
        return self.published()

    def in_sector(self, sector):
        """Deals in a sector or, for a section, in any of its divisions."""
        return self.filter(Q(sector=sector) | Q(sector__parent=sector))

    def involving(self, party):
        """Deals a party signed, in any role (a subquery, so no duplicate rows)."""
        return self.filter(pk__in=DealParty.objects.filter(party=party).values("deal"))

    def sharing_parties_with(self, deal):
        """Other deals signed by any party to `deal` (one query, no duplicate rows)."""
        parties = DealParty.objects.filter(deal=deal).values("party")
        links = DealParty.objects.filter(party__in=parties).values("deal")
        return self.filter(pk__in=links).exclude(pk=deal.pk)

    def from_country(self, country):
        """Deals with at least one party from `country` (ISO 3166-1 alpha-2)."""
        links = DealParty.objects.filter(party__country=country).values("deal")
        return self.filter(pk__in=links)

    def with_related(self):
        """What every list of deals shows, in a fixed number of queries."""
        return self.select_related(
            "sector", "ceremony__venue", "ceremony__occasion"
        ).prefetch_related(
            models.Prefetch(
                "deal_parties",
                queryset=DealParty.objects.select_related("party").order_by("order", "id"),
            )
        )

    def countable(self):
        """Leave out components whose umbrella is in the same set with a known USD amount.

        The umbrella's figure already holds the component's money, so counting both
        would count it twice. An umbrella with an undisclosed value holds no figure,
        so its components still count. Umbrellas are one level deep (see Deal.clean).
        """
        return self.filter(~self._umbrella_holds_money())

    def _umbrella_holds_money(self):
        """Per row: its umbrella is among these deals with a known USD amount.

        EXISTS, which PostgreSQL plans as an (anti-)join: `umbrella_id NOT IN (...)` made
        it scan the umbrellas' list again for every row once the list outgrew work_mem.
        """
        return Exists(
            self.order_by().filter(pk=OuterRef("umbrella_id"), value_amount_usd__isnull=False)
        )

    def totals(self):
        """Count and USD sum of these deals, never counting the same money twice.

        One query: the rows of `_grouped_totals()` with no grouping, folded.
        """
        for _group, totals, _held in self._grouped_totals():
            return totals
        return Totals.from_groups([])

    def remembered_totals(self):
        """`totals()`, computed once per change of the record (deals/caching.py): the
        pages and the API ask for the same sums over up to the whole record."""
        return remembered("totals", self, self.totals)

    def totals_by_ceremony(self):
        """{ceremony id: Totals} of these deals, one query for every ceremony.

        Agrees with `self.filter(ceremony=c).totals()` for each ceremony c: a component
        is left out of the sum when its umbrella, with a known USD amount, is among
        these deals in the same ceremony.
        """
        held = Q(
            umbrella__in=self.order_by().values("pk"),
            umbrella__ceremony=F("ceremony"),
            umbrella__value_amount_usd__isnull=False,
        )

        rows = (
            self.filter(ceremony__isnull=False)
            .order_by()
            .annotate(
                has_usd=_flag(Q(value_amount_usd__isnull=False)),
                is_held=_flag(held),
                is_converted=_flag(~Q(value_currency=USD)),
            )
            .values("ceremony", "value_qualifier", "has_usd", "is_held", "is_converted")
            .annotate(n=Count("pk"), usd=Sum("value_amount_usd"))
        )
        groups = {}
        for row in rows:
            groups.setdefault(row["ceremony"], []).append(row)
        return {ceremony: Totals.from_groups(rows) for ceremony, rows in groups.items()}

    def sorted_by(self, *fields):
        """Order by field names ("-value_amount_usd"), rows without a value last.

        Both backends put NULLs last (PostgreSQL would put them first when descending),
        and ties are broken by title and id so that pages never repeat or skip a deal.
        """
        order = []
        for name in fields:
            field = F(name.removeprefix("-"))
            order.append(
                field.desc(nulls_last=True) if name.startswith("-") else field.asc(nulls_last=True)
            )
        return self.order_by(*order, "title", "pk")

    def totals_by_section(self):
        """`totals()` for each ISIC section these deals fall in, largest sum first (one query).

        A division's deals count with its section. The sums add up to `totals()`: a
        component whose umbrella is in this set counts in its umbrella's figure, even
        when the umbrella is in another section.
        """
        rows = self._grouped_totals(
            section_id=Coalesce("sector__parent_id", "sector_id"),
            section_name=Coalesce("sector__parent__name", "sector__name"),
            section_slug=Coalesce("sector__parent__slug", "sector__slug"),
            section_code=Coalesce("sector__parent__code", "sector__code"),
        )
        groups = [
            GroupTotals(
                group=Sector(
                    pk=row["section_id"],
                    name=row["section_name"],
                    slug=row["section_slug"],
                    code=row["section_code"],
                ),
                totals=totals,
                held_count=held,
            )
            for row, totals, held in rows
        ]
        # In Python: NULL sums sort first on PostgreSQL and last on SQLite.
        return sorted(groups, key=lambda g: (-(g.totals.amount_usd or 0), g.group.name))

    def totals_by_period(self, period):
        """`totals()` for each year or month (`period`) with deals, in order (one query).

        A deal is dated by its signing, else by its ceremony; deals with neither come
        last, in a group whose `group` is None.
        """
        truncate = {"year": TruncYear, "month": TruncMonth}[period]
        day = Coalesce("signed_on", "ceremony__date", output_field=models.DateField())
        rows = self._grouped_totals(start=truncate(day, output_field=models.DateField()))
        groups = [
            GroupTotals(group=row["start"], totals=totals, held_count=held)
            for row, totals, held in rows
        ]
        return sorted(groups, key=lambda g: (g.group is None, g.group or datetime.date.min))

    def _grouped_totals(self, **group_by):
        """Yield (group values, Totals, held count) per group, in one query.

        Rows are split as in `totals_by_ceremony()` and folded by `Totals.from_groups()`;
        a component is held, so not summed, when its umbrella is among these deals with
        a known USD amount, as in `countable()`.
        """
        rows = (
            self.order_by()
            .annotate(
                **group_by,
                has_usd=_flag(Q(value_amount_usd__isnull=False)),
                # Most deals have no umbrella: asked first, the EXISTS runs only for
                # components (in a select list PostgreSQL runs it row by row).
                is_held=Case(
                    When(umbrella__isnull=True, then=Value(False)),
                    When(self._umbrella_holds_money(), then=Value(True)),
                    default=Value(False),
                    output_field=models.BooleanField(),
                ),
                is_converted=_flag(~Q(value_currency=USD)),
            )
            .values(*group_by, "value_qualifier", "has_usd", "is_held", "is_converted")
            .annotate(n=Count("pk"), usd=Sum("value_amount_usd"))
        )
        groups = {}
        for row in rows:
            groups.setdefault(tuple(row[key] for key in group_by), []).append(row)
        for key, parts in groups.items():
            held = sum(part["n"] for part in parts if part["has_usd"] and part["is_held"])
            yield dict(zip(group_by, key, strict=True)), Totals.from_groups(parts), held

    # --- search (what a search means: deals/search.py) ------------------------------

    def _has_search_vector(self):
        """Whether the database keeps Deal.search_vector: PostgreSQL does, SQLite doesn't."""
        return connections[self.db].vendor == "postgresql"

    def search(self, text):
        """Deals in which every word of `text` begins a word of the title, the summary or
        a party's name, native name or alias, whatever the case: "Boe" finds Boeing.

        Blank text is no search; text without a word ("!!!") finds nothing. PostgreSQL
        reads the GIN-indexed search vector; SQLite matches word starts with a regular
        expression per word over the same columns, and finds the same deals.
        """
        if not text.strip():
            return self
        words = search_words(text)
        if not words:
            return self.none()
        if self._has_search_vector():
            query = SearchQuery(prefix_tsquery(words), search_type="raw", config="simple")
            return self.filter(search_vector=query)
        deals = self
        for word in words:
            pattern = word_start_pattern(word)
            deals = deals.filter(
                Q(title__iregex=pattern)
                | Q(summary__iregex=pattern)
                | Q(pk__in=self._linked_to_parties_matching(pattern))
            )
        return deals

    @staticmethod
    def _linked_to_parties_matching(pattern):
        """Ids of deals a party signed whose name, native name or an alias matches (a
        subquery rather than a join, so a deal with two matching parties is one row)."""
        parties = Party.objects.filter(
            Q(name__iregex=pattern) | Q(native_name__iregex=pattern) | Q(aliases__iregex=pattern)
        )
        return DealParty.objects.filter(party__in=parties).values("deal")

    def ranked(self, text):
        """These deals, the best matches for `text` first, then newest and by title.

        PostgreSQL ranks with ts_rank over the weighted vector: a word in the title counts
        more than one in a party's name, which counts more than one in the summary. SQLite
        stands in with the sum, over the words, of the weight of the best place each is
        found in (ts_rank's weights: title 1, party 0.4, summary 0.2).
        """
        words = search_words(text)
        if not words:
            return self.sorted_by("-signed_on")
        if self._has_search_vector():
            query = SearchQuery(prefix_tsquery(words), search_type="raw", config="simple")
            rank = SearchRank(F("search_vector"), query)
        else:
            weights = [
                Case(
                    When(title__iregex=pattern, then=Value(1.0)),
                    When(pk__in=self._linked_to_parties_matching(pattern), then=Value(0.4)),
                    When(summary__iregex=pattern, then=Value(0.2)),
                    default=Value(0.0),
                    output_field=models.FloatField(),
                )
                for pattern in map(word_start_pattern, words)
            ]
            rank = functools.reduce(operator.add, weights)
        return self.order_by(
            rank.desc(nulls_last=True), F("signed_on").desc(nulls_last=True), "title", "pk"
        )

    def refresh_search_vector(self):
        """Recompute the stored search vector of these deals in one UPDATE; return how many.

        Triggers (migration 0008) keep the vector current whatever writes deals, their
        parties or party names; this is for loads that turn them off (bench/generate.py)
        and for repairs. Nothing to do on SQLite, which has no vector.
        """
        if not self._has_search_vector():
            return 0
        return self.update(
            search_vector=models.Func(
                F("id"),
                F("title"),
                F("summary"),
                function="deals_deal_search_vector",
                output_field=SearchVectorField(),
            )
        )

    def unsourced(self):
        """Deals that cite no source (a subquery)."""
        return self.exclude(pk__in=DealSource.objects.values("deal"))

    def unconverted(self):
        """Deals with an amount that has no USD equivalent (no usable exchange rate)."""
        return self.filter(value_amount__isnull=False, value_amount_usd__isnull=True)

    def converting_on_or_after(self, since):
        """Deals whose conversion date (see Deal.conversion_date) is `since` or later."""
        return self.filter(
            Q(signed_on__gte=since)
            | Q(signed_on__isnull=True, ceremony__date__gte=since)
            | Q(
                signed_on__isnull=True,
                ceremony__isnull=True,
                # conversion_date takes the UTC date of created_at
                created_at__gte=datetime.datetime.combine(since, datetime.time(), datetime.UTC),
            )
        )

    def recompute_usd(self, *, currency=None, since=None, batch_size=500):
        """Convert these deals again after exchange rates changed; return how many changed.

        `currency` and `since` narrow it to the deals a new or changed rate can affect.
        Each deal gets what `Deal.compute_amount_usd()` would give, from rates read
        once per currency rather than a query per deal. Only the derived
        `value_amount_usd` is written, with bulk_update: no `save()`, no history row per
        deal (the rate's own history says what changed), updated_at left alone.
        """
        deals = self.filter(value_amount__isnull=False)
        if currency is not None:
            deals = deals.filter(value_currency=currency)
        if since is not None:
            deals = deals.converting_on_or_after(since)
        # Deals without an amount have no USD amount; one that has one is stale.
        cleared = self.filter(value_amount__isnull=True, value_amount_usd__isnull=False)
        if currency is not None:
            cleared = cleared.filter(value_currency=currency)
        changed = cleared.update(value_amount_usd=None)

        currencies = deals.order_by().values_list("value_currency", flat=True).distinct()
        timelines = ExchangeRate.objects.timelines(list(currencies))
        rows = deals.order_by("pk").values_list(
            "pk",
            "value_amount",
            "value_currency",
            "value_amount_usd",
            "signed_on",
            "ceremony__date",
            "created_at",
        )
        pending = []
        for pk, amount, code, stored, signed_on, ceremony_date, created_at in rows.iterator(
            chunk_size=2000
        ):
            on = signed_on or ceremony_date or created_at.date()
            amount_usd = convert_to_usd(amount, rate_in_timeline(timelines, code, on))
            if amount_usd != stored:
                pending.append(Deal(pk=pk, value_amount_usd=amount_usd))
        Deal.objects.bulk_update(pending, ["value_amount_usd"], batch_size=batch_size)
        if changed or pending:
            # update() and bulk_update() send no signal to the public cache.
            record_changed()
        return changed + len(pending)


class Deal(TimeStamped):
    class Instrument(models.TextChoices):
        CONTRACT = "contract", "contract"
        MEMORANDUM_OF_UNDERSTANDING = "memorandum_of_understanding", "memorandum of understanding"
        LETTER_OF_INTENT = "letter_of_intent", "letter of intent"
        FRAMEWORK_AGREEMENT = "framework_agreement", "framework agreement"
        OTHER = "other", "other"
        UNKNOWN = "unknown", "unknown"

    class Status(models.TextChoices):
        ANNOUNCED = "announced", "announced"
        SIGNED = "signed", "signed"
        IN_PROGRESS = "in_progress", "in progress"
        COMPLETED = "completed", "completed"
        STALLED = "stalled", "stalled"
        CANCELLED = "cancelled", "cancelled"

    class Basis(models.TextChoices):
        UNSPECIFIED = "unspecified", "unspecified"
        LIST_PRICE = "list_price", "list price"
        PURCHASE_COMMITMENT = "purchase_commitment", "purchase commitment"
        INVESTMENT = "investment", "investment"
        PROJECT_COST = "project_cost", "project cost"
        FINANCING = "financing", "financing"

    class StatedBy(models.TextChoices):
        UNKNOWN = "unknown", "not known"
        COMPANY = "company", "a party to the deal"
        GOVERNMENT = "government", "a government"
        ORGANISERS = "organisers", "the ceremony organisers"
        MEDIA_ESTIMATE = "media_estimate", "a media estimate"

    # /deals/csv/ is the download of the browse page, so no deal may be slugged so.
    RESERVED_SLUGS = frozenset({"csv"})

    # Binding force follows from the instrument; None means we cannot tell.
    BINDING_INSTRUMENTS = {Instrument.CONTRACT: True, Instrument.FRAMEWORK_AGREEMENT: True}
    NON_BINDING_INSTRUMENTS = {Instrument.MEMORANDUM_OF_UNDERSTANDING, Instrument.LETTER_OF_INTENT}

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=500, blank=True, help_text="One sentence for lists.")
    description = models.TextField(blank=True)
    parties = models.ManyToManyField(Party, through="DealParty", related_name="deals")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="deals")
    instrument = models.CharField(
        max_length=30, choices=Instrument.choices, default=Instrument.UNKNOWN
    )

    value_amount = amount_field(verbose_name="amount", help_text="As stated; never rounded.")
    value_currency = currency_field(default=USD, verbose_name="currency")
    value_qualifier = models.CharField(
        max_length=20, choices=Qualifier.choices, default=Qualifier.EXACT, verbose_name="qualifier"
    )
    value_basis = models.CharField(
        max_length=30, choices=Basis.choices, default=Basis.UNSPECIFIED, verbose_name="basis"
    )
    value_stated_by = models.CharField(
        max_length=20, choices=StatedBy.choices, default=StatedBy.UNKNOWN, verbose_name="stated by"
    )
    value_amount_usd = models.DecimalField(
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        verbose_name="amount in USD",
        help_text="Derived from the exchange rate of the signing date.",
    )

    term_months = models.PositiveIntegerField(
        null=True, blank=True, verbose_name="term (months)", validators=[MinValueValidator(1)]
    )
    term_start_date = models.DateField(null=True, blank=True, verbose_name="term starts")
    term_end_date = models.DateField(null=True, blank=True, verbose_name="term ends")

    ceremony = models.ForeignKey(
        Ceremony, on_delete=models.PROTECT, related_name="deals", null=True, blank=True
    )
    # The ceremony's date, copied by save() and Ceremony.save(): the browse page lists
    # deals ceremony by ceremony, and reads them in that order from an index on this
    # table rather than sorting every deal joined to its ceremony.
    ceremony_date = models.DateField(null=True, blank=True, editable=False)
    signed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SIGNED)
    umbrella = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="components",
        null=True,
        blank=True,
        help_text="The larger deal this one is part of; its money is counted there.",
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="follow_ons",
        null=True,
        blank=True,
        help_text="An earlier deal this one follows, e.g. the MoU it turns into a contract.",
    )
    sources = models.ManyToManyField(Source, through="DealSource", blank=True)

    is_published = models.BooleanField(default=False, verbose_name="published")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # The words of the title (weight A), the parties' names (B) and the summary (C) for
    # full-text search on PostgreSQL, kept by database triggers (migration 0008) whatever
    # writes the rows. Left out of history and backups: it is derived. NULL on SQLite.
    search_vector = SearchVectorField(null=True, editable=False, serialize=False)

    history = HistoricalRecords(excluded_fields=["search_vector"])
    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "title"]
        permissions = [("publish_deal", "Can publish and unpublish deals")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_amount__isnull=True) | Q(value_amount__gte=0),
                name="deal_value_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=amount_matches_qualifier("value_"),
                name="deal_value_amount_matches_qualifier",
            ),
            models.CheckConstraint(
                condition=Q(value_currency__regex=CURRENCY_PATTERN),
                name="deal_value_currency_iso",
            ),
            models.CheckConstraint(
                condition=Q(term_months__isnull=True) | Q(term_months__gt=0),
                name="deal_term_months_positive",
            ),
            models.CheckConstraint(
                condition=Q(term_start_date__isnull=True)
                | Q(term_end_date__isnull=True)
                | Q(term_end_date__gte=F("term_start_date")),
                name="deal_term_end_not_before_start",
            ),
            models.CheckConstraint(condition=~Q(umbrella=F("id")), name="deal_not_own_umbrella"),
            models.CheckConstraint(
                condition=Q(ceremony__isnull=True, ceremony_date__isnull=True)
                | Q(ceremony__isnull=False, ceremony_date__isnull=False),
                name="deal_ceremony_date_with_ceremony",
            ),
            models.CheckConstraint(condition=~Q(follows=F("id")), name="deal_not_own_follow_on"),
        ]
        indexes = [
            # The orders of the lists (DealQuerySet.sorted_by, the API's default), over
            # published deals only: a page of 50 is read from the index in its order,
            # however many deals there are.
            *(
                OrderingIndex(*order, "title", "id", name=f"deal_list_{name}", condition=PUBLISHED)
                for name, order in [
                    ("signed_desc", [F("signed_on").desc(nulls_last=True)]),
                    ("signed_asc", [F("signed_on").asc(nulls_last=True)]),
                    ("value_desc", [F("value_amount_usd").desc(nulls_last=True)]),
                    ("value_asc", [F("value_amount_usd").asc(nulls_last=True)]),
                    ("title", []),
                    ("published", [F("published_at").desc(nulls_last=True)]),
                ]
            ),
            # The browse page's default: ceremony by ceremony, the newest first.
            OrderingIndex(
                F("ceremony_date").desc(nulls_last=True),
                F("ceremony").asc(nulls_last=True),
                F("signed_on").desc(nulls_last=True),
                "title",
                "id",
                name="deal_list_ceremony",
                condition=PUBLISHED,
            ),
            models.Index(fields=["status"], name="deal_status"),
            models.Index(fields=["instrument"], name="deal_instrument"),
            models.Index(fields=["value_amount_usd"], name="deal_amount_usd"),
            # PostgreSQL's GIN index for search; on SQLite a plain index on a NULL column.
            GinIndex(fields=["search_vector"], name="deal_search_vector"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.value_amount_usd = self.compute_amount_usd()
        self.copy_ceremony_date()
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "value_amount_usd",
                "published_at",
                "ceremony_date",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("deals:detail", args=[self.slug])

    def copy_ceremony_date(self):
        self.ceremony_date = self.ceremony.date if self.ceremony_id else None

    def etag(self):
        """The API's ETag: changes with every save (updated_at is set on each)."""
        return f'"{self.pk}-{self.updated_at.timestamp():.6f}"'

    # --- rules shared by the admin and the API -------------------------------

    PUBLISH_PERMISSION = "deals.publish_deal"

    @staticmethod
    def can_see_drafts(user):
        """Signed-in staff who may view deals, as in the admin (a few queries, then cached)."""
        return (
            user is not None
            and user.is_active
            and user.is_staff
            and user.has_perm("deals.view_deal")
        )

    @classmethod
    def can_be_published_by(cls, user):
        return user is not None and user.has_perm(cls.PUBLISH_PERMISSION)

    def can_be_changed_by(self, user):
        """A published deal is the public record: only those who may publish change it."""
        return not self.is_published or self.can_be_published_by(user)

    def clean(self):
        # Before the constraints are checked (they run after clean()).
        self.copy_ceremony_date()
        errors = {}
        if self.slug in self.RESERVED_SLUGS:
            errors["slug"] = [f"“{self.slug}” names a page of the site; choose another slug."]
        try:
            check_amount_matches_qualifier(self.value_amount, self.value_qualifier, "value_amount")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if (
            self.term_start_date
            and self.term_end_date
            and self.term_end_date < self.term_start_date
        ):
            errors["term_end_date"] = ["The term cannot end before it starts."]
        for field in ("umbrella", "follows"):
            message = self._link_error(field)
            if message:
                errors[field] = [message]
        if "umbrella" not in errors:
            message = self._umbrella_depth_error()
            if message:
                errors["umbrella"] = [message]
        if errors:
            raise ValidationError(errors)

    def _link_error(self, field):
        """Refuse a link to itself or a loop through umbrellas or follow-ons."""
        target = getattr(self, field)
        seen = set()
        while target is not None:
            if self.pk and target.pk == self.pk:
                return "A deal cannot be linked to itself, directly or through others."
            if target.pk in seen:
                return "These links form a loop."
            seen.add(target.pk)
            target = getattr(target, field)
        return None

    def _umbrella_depth_error(self):
        """Umbrellas hold components one level deep, which keeps totals simple and honest."""
        if self.umbrella_id is None:
            return None
        if self.umbrella.umbrella_id is not None:
            return f"“{self.umbrella}” is itself part of another deal; choose that deal instead."
        if self.pk and self.components.exists():
            return "This deal holds components of its own, so it cannot be part of another deal."
        return None

    # --- derived values ------------------------------------------------------

    @property
    def is_binding(self):
        if self.instrument in self.BINDING_INSTRUMENTS:
            return True
        if self.instrument in self.NON_BINDING_INSTRUMENTS:
            return False
        return None

    @property
    def conversion_date(self):
        """The date whose exchange rate converts the value: signing, else ceremony, else entry."""
        if self.signed_on:
            return self.signed_on
        if self.ceremony_id:
            return self.ceremony.date
        return (self.created_at or timezone.now()).date()

    def compute_amount_usd(self):
        """The value in US dollars at the signing date's rate (one query unless USD)."""
        if self.value_amount is None:
            return None
        rate = ExchangeRate.objects.rate_on(self.value_currency, self.conversion_date)
        return convert_to_usd(self.value_amount, rate)

    @property
    def value_display(self):
        return format_value(
            self.value_amount,
            self.value_currency,
            self.value_qualifier,
            self.value_basis,
            self.value_amount_usd,
        )

    @property
    def term_display(self):
        return format_term(self.term_months, self.term_start_date, self.term_end_date)

    # --- actions ---------------------------------------------------------------

    def publish(self, *, user):
        self.is_published = True
        self.updated_by = user
        self.save(update_fields=["is_published", "updated_by", "updated_at"])

    def unpublish(self, *, user):
        self.is_published = False
        self.updated_by = user
        self.save(update_fields=["is_published", "updated_by", "updated_at"])

    def settle_status(self, *, changed):
        """After an edit: a status changed by hand with no dated update saying so records
        one dated today; otherwise the status follows the latest dated update."""
        latest = self.status_updates.order_by("-date", "-id").first()
        if changed and (latest is None or latest.status != self.status):
            self.record_status(self.status, on=timezone.localdate())
        else:
            self.sync_status()

    def sync_status(self):
        """Make `status` the status of the latest dated update, if there is one."""
        latest = self.status_updates.order_by("-date", "-id").first()
        if latest and latest.status != self.status:
            self.status = latest.status
            self.save(update_fields=["status", "updated_at"])

    def record_status(self, status, *, on=None, note="", source=None):
        update = self.status_updates.create(
            status=status, date=on or timezone.localdate(), note=note, source=source
        )
        self.sync_status()
        return update


class DealParty(models.Model):
    class Role(models.TextChoices):
        BUYER = "buyer", "buyer"
        SELLER = "seller", "seller"
        INVESTOR = "investor", "investor"
        INVESTEE = "investee", "investee"
        LENDER = "lender", "lender"
        BORROWER = "borrower", "borrower"
        PARTNER = "partner", "partner"
        LICENSOR = "licensor", "licensor"
        LICENSEE = "licensee", "licensee"
        GUARANTOR = "guarantor", "guarantor"
        OTHER = "other", "other"

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="deal_parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="deal_parties")
    role = models.CharField(max_length=20, choices=Role.choices)
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_title = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "party to the deal"
        verbose_name_plural = "parties to the deal"
        constraints = [
            models.UniqueConstraint(fields=["deal", "party", "role"], name="deal_party_role_once"),
        ]

    def __str__(self):
        return f"{self.party} ({self.get_role_display()})"


class DealSource(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="deal_citations")
    quote = models.TextField(blank=True, help_text="What the source says about this deal.")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "source"
        constraints = [
            models.UniqueConstraint(fields=["deal", "source"], name="deal_source_cited_once"),
        ]

    def __str__(self):
        return str(self.source)


class StatusUpdate(models.Model):
    """A dated change in what became of a deal."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="status_updates")
    status = models.CharField(max_length=20, choices=Deal.Status.choices)
    date = models.DateField()
    note = models.TextField(blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="status_updates", null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.get_status_display()} on {self.date}"
