"""Sums over deals as a reader should read them: counts, USD totals and their qualifier."""

from dataclasses import dataclass
from decimal import Decimal

from deals.models.money import Qualifier
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
