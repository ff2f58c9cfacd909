"""Figures kept, not recomputed: one row per (scope, published deal), kept current by
the code paths that change the record, so that a scorecard, a page's totals or the
home page's charts read a few index entries instead of recomputing over the record.

A *scope* is what a figure is about, written as a key: "all" (the published record),
"ceremony:<id>", "occasion:<id>", "sector:<id>" (a division's deals count with its
section too), "party:<id>" (the party itself), "group:<id>" (the party with its
subsidiaries at any depth) and "country:<CC>" (a party from the country). A row holds
what the live QuerySet methods decide per deal within that set
(`DealQuerySet.totals()` and `follow_through()`): the deal's outcome, its USD amount
and qualifier, whether its umbrella in the same set already holds its money
(`is_held`), whether a follow-on in the same set carries it (`is_carried`), whether it
is open, and its latest evidence, so summing rows of one scope gives exactly the live
figures (tests/test_kept_figures.py checks every scope after every kind of write).

How rows stay current: every write that can change a row marks the deals it touches in
`StaleDeal` (signals in `connect_signals()`, and the bulk paths: `update()`,
`bulk_update()`, restores, the benchmark's loader). When the write commits, the marked
deals (and the deals whose rows depend on them: their components and the deal they
follow) are recomputed at once, in the writer's request, if they are few
(`RECOMPUTE_ON_COMMIT_UP_TO`), so the next reader finds the figures current. A larger
change (a rate, a party's country over all its deals), a write outside a transaction (a
script's), or one whose recomputation failed, is left to the first reader:
`FigureRow.objects.current()` recomputes what is marked under a lock, so readers
arriving together wait for one recomputation rather than each doing it; when nothing is
marked it costs one query. Rows and marks are derived data: the public cache ignores
their writes, backups leave them out, `manage.py rebuild_figures` makes them again from
the record.
"""

from django.db import connections, models, router, transaction
from django.db.models import Case, CharField, Count, Exists, F, Max, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from deals.caching import remembered
from deals.models import figure_sums
from deals.models.figure_sums import ALL, FigureSum, KeptTotalsMixin, totals_of
from deals.models.money import USD
from deals.models.status import OPEN_STATUSES, OUTCOME_OF_STATUS, Outcome, follow_up_cutoff
from deals.models.totals import Scorecard
from deals.transactions import on_commit_once

# A group deeper than this is a data error (as in Party.clean()).
MAX_GROUP_DEPTH = 20
# Past this many marked deals, recomputing everything is quicker than deal by deal.
REBUILD_ABOVE = 20_000
# Deals recomputed per statement, so the id lists stay within SQLite's limits.
BATCH = 2_000
# Up to this many marked deals, a write recomputes them when it commits; past it the
# recomputation is left to the next reader rather than held against the writer's answer.
RECOMPUTE_ON_COMMIT_UP_TO = BATCH
# PostgreSQL advisory lock key for the recomputation (any constant unique to this use).
LOCK_KEY = 0x0DEA1F16


def scope_key(kind, pk):
    """The key of a scope: scope_key("ceremony", 3) == "ceremony:3"."""
    return ALL if kind == ALL else f"{kind}:{pk}"


def _flag(condition):
    return Case(When(condition, then=Value(True)), default=Value(False))


class StaleDeal(models.Model):
    """A deal whose kept rows may be out of date (a mark, cleared when recomputed).

    Not a foreign key: a deleted deal's mark must outlive it, so that the deals whose
    rows depended on it are recomputed. Marks may repeat; `id` orders them, so a
    recomputation clears only the marks it has seen.
    """

    deal_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["deal_id"], name="stale_deal_deal")]

    def __str__(self):
        return f"deal {self.deal_id} to recompute"

    @classmethod
    def mark(cls, *deal_ids, using=None):
        ids = {pk for pk in deal_ids if pk is not None}
        forget_check()
        if ids:
            using = using or router.db_for_write(cls)
            cls.objects.using(using).bulk_create([cls(deal_id=pk) for pk in ids])
            _recompute_on_commit(using)

    @classmethod
    def mark_selection(cls, deals):
        """Mark every deal of a QuerySet of deals, in one INSERT … SELECT."""
        using = deals.db
        forget_check()
        select, params = deals.order_by().values("pk").query.sql_with_params()
        table = connections[using].ops.quote_name(cls._meta.db_table)
        with connections[using].cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} (deal_id) {select}", params)
        _recompute_on_commit(using)


def _recompute_on_commit(using):
    """Once the write's transaction commits (the admin's and the API's writes each run
    in one), recompute what it marked, if that is little; marks written outside a
    transaction wait for the next reader. `robust`: a failure is logged, never the
    writer's error (its write has committed); the marks stay for the next reader."""
    on_commit_once("figures", lambda: _recompute_if_few(using), using=using, robust=True)


def _recompute_if_few(using):
    if _Checked.value:
        return
    marked = StaleDeal.objects.using(using).count()
    if not marked:
        _Checked.value = True
    elif marked <= RECOMPUTE_ON_COMMIT_UP_TO:
        _recompute(using)


class FigureRowQuerySet(KeptTotalsMixin, models.QuerySet):
    # --- what the live DealQuerySet methods give, read from kept rows -----------------

    def _rows(self, *group_by, today=None):
        flags = {
            "has_usd": _flag(Q(value_amount_usd__isnull=False)),
            "is_stale": _flag(Q(is_open=True, last_evidence_on__lt=follow_up_cutoff(today))),
        }
        keys = (*group_by, "outcome", "value_qualifier", "has_usd", "is_held", "is_carried")
        return (
            self.order_by()
            .annotate(**flags)
            .values(*keys, "is_converted", "is_stale")
            .annotate(n=Count("pk"), usd=Sum("value_amount_usd"), latest=Max("last_evidence_on"))
        )

    def summary(self, *, today=None):
        """(Totals, Scorecard) of one scope's rows, from one query: the totals as
        `DealQuerySet.totals()` gives them, the scorecard as `follow_through()` does."""
        rows = list(self._rows(today=today))
        return totals_of(rows), scorecard_of(rows)

    def remembered_summary(self, key):
        """`current().of(key).summary()` for today, kept by the public cache until the
        record changes (a change replaces the cache's generation and marks the deals
        in the same transaction, so a remembered summary is never older than its rows)."""
        today = timezone.localdate()
        return remembered(
            f"kept:{today.isoformat()}",
            self.of(key),
            lambda: self.current().of(key).summary(today=today),
        )

    def follow_through(self, *, today=None):
        return scorecard_of(self._rows(today=today))


def scorecard_of(rows):
    """The Scorecard of grouped rows: a deal carried by its follow-on is held too."""
    return Scorecard.from_rows(
        [{**row, "is_held": row["is_held"] or row["is_carried"]} for row in rows]
    )


class FigureRow(models.Model):
    """One published deal as it counts in one scope's figures (see the module's text)."""

    scope = models.CharField(max_length=40)
    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    value_qualifier = models.CharField(max_length=20)
    value_amount_usd = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    is_converted = models.BooleanField()
    is_held = models.BooleanField(db_default=False)
    is_carried = models.BooleanField(db_default=False)
    is_open = models.BooleanField()
    last_evidence_on = models.DateField(null=True)
    dated_on = models.DateField(null=True)
    # The ISIC section the deal counts in (its sector's parent, or the sector itself).
    # No database constraint: a sector is never deleted while deals use it (PROTECT).
    section = models.ForeignKey(
        "deals.Sector",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )

    objects = FigureRowQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "deal"], name="figure_row_once_per_scope"),
        ]
        indexes = [
            models.Index(fields=["deal"], name="figure_row_deal"),
            # The columns a scorecard reads ride along (PostgreSQL; SQLite indexes the
            # scope alone), so a scope is answered from the index.
            models.Index(
                fields=["scope"],
                name="figure_row_scope_reads",
                include=[
                    "outcome",
                    "value_qualifier",
                    "value_amount_usd",
                    "is_converted",
                    "is_held",
                    "is_carried",
                    "is_open",
                    "last_evidence_on",
                ],
            ),
        ]

    def __str__(self):
        return f"{self.scope}: deal {self.deal_id}"


DERIVED = (FigureRow, FigureSum, StaleDeal)


# --- making rows ---------------------------------------------------------------------


def _memberships(deals):
    """(scope key expression, QuerySet of deals annotated with it) for every kind."""

    def key(prefix, field):
        return Concat(Value(prefix), Cast(field, CharField()), output_field=CharField())

    yield "all", Value(ALL, output_field=CharField()), deals
    yield "ceremony", key("ceremony:", "ceremony_id"), deals.filter(ceremony__isnull=False)
    occasion = "ceremony__occasion_id"
    yield "occasion", key("occasion:", occasion), deals.filter(ceremony__occasion__isnull=False)
    yield "sector", key("sector:", "sector_id"), deals.filter(sector__isnull=False)
    section = deals.filter(sector__parent__isnull=False)
    yield "sector", key("sector:", "sector__parent_id"), section
    party = "deal_parties__party_id"
    yield "party", key("party:", party), deals.filter(deal_parties__isnull=False)
    country = "deal_parties__party__country"
    yield (
        "country",
        Concat(Value("country:"), F(country), output_field=CharField()),
        deals.filter(deal_parties__isnull=False).exclude(**{country: ""}),
    )
    # A party's group holds the deals of every party below it: one statement per level,
    # until a level is empty.
    path = "deal_parties__party"
    for _ in range(MAX_GROUP_DEPTH):
        yield "group", key("group:", f"{path}_id"), deals.filter(**{f"{path}__isnull": False})
        path += "__parent"


def _insert_rows(deals, using):
    """INSERT … SELECT the rows of these published deals, one statement per scope kind;
    is_held and is_carried are set afterwards, once every row exists."""
    from deals.models.deals import Deal  # Deal's module imports this one

    follow_ons = Deal.objects.filter(is_published=True, follows=OuterRef("pk"))
    superseded = Exists(follow_ons)
    columns = {
        "f_scope": None,
        "f_deal": F("pk"),
        "f_outcome": Case(
            When(superseded, then=Value(Outcome.SUPERSEDED.value)),
            *(When(status=s, then=Value(o.value)) for s, o in OUTCOME_OF_STATUS.items()),
            default=Value(Outcome.SIGNED_ONLY.value),
            output_field=CharField(),
        ),
        "f_qualifier": F("value_qualifier"),
        "f_usd": F("value_amount_usd"),
        "f_converted": _flag(~Q(value_currency=USD)),
        "f_open": _flag(Q(status__in=OPEN_STATUSES) & ~superseded),
        "f_evidence": F("last_evidence_on"),
        "f_dated": Coalesce("signed_on", "ceremony_date"),
        "f_section": Coalesce("sector__parent_id", "sector_id"),
    }
    table = FigureRow._meta.db_table
    names = ["scope", "deal_id", "outcome", "value_qualifier", "value_amount_usd"]
    names += ["is_converted", "is_open", "last_evidence_on", "dated_on", "section_id"]
    connection = connections[using]
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    known = FigureRow.objects.using(using).filter(deal=OuterRef("pk"))
    inserted = 0
    with connection.cursor() as cursor:
        for kind, scope, members in _memberships(deals.using(using)):
            query = members.annotate(**{**columns, "f_scope": scope}).values(*columns)
            if kind in ("party", "country", "group"):
                query = query.distinct()  # a party may sign one deal in two roles
            if kind == "group":  # nor twice through two levels of a group
                query = query.filter(~Exists(known.filter(scope=OuterRef("f_scope"))))
            select, params = query.order_by().query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) {select}", params
            )
            inserted += max(cursor.rowcount, 0)
            if kind == "group" and cursor.rowcount == 0:
                break
    return inserted


def _decide_held_and_carried(rows):
    """Set is_held (its umbrella's row in the same scope has a USD amount) and
    is_carried (a follow-on's row in the same scope has one) on these rows."""
    umbrellas = FigureRow.objects.filter(
        scope=OuterRef("scope"), deal=OuterRef("deal__umbrella"), value_amount_usd__isnull=False
    )
    rows.filter(deal__umbrella__isnull=False).filter(Exists(umbrellas)).update(is_held=True)
    follow_ons = FigureRow.objects.filter(
        scope=OuterRef("scope"), deal__follows=OuterRef("deal"), value_amount_usd__isnull=False
    )
    from deals.models.deals import Deal  # Deal's module imports this one

    followed = Deal.objects.filter(follows__isnull=False).values("follows")
    rows.filter(deal__in=followed).filter(Exists(follow_ons)).update(is_carried=True)


def rebuild(*, using="default"):
    """Make every row again from the record; return how many. Clears every mark."""
    from deals.models.deals import Deal  # Deal's module imports this one

    forget_check()
    with transaction.atomic(using=using):
        _lock(using)
        last = StaleDeal.objects.using(using).aggregate(last=Max("pk"))["last"]
        FigureRow.objects.using(using).all().delete()
        count = _insert_rows(Deal.objects.published(), using)
        _decide_held_and_carried(FigureRow.objects.using(using))
        figure_sums.rebuild(FigureRow.objects.using(using), FigureSum.objects.using(using))
        if last is not None:
            StaleDeal.objects.using(using).filter(pk__lte=last).delete()
    return count


def _lock(using):
    """One recomputation at a time: on PostgreSQL an advisory lock held until commit
    (readers arriving together wait, then find nothing left to do); SQLite allows one
    writer at a time anyway."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _dependants(ids, using):
    """The marked deals, with the deals whose rows depend on theirs: their components
    (is_held reads the umbrella) and the deals they follow (is_carried, superseded)."""
    from deals.models.deals import Deal  # Deal's module imports this one

    deals = Deal.objects.using(using)
    found = set(ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        found.update(deals.filter(umbrella__in=batch).values_list("pk", flat=True))
        found.update(
            deals.filter(pk__in=batch, follows__isnull=False).values_list("follows", flat=True)
        )
    return sorted(found)


class _Checked:
    """Whether this process found no mark since its request began and wrote none since:
    then a page that reads several scopes checks the marks once, not once per scope."""

    value = False


def forget_check(**kwargs):
    """Check the marks again at the next read (a new request, or a mark written here)."""
    _Checked.value = False


def bring_up_to_date(*, using="default"):
    """Recompute the rows of every marked deal; one query when none is marked, none
    when this request already checked and this process marked nothing since.

    The check reads where reads go (a replica mirrors the marks with the record);
    the recomputation writes to `using`, the primary.
    """
    if _Checked.value:
        return
    if not StaleDeal.objects.exists():
        _Checked.value = True
        return
    _recompute(using)


def _grouped(rows, batches):
    """`figure_sums.grouped()` of the rows of these deals, added up over the batches."""
    total = {}
    for batch in batches:
        for key, (n, usd) in figure_sums.grouped(rows.filter(deal__in=batch)).items():
            n_before, usd_before = total.get(key, (0, None))
            total[key] = (n_before + n, usd if usd_before is None else usd_before + (usd or 0))
    return total


def _recompute(using):
    from deals.models.deals import Deal  # Deal's module imports this one

    with transaction.atomic(using=using):
        _lock(using)
        marks = StaleDeal.objects.using(using)
        last = marks.aggregate(last=Max("pk"))["last"]
        if last is None:  # another reader did it while this one waited
            return
        ids = sorted(set(marks.filter(pk__lte=last).values_list("deal_id", flat=True)))
        if len(ids) > REBUILD_ABOVE:
            rebuild(using=using)
            return
        ids = _dependants(ids, using)
        batches = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
        rows = FigureRow.objects.using(using)
        before = _grouped(rows, batches)
        for batch in batches:
            rows.filter(deal__in=batch).delete()
            _insert_rows(Deal.objects.published().filter(pk__in=batch), using)
        for batch in batches:
            _decide_held_and_carried(rows.filter(deal__in=batch))
        figure_sums.apply_change(before, _grouped(rows, batches), using=using)
        marks.filter(pk__lte=last).delete()
    forget_check()  # marks may have come in meanwhile; the next read checks again


# --- what marks deals ----------------------------------------------------------------

# Fields whose change moves deals between scopes or changes their rows, per model.
WATCHED = {
    "Deal": ("follows_id", "umbrella_id"),
    "Party": ("country", "parent_id"),
    "Sector": ("parent_id",),
    "Ceremony": ("occasion_id", "date"),
}


def _remember(sender, instance, **kwargs):
    instance._figures_seen = tuple(instance.__dict__.get(name) for name in WATCHED[sender.__name__])


def _changed(sender, instance):
    seen = getattr(instance, "_figures_seen", None)
    now = tuple(instance.__dict__.get(name) for name in WATCHED[sender.__name__])
    return seen, now, seen != now


def _deal_saved(sender, instance, raw=False, **kwargs):
    seen, _now, _changed_ = _changed(sender, instance)
    # Its rows, those of the deal it follows now and followed before (superseded,
    # carried): the components are found when the marks are read.
    StaleDeal.mark(instance.pk, instance.follows_id, *(seen or ()), using=kwargs.get("using"))
    _remember(sender, instance)


def _deal_deleting(sender, instance, using=None, **kwargs):
    """Its rows go with it (CASCADE), before any recomputation sees them: take them out
    of the sums now, in the deletion's transaction."""
    rows = FigureRow.objects.using(using).filter(deal=instance.pk)
    figure_sums.apply_change(figure_sums.grouped(rows), {}, using=using)


def _deal_deleted(sender, instance, **kwargs):
    StaleDeal.mark(instance.pk, instance.follows_id, using=kwargs.get("using"))


def _deal_party_changed(sender, instance, **kwargs):
    StaleDeal.mark(instance.deal_id, using=kwargs.get("using"))


def _party_saved(sender, instance, created=False, **kwargs):
    from deals.models.deals import Deal  # Deal's module imports this one

    _seen, _now, changed = _changed(sender, instance)
    if changed and not created:
        # Its deals, and those of every party under it (their groups changed too).
        ids = instance.with_subsidiaries_ids()
        StaleDeal.mark_selection(Deal.objects.involving_any(ids))
    _remember(sender, instance)


def _sector_saved(sender, instance, created=False, **kwargs):
    from deals.models.deals import Deal  # Deal's module imports this one

    _seen, _now, changed = _changed(sender, instance)
    if changed and not created:
        StaleDeal.mark_selection(Deal.objects.filter(sector=instance))
    _remember(sender, instance)


def _ceremony_saved(sender, instance, created=False, **kwargs):
    _seen, _now, changed = _changed(sender, instance)
    if changed and not created:
        StaleDeal.mark_selection(instance.deals.all())
    _remember(sender, instance)


def _ready_after_migrate(sender, using="default", **kwargs):
    """After `migrate` (0013 marks every deal, a later one may too): make the rows."""
    if StaleDeal.objects.using(using).exists():
        bring_up_to_date(using=using)


def connect_signals(app_config):
    from django.core.signals import request_started
    from django.db.models.signals import (
        post_delete,
        post_init,
        post_migrate,
        post_save,
        pre_delete,
    )

    from deals.models import Ceremony, Deal, DealParty, Party, Sector

    for model, on_save in (
        (Deal, _deal_saved),
        (Party, _party_saved),
        (Sector, _sector_saved),
        (Ceremony, _ceremony_saved),
    ):
        post_init.connect(_remember, sender=model, dispatch_uid=f"figures:init:{model}")
        post_save.connect(on_save, sender=model, dispatch_uid=f"figures:save:{model}")
    pre_delete.connect(_deal_deleting, sender=Deal, dispatch_uid="figures:deleting:deal")
    post_delete.connect(_deal_deleted, sender=Deal, dispatch_uid="figures:delete:deal")
    for signal in (post_save, post_delete):
        signal.connect(_deal_party_changed, sender=DealParty, dispatch_uid=f"figures:{signal}")
    request_started.connect(forget_check, dispatch_uid="figures:request")
    post_migrate.connect(_ready_after_migrate, sender=app_config, dispatch_uid="figures:migrate")
