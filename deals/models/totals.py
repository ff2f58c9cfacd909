"""Sums over deals as a reader should read them: counts, USD totals and their qualifier."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from deals.models.money import Qualifier
from deals.models.status import Outcome
from deals.presentation import format_total


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
        """The sum as a reader reads it; without a USD figure, says why there is none."""
        if self.amount_usd is None:
            if self.count == 0:
                return "none"
            if self.unconverted_count == 0:
                return "undisclosed"
            if self.undisclosed_count == 0:
                return "not converted to US dollars"
            return "undisclosed or not converted"
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


@dataclass(frozen=True)
class OutcomeTotals:
    """The deals of one outcome in a scorecard: "completed: 3 deals, more than US$2 billion"."""

    outcome: str  # an Outcome value
    label: str
    totals: Totals


@dataclass(frozen=True)
class Scorecard:
    """The follow-through of a set of deals: of what was announced, what became of it.

    Every deal counts once, under one outcome; money is never counted twice (a component
    counts within its umbrella's figure, a deal within its follow-on's when both are in
    the set), so the outcomes' sums add up to `totals`. Built by
    `DealQuerySet.follow_through()`; pages, the API, CSV and feeds read this one object.
    """

    totals: Totals
    outcomes: tuple[OutcomeTotals, ...]  # every outcome, in Outcome's order, empty ones too
    latest_evidence_on: object  # a date, or None when the set is empty
    stale_count: int  # open deals with no news for FOLLOW_UP_MONTHS
    follow_up_months: int

    @classmethod
    def from_rows(cls, rows):
        """Fold the grouped rows of `DealQuerySet.follow_through()` (or of kept figure
        rows, deals/models/figures.py): each with its outcome, "n", "usd", "latest",
        and the flags of `Totals.from_groups()` and "is_stale"."""
        rows = list(rows)
        by_outcome = {}
        for row in rows:
            by_outcome.setdefault(row["outcome"], []).append(row)
        latest = [row["latest"] for row in rows if row["latest"] is not None]
        return cls(
            totals=Totals.from_groups(rows),
            outcomes=tuple(
                OutcomeTotals(
                    outcome=o.value, label=o.label, totals=Totals.from_groups(by_outcome.get(o, []))
                )
                for o in Outcome
            ),
            latest_evidence_on=max(latest, default=None),
            stale_count=sum(row["n"] for row in rows if row["is_stale"]),
            follow_up_months=settings.FOLLOW_UP_MONTHS,
        )

    def outcome(self, outcome):
        return next(row for row in self.outcomes if row.outcome == outcome)

    @property
    def realised(self):
        """The completed deals: what the record shows was carried out."""
        return self.outcome("completed").totals

    @property
    def realised_display(self):
        """ "more than US$2 billion of about US$9 billion realised (completed)"."""
        announced = self.totals
        if announced.count == 0:
            return "No deals are recorded here yet."
        if announced.amount_usd is None:
            done = self.realised.count
            return f"{done} of {announced.count} deals completed; no value was disclosed."
        if self.realised.amount_usd is None:
            return f"None of the {announced.display} announced is realised (completed) yet."
        return f"{self.realised.display} of {announced.display} announced realised (completed)."

    @property
    def realised_share(self):
        """The realised share of the announced USD value, 0–100 (None without a value)."""
        if not self.totals.amount_usd:
            return None
        return round(100 * (self.realised.amount_usd or 0) / self.totals.amount_usd)

    @property
    def counts_display(self):
        parts = [f"{row.totals.count} {row.label}" for row in self.outcomes if row.totals.count]
        return "; ".join(parts) if parts else "no deals"

    @property
    def display(self):
        """One line for feeds and summaries."""
        line = f"{_deals(self.totals.count)}: {self.counts_display}. {self.realised_display}"
        if self.stale_count:
            line += (
                f" {_deals(self.stale_count)} with no news for more than "
                f"{self.follow_up_months} months."
            )
        return line


def _deals(count):
    return f"{count} deal{'' if count == 1 else 's'}"
