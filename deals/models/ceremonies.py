"""Ceremonies and what holds them: occasions, venues, the people who attend."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from deals.models.base import NativeNamed, TimeStamped
from deals.models.figure_sums import FigureSum
from deals.models.money import (
    CURRENCY_PATTERN,
    USD,
    Qualifier,
    amount_field,
    amount_matches_qualifier,
    check_amount_matches_qualifier,
    currency_field,
)
from deals.models.sources import Source
from deals.models.totals import Reconciliation, Totals, sum_figures
from deals.presentation import format_figures, format_value


def announced_constraints(prefix):
    """The database rules of an announced headline, named `<prefix>_announced_…`."""
    return [
        models.CheckConstraint(
            condition=Q(announced_value_amount__isnull=True) | Q(announced_value_amount__gte=0),
            name=f"{prefix}_announced_value_not_negative",
        ),
        models.CheckConstraint(
            condition=amount_matches_qualifier("announced_value_"),
            name=f"{prefix}_announced_value_amount_matches_qualifier",
        ),
        models.CheckConstraint(
            condition=Q(announced_value_currency__regex=CURRENCY_PATTERN),
            name=f"{prefix}_announced_value_currency_iso",
        ),
    ]


class AnnouncedHeadline(models.Model):
    """The headline its organisers announced: a value (with its qualifier) and a count.

    Shared by ceremonies and occasions; each model adds `announced_constraints()`.
    """

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

    class Meta:
        abstract = True

    @property
    def announced_value_display(self):
        return format_value(
            self.announced_value_amount,
            self.announced_value_currency,
            self.announced_value_qualifier,
        )

    @property
    def has_announced_value(self):
        return self.announced_value_qualifier != Qualifier.UNDISCLOSED

    @property
    def announced_usd(self):
        """The announced amount when it was stated in US dollars (a bar's scale), else None."""
        if self.has_announced_value and self.announced_value_currency == USD:
            return self.announced_value_amount
        return None

    def reconciliation_with(self, totals):
        return Reconciliation(
            announced_count=self.announced_deal_count,
            announced_value=self.announced_value_display if self.has_announced_value else None,
            totals=totals,
            announced_usd=self.announced_usd,
        )

    def clean_announced(self):
        check_amount_matches_qualifier(
            self.announced_value_amount, self.announced_value_qualifier, "announced_value_amount"
        )


class OccasionQuerySet(models.QuerySet):
    def having_published_deals(self):
        from deals.models.deals import Deal  # Deal's module imports this one

        # EXISTS: an index probe per occasion, so "the newest 300" stops after 300.
        return self.filter(
            Exists(Deal.objects.published().filter(ceremony__occasion=OuterRef("pk")))
        )

    def reconciled(self):
        """[(occasion, Reconciliation)] for these occasions, in three queries however many:
        the occasions, their ceremonies, and every occasion's kept totals at once."""
        occasions = list(self.prefetch_related("ceremonies"))
        keys = [occasion.figure_key for occasion in occasions]
        by_key = FigureSum.objects.current().totals_by_scope(keys) if keys else {}
        nothing = Totals.from_groups([])
        return [
            (
                occasion,
                occasion.reconciliation(
                    totals=by_key.get(occasion.figure_key, nothing),
                    ceremonies=occasion.ceremonies.all(),
                ),
            )
            for occasion in occasions
        ]


class Occasion(NativeNamed, TimeStamped, AnnouncedHeadline):
    """A state visit, summit or trade fair that holds signing ceremonies.

    It may carry a headline of its own for the whole visit ("more than US$250 billion");
    without one, its reconciliation sets the itemised deals against what its
    ceremonies announced, added up.
    """

    name = models.CharField(max_length=200)
    native_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name in its own script (e.g. Chinese), where a source gives it; "
        "Chinese pages show it first.",
    )
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
            *announced_constraints("occasion"),
        ]
        indexes = [models.Index(fields=["-start_date", "name"], name="occasion_newest")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("deals:occasion", args=[self.slug])

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date cannot be before the start date."})
        self.clean_announced()

    @property
    def figure_key(self):
        """Its scope among the kept figures (deals/models/figures.py)."""
        return f"occasion:{self.pk}"

    def itemised_totals(self):
        """Totals of the published deals of all its ceremonies, from the kept figures:
        money is counted once, a component within its umbrella and a deal within its
        follow-on, even when they were signed at different ceremonies of the occasion."""
        return FigureSum.objects.current().of(self.figure_key).totals()

    def announced_by_ceremonies(self, ceremonies=None):
        """(value written, USD scale, count) its ceremonies announced, added up.

        The value is the sum of the ceremonies' headlines in US dollars (qualifiers
        combined as in every total, `sum_figures`), None when a ceremony announced a
        value in another currency or none announced one; the count is None unless every
        ceremony announced one. `ceremonies`: already fetched (else one query)."""
        ceremonies = list(self.ceremonies.all() if ceremonies is None else ceremonies)
        with_value = [c for c in ceremonies if c.has_announced_value]
        value = scale = None
        if with_value and all(c.announced_usd is not None for c in with_value):
            figures = sum_figures(
                (c.announced_value_qualifier, c.announced_value_amount) for c in with_value
            )
            value = format_figures(figures)
            scale = sum(f.amount_usd for f in figures)
        counts = [c.announced_deal_count for c in ceremonies]
        count = sum(counts) if counts and None not in counts else None
        return value, scale, count

    def reconciliation(self, totals=None, ceremonies=None):
        """The whole occasion's announced headline against its itemised, published deals.

        Its own headline when it has one, else its ceremonies' headlines added up
        (`announced_by_ceremonies`). `totals`: its itemised totals when already read
        (a page's kept summary), else read from the kept figures."""
        totals = self.itemised_totals() if totals is None else totals
        if self.has_announced_value or self.announced_deal_count is not None:
            return Reconciliation(
                announced_count=self.announced_deal_count,
                announced_value=self.announced_value_display if self.has_announced_value else None,
                totals=totals,
                announced_usd=self.announced_usd,
            )
        value, scale, count = self.announced_by_ceremonies(ceremonies)
        return Reconciliation(
            announced_count=count,
            announced_value=value,
            totals=totals,
            announced_usd=scale,
            announced_by=_("its ceremonies"),
        )


class Venue(NativeNamed, TimeStamped):
    name = models.CharField(max_length=200)
    native_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name in its own script (e.g. Chinese), where a source gives it; "
        "Chinese pages show it first.",
    )
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


class Person(NativeNamed, TimeStamped):
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
        totals = Ceremony.itemised_totals_of([ceremony.pk for ceremony in ceremonies])
        for ceremony in ceremonies:
            ceremony._itemised_totals = totals[ceremony.pk]
            yield ceremony


class CeremonyQuerySet(models.QuerySet):
    def having_published_deals(self):
        from deals.models.deals import Deal  # Deal's module imports this one

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
        from deals.models.deals import Deal  # Deal's module imports this one

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


class Ceremony(NativeNamed, TimeStamped, AnnouncedHeadline):
    """One signing event, with the headline its organisers announced."""

    name = models.CharField(max_length=200)
    native_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name in its own script (e.g. Chinese), where a source gives it; "
        "Chinese pages show it first.",
    )
    slug = models.SlugField(max_length=200, unique=True)
    date = models.DateField()
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="ceremonies")
    occasion = models.ForeignKey(
        Occasion, on_delete=models.PROTECT, related_name="ceremonies", null=True, blank=True
    )
    description = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, through="deals.CeremonySource", blank=True)

    history = HistoricalRecords()
    objects = CeremonyQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "name"]
        verbose_name_plural = "ceremonies"
        constraints = announced_constraints("ceremony")
        # The newest ceremonies first (home page, browse form, ceremony list).
        indexes = [models.Index(fields=["-date", "name"], name="ceremony_newest")]

    def __str__(self):
        return f"{self.name} ({self.date:%-d %b %Y})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Deals keep a copy of the date (Deal.ceremony_date) to be listed in order, and
        # read it as evidence when nothing later is recorded.
        moved = self.deals.exclude(ceremony_date=self.date)
        moved_ids = list(moved.values_list("pk", flat=True))
        if moved_ids:
            # A deal signed at the ceremony was signed on its date, wherever it moves.
            moved.filter(ceremony_signing="at_ceremony", signed_on=F("ceremony_date")).update(
                signed_on=self.date, ceremony_date=self.date
            )
            moved.update(ceremony_date=self.date)
            self.deals.filter(pk__in=moved_ids).refresh_last_evidence()
            self.deals.filter(pk__in=moved_ids).recompute_usd()  # signed on the new date

    def get_absolute_url(self):
        return reverse("deals:ceremony", args=[self.slug])

    def clean(self):
        self.clean_announced()
        if self.pk and self.date:
            # Deals signed before or after the ceremony stay so (Deal.ceremony_signing).
            contradicted = self.deals.filter(
                Q(ceremony_signing="later", signed_on__lte=self.date)
                | Q(ceremony_signing="earlier", signed_on__gte=self.date)
            )
            names = [str(deal) for deal in contradicted[:3]]
            if names:
                raise ValidationError(
                    {
                        "date": "On this date the ceremony would no longer fall before or "
                        "after the signing of " + ", ".join(f"“{n}”" for n in names) + "; "
                        "correct those deals first."
                    }
                )

    @property
    def figure_key(self):
        """Its scope among the kept figures (deals/models/figures.py)."""
        return self.figure_key_of(self.pk)

    @staticmethod
    def figure_key_of(pk):
        return f"ceremony:{pk}"

    @classmethod
    def itemised_totals_of(cls, pks):
        """The itemised totals of the ceremonies with these ids, by id: two queries
        from the kept figures, none for no ids."""
        keys = {pk: cls.figure_key_of(pk) for pk in pks}
        by_key = FigureSum.objects.current().totals_by_scope(list(keys.values())) if keys else {}
        return {pk: by_key.get(key, Totals.from_groups([])) for pk, key in keys.items()}

    def itemised_totals(self):
        """Totals of this ceremony's published deals, from the kept figures (two
        queries, none if fetched through `Ceremony.objects.with_reconciliation()`)."""
        cached = getattr(self, "_itemised_totals", None)
        if cached is not None:
            return cached
        return FigureSum.objects.current().of(self.figure_key).totals()

    def reconciliation(self):
        """What was announced set against what the record itemises."""
        return self.reconciliation_with(self.itemised_totals())


class Dignitary(models.Model):
    """A person at a ceremony, with the title they held that day."""

    class Role(models.TextChoices):
        HOST = "host", _("host")
        WITNESS = "witness", _("witness")
        SPEAKER = "speaker", _("speaker")
        SIGNATORY = "signatory", _("signatory")
        ATTENDEE = "attendee", _("attendee")

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
