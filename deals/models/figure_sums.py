"""Kept sums: the kept figure rows (deals/models/figures.py) added up per scope, so that
a page showing the whole record's totals reads a few hundred sums instead of adding up
a row per published deal (900,000 of them at a million deals) after every change.

A `FigureSum` holds the count and the USD sum of one scope's rows that agree on what a
total tells apart: the qualifier of the amount, whether it is known in US dollars,
whether it is already held by its umbrella and whether it was converted. The "all"
scope is kept per month (`dated_on`, the month's first day) and ISIC section, for the
home page's charts; every other scope is kept whole. Sums answer totals only: a
scorecard (outcomes, staleness) still reads the rows of its scope.

They change where the rows change, in the same transaction: `apply_change()` adds what
a recomputation's new rows hold and takes away what its old rows held (a handful of
sums per deal), and `rebuild()` adds everything up again after the rows are rebuilt.
tests/test_kept_figures.py checks that they equal the rows' totals after every write.
"""

import datetime

from django.db import connections, models
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Cast, TruncMonth, TruncYear
from django_countries import countries

from deals.models.totals import GroupTotals, Totals

ALL = "all"  # the whole published record's scope (deals/models/figures.py)
COUNTRY = "country:"  # a country's scope is "country:<CC>"
# What a sum tells apart, besides its scope (the columns of a group of rows).
KEY = ("scope", "dated_on", "section_id", "value_qualifier", "has_usd", "is_held", "is_converted")
# The same, with the count and the sum, as `_grouped_query()` names them on the rows.
GROUPED_COLUMNS = (
    "scope",
    "s_dated_on",
    "s_section",
    "value_qualifier",
    "s_has_usd",
    "is_held",
    "is_converted",
    "s_n",
    "s_usd",
)


class KeptTotalsMixin:
    """Totals read from kept, grouped figures: FigureRow's rows or FigureSum's sums,
    whose `_rows()` both give the groups `Totals.from_groups()` folds."""

    def of(self, key):
        return self.filter(scope=key)

    def current(self):
        """These, after recomputing any marked deal (one query when none is)."""
        from deals.models.figures import bring_up_to_date  # figures imports this module

        bring_up_to_date()
        return self

    def totals(self):
        return totals_of(self._rows())

    def totals_by_scope(self, keys):
        """{key: Totals} for many scopes in one query (ceremony lists' reconciliations)."""
        groups = {}
        for row in self.filter(scope__in=keys)._rows("scope"):
            groups.setdefault(row["scope"], []).append(row)
        return {key: totals_of(rows) for key, rows in groups.items()}

    def of_countries(self):
        """The "country:<CC>" scopes, named one by one so the scope index finds them (a
        prefix match would read every scope's figures on PostgreSQL, whose collation
        does not sort by bytes)."""
        return self.filter(scope__in=[f"{COUNTRY}{code}" for code, _name in countries])

    def countries(self):
        """The ISO codes of the countries with kept figures (a party from it signed a
        published deal), in code order: one query, from the scope index."""
        scopes = self.of_countries().order_by().values_list("scope", flat=True).distinct()
        return sorted(scope.removeprefix(COUNTRY) for scope in scopes)

    def totals_by_country(self):
        """GroupTotals per country of a party (its ISO code), from the "country:<CC>"
        scopes in one query; most deals first. A deal with parties of two countries is
        in both groups, so the groups do not add up to the deals."""
        groups = {}
        for row in self.of_countries()._rows("scope"):
            groups.setdefault(row["scope"].removeprefix(COUNTRY), []).append(row)
        result = [
            GroupTotals(group=code, totals=totals_of(rows), held_count=_held_count(rows))
            for code, rows in groups.items()
        ]
        return sorted(result, key=lambda g: (-g.totals.count, g.group))

    def totals_by_section(self):
        """As `DealQuerySet.totals_by_section()`, largest sum first."""
        from deals.models.sectors import Sector

        names = ("section_id", "section__name", "section__slug", "section__code")
        groups = {}
        for row in self._rows(*names):
            groups.setdefault(tuple(row[name] for name in names), []).append(row)
        result = [
            GroupTotals(
                group=Sector(pk=pk, name=name, slug=slug, code=code),
                totals=totals_of(rows),
                held_count=_held_count(rows),
            )
            for (pk, name, slug, code), rows in groups.items()
            if pk is not None
        ]
        return sorted(result, key=lambda g: (-(g.totals.as_stated_usd or 0), g.group.name))

    def totals_by_period(self, period):
        """As `DealQuerySet.totals_by_period()`: per year or month, undated last."""
        truncate = {"year": TruncYear, "month": TruncMonth}[period]
        groups = {}
        rows = self.annotate(start=truncate("dated_on", output_field=models.DateField()))
        for row in rows._rows("start"):
            groups.setdefault(row["start"], []).append(row)
        result = [
            GroupTotals(group=start, totals=totals_of(rows), held_count=_held_count(rows))
            for start, rows in groups.items()
        ]
        return sorted(result, key=lambda g: (g.group is None, g.group or datetime.date.min))


def totals_of(rows):
    """Totals of grouped rows, holding components as `DealQuerySet.totals()` does."""
    return Totals.from_groups(rows)


def _held_count(rows):
    return sum(row["n"] for row in rows if row["has_usd"] and row["is_held"])


class FigureSumQuerySet(KeptTotalsMixin, models.QuerySet):
    def _rows(self, *group_by, today=None):
        """The grouped rows `Totals.from_groups()` folds, as FigureRow's give them."""
        keys = (*group_by, "value_qualifier", "has_usd", "is_held", "is_converted")
        return self.order_by().values(*keys).annotate(n=Sum("n"), usd=Sum("usd"))


class FigureSum(models.Model):
    """The count and USD sum of one scope's kept rows alike in KEY (see the module)."""

    scope = models.CharField(max_length=40)
    # The month's first day, for the "all" scope only (None: undated, or another scope).
    dated_on = models.DateField(null=True)
    section = models.ForeignKey(
        "deals.Sector",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    value_qualifier = models.CharField(max_length=20)
    has_usd = models.BooleanField()
    is_held = models.BooleanField()
    is_converted = models.BooleanField()
    n = models.PositiveIntegerField()
    usd = models.DecimalField(max_digits=24, decimal_places=2, null=True)

    objects = FigureSumQuerySet.as_manager()

    class Meta:
        indexes = [
            # Every read takes one scope's sums whole: from the index alone on PostgreSQL
            # (INCLUDE, an index-only scan), as the "all" scope's ~100,000 sums at 1M
            # deals lie among three million others (6,000 pages of the table to read).
            models.Index(
                fields=["scope"],
                include=[
                    "dated_on",
                    "section",
                    "value_qualifier",
                    "has_usd",
                    "is_held",
                    "is_converted",
                    "n",
                    "usd",
                ],
                name="figure_sum_scope_covering",
            )
        ]
        constraints = [models.CheckConstraint(condition=Q(n__gt=0), name="figure_sum_not_empty")]

    def __str__(self):
        return f"{self.scope}: {self.n} deals"


def grouped(rows):
    """{KEY values: (n, usd)} of these FigureRows, as their sums hold them."""
    rows = _grouped_query(rows).values_list(*GROUPED_COLUMNS)
    return {tuple(row[:-2]): (row[-2], row[-1]) for row in rows}


def apply_change(before, after, *, using):
    """Move the sums from what the replaced rows held (`before`, from `grouped()`) to
    what their new rows hold (`after`): an UPDATE per sum that changed, an INSERT for
    a new one, a DELETE for those left empty."""
    sums = FigureSum.objects.using(using)
    for key in before.keys() | after.keys():
        n_before, usd_before = before.get(key, (0, None))
        n_after, usd_after = after.get(key, (0, None))
        if (n_before, usd_before) == (n_after, usd_after):
            continue
        match = dict(zip(KEY, key, strict=True))
        # Left empty: deleted, if these rows were all it held (an UPDATE to 0 would
        # break the constraint that a sum holds rows).
        if n_after == 0 and sums.filter(**match, n=n_before).delete()[0]:
            continue
        n, usd = n_after - n_before, (usd_after or 0) - (usd_before or 0)
        usd_change = (F("usd") + usd) if match["has_usd"] else None
        if not sums.filter(**match).update(n=F("n") + n, usd=usd_change):
            sums.create(**match, n=n_after, usd=usd_after)


def rebuild(rows, sums):
    """Add every kept row up again, one INSERT … SELECT: `rows` and `sums` are the two
    models' managers (on one database), so a migration can pass its historical ones."""
    sums.all().delete()
    select, params = _grouped_query(rows.all()).query.sql_with_params()
    connection = connections[sums.db]
    columns = ", ".join(connection.ops.quote_name(name) for name in (*KEY, "n", "usd"))
    table = connection.ops.quote_name(sums.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)


def _grouped_query(rows):
    """The rows grouped by KEY, with their count and USD sum, in KEY's order."""
    whole = ~Q(scope=ALL)
    return (
        rows.order_by()
        .annotate(
            s_dated_on=Case(
                When(whole, then=None),
                default=Cast(TruncMonth("dated_on"), models.DateField()),
                output_field=models.DateField(),
            ),
            s_section=Case(
                When(whole, then=None), default=F("section_id"), output_field=models.IntegerField()
            ),
            s_has_usd=Case(
                When(value_amount_usd__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        )
        .values(*GROUPED_COLUMNS[:-2])
        .annotate(s_n=Count("pk"), s_usd=Sum("value_amount_usd"))
    )
