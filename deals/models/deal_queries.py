"""The query vocabulary of deals: `Deal.objects.published().in_sector(s).totals()`.

One QuerySet, kept whole: filters (adjectives), totals that never count the same money
twice, search, and bulk upkeep (search vectors, USD conversions).
"""

import datetime
import functools
import operator

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Greatest, TruncMonth, TruncYear
from django.utils import timezone

from deals.caching import record_changed, remembered
from deals.models.figures import StaleDeal
from deals.models.money import USD, ExchangeRate, convert_to_usd, rate_in_timeline
from deals.models.parties import DealParty, Party
from deals.models.sectors import Sector
from deals.models.sources import DealSource
from deals.models.status import (
    OPEN_STATUSES,
    OUTCOME_OF_STATUS,
    Outcome,
    StatusUpdate,
    follow_up_cutoff,
)
from deals.models.totals import GroupTotals, Scorecard, Totals
from deals.search import prefix_tsquery, search_words, word_start_pattern


def _flag(condition):
    """True or False for each row, as a column that rows can be grouped by."""
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=models.BooleanField()
    )


# signing_years() per database: the first day of the year after `first`, and its year.
_YEARS_SQL = {
    "postgresql": (
        "make_date(CAST(EXTRACT(YEAR FROM first) AS integer) + 1, 1, 1)",
        "CAST(EXTRACT(YEAR FROM first) AS integer)",
    ),
    "sqlite": ("date(first, 'start of year', '+1 year')", "CAST(strftime('%Y', first) AS integer)"),
}


class DealQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def drafts(self):
        return self.filter(is_published=False)

    def signing_years(self):
        """The years in which published deals were signed, newest first (of the whole
        record, whatever this QuerySet filters): a recursive query that jumps from each
        year's first signing to the next year's, one index probe per year, rather than
        a look at every deal (200 ms at a million deals)."""
        connection = connections[self.db]
        dialect = _YEARS_SQL.get(connection.vendor)
        if dialect is None:
            return [day.year for day in self.published().dates("signed_on", "year", "DESC")]
        next_year, year_of = dialect
        table = connection.ops.quote_name(self.model._meta.db_table)
        first = f"SELECT MIN(signed_on) FROM {table} WHERE is_published AND signed_on >= "
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH RECURSIVE years(first) AS ("
                f" SELECT MIN(signed_on) FROM {table} WHERE is_published AND signed_on IS NOT NULL"
                f" UNION ALL SELECT ({first}{next_year}) FROM years WHERE first IS NOT NULL"
                f") SELECT {year_of} FROM years WHERE first IS NOT NULL ORDER BY 1 DESC"
            )
            return [year for (year,) in cursor.fetchall()]

    def visible_to(self, user):
        """Staff who may view deals see drafts; everyone else sees the published record only."""
        if self.model.can_see_drafts(user):
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
        return sorted(groups, key=lambda g: (-(g.totals.as_stated_usd or 0), g.group.name))

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

    # --- a party's group (added for the follow-through "with subsidiaries" figures) ---

    def involving_any(self, parties):
        """Deals any of `parties` (records or ids) signed, in any role (a subquery, so a
        deal two of them signed is one row): with `Party.with_subsidiaries_ids()`, the
        deals of a party's whole group."""
        return self.filter(pk__in=DealParty.objects.filter(party__in=parties).values("deal"))

    # --- follow-through: what became of the deals (deals/models/status.py) -----------

    @staticmethod
    def _superseded_ids():
        """Ids of deals a published follow-on continues (few: a hashed subquery)."""
        from deals.models.deals import Deal  # Deal's module imports this one

        return Deal.objects.filter(is_published=True, follows__isnull=False).values("follows")

    def superseded(self):
        return self.filter(pk__in=self._superseded_ids())

    def needing_follow_up(self, *, today=None):
        """Open deals with no status evidence since the follow-up cutoff, oldest first.

        Superseded deals are settled by their follow-on, which is followed up itself.
        """
        return (
            self.filter(status__in=OPEN_STATUSES, last_evidence_on__lt=follow_up_cutoff(today))
            .exclude(pk__in=self._superseded_ids())
            .order_by("last_evidence_on", "title", "pk")
        )

    def follow_through(self, *, today=None):
        """The Scorecard of these deals: how many, and how much, became what (one query).

        Each deal counts under one Outcome: superseded when a published follow-on
        continues it, else its status. Money is never counted twice: as in `totals()` a
        component within its umbrella's figure is not added, and a deal whose follow-on
        is among these deals with a known USD amount is counted in the follow-on's
        figure, the later word on the same commitment. So the outcomes add up to the
        whole, and `Scorecard.totals` equals `totals()` but for those follow-ons.
        """
        superseded = self._superseded_ids()
        carried = (
            self.order_by()
            .filter(follows__isnull=False, value_amount_usd__isnull=False)
            .values("follows")
        )
        is_carried = Case(
            When(pk__in=carried, then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        )
        outcome = Case(
            When(pk__in=superseded, then=Value(Outcome.SUPERSEDED.value)),
            *(When(status=s, then=Value(o.value)) for s, o in OUTCOME_OF_STATUS.items()),
            default=Value(Outcome.SIGNED_ONLY.value),
            output_field=models.CharField(),
        )
        stale = Q(status__in=OPEN_STATUSES, last_evidence_on__lt=follow_up_cutoff(today)) & ~Q(
            pk__in=superseded
        )
        rows = (
            self.order_by()
            .annotate(
                outcome=outcome,
                has_usd=_flag(Q(value_amount_usd__isnull=False)),
                # As in _grouped_totals: the EXISTS runs only for components.
                is_held=Case(
                    When(umbrella__isnull=True, then=is_carried),
                    When(self._umbrella_holds_money(), then=Value(True)),
                    default=is_carried,
                    output_field=models.BooleanField(),
                ),
                is_converted=_flag(~Q(value_currency=USD)),
                is_stale=_flag(stale),
            )
            .values("outcome", "value_qualifier", "has_usd", "is_held", "is_converted", "is_stale")
            .annotate(n=Count("pk"), usd=Sum("value_amount_usd"), latest=Max("last_evidence_on"))
        )
        return Scorecard.from_rows(rows)

    def remembered_follow_through(self):
        """`follow_through()`, computed once per change of the record and per day (what
        is stale moves with the date)."""
        today = timezone.localdate()
        return remembered(
            f"follow_through:{today.isoformat()}", self, lambda: self.follow_through(today=today)
        )

    def refresh_last_evidence(self):
        """Recompute `last_evidence_on` of these deals in one UPDATE; return how many.

        The latest of its latest dated status update and its signing, else its
        ceremony's date. Written with update(): no history row, updated_at left alone
        (it is derived, like the USD amount).
        """
        latest_update = models.Subquery(
            StatusUpdate.objects.filter(deal=OuterRef("pk"))
            .order_by()
            .values("deal")
            .annotate(latest=Max("date"))
            .values("latest"),
            output_field=models.DateField(),
        )
        StaleDeal.mark_selection(self)  # update() sends no signal to kept figures
        return self.update(
            last_evidence_on=Greatest(
                Coalesce(latest_update, "signed_on", "ceremony_date"),
                Coalesce("signed_on", latest_update, "ceremony_date"),
            )
        )

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
            # As double precision: ts_rank gives a real, which a keyset cursor would
            # read back as a nearby double and never get past (deals/api/pagination.py).
            rank = Cast(SearchRank(F("search_vector"), query), models.FloatField())
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
        StaleDeal.mark_selection(cleared)
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
                pending.append(self.model(pk=pk, value_amount_usd=amount_usd))
        self.model.objects.bulk_update(pending, ["value_amount_usd"], batch_size=batch_size)
        StaleDeal.mark(*(deal.pk for deal in pending), using=self.db)
        if changed or pending:
            # update() and bulk_update() send no signal to the public cache.
            record_changed()
        return changed + len(pending)
