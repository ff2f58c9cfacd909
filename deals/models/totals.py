"""Sums over deals as a reader should read them: counts, and the figures a USD sum states."""

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deals.models.money import Qualifier
from deals.models.status import Outcome
from deals.presentation import format_figures


class StatedFigure(NamedTuple):
    """One figure a sum states: "more than US$2 billion" is ("more_than", 2000000000)."""

    qualifier: str
    amount_usd: Decimal


def sum_figures(parts):
    """The figures a sum of values honestly states, leading figure first.

    `parts` are (qualifier, amount in US dollars) pairs, one per value or per group of
    values with the same qualifier; undisclosed values have no amount and are not parts.
    Whatever each part's true value (within what its qualifier allows: "about" within
    `ABOUT_TOLERANCE`), every figure returned holds for the parts it sums:

    - the leading figure sums the exact parts and the lower bounds ("at least", "more
      than"): exact when all of them are exact, else a lower bound ("more than" when any
      part is "more than", since one strict part makes the sum strict);
    - "about" parts join the leading figure, making it "about", when it holds no lower
      bound (a sum of exact and about figures is within the tolerance of its total);
      beside a lower bound they are kept apart, as "plus about US$X", since "more than"
      would promise what an estimate cannot and "about" would cap a floor;
    - "up to" parts are never added to a floor or an estimate: they are kept apart, as
      "plus up to US$X" (their true value may be anything from nothing to X), and lead
      only when nothing else is stated.

    No parts: no figures. docs/methodology.md shows worked examples; pages, the API, CSV
    and the staff dashboard all read totals through this function.
    """
    sums = {}
    for qualifier, amount in parts:
        qualifier = Qualifier(qualifier).value  # plain text, and refuses an unknown one
        if qualifier == Qualifier.UNDISCLOSED or amount is None:
            continue
        sums[qualifier] = sums.get(qualifier, 0) + amount
    exact, about, up_to = (sums.get(q) for q in (Qualifier.EXACT, Qualifier.ABOUT, Qualifier.UP_TO))
    floors = [q for q in (Qualifier.MORE_THAN, Qualifier.AT_LEAST) if q in sums]
    figures = []
    if floors:
        floor = sum(sums[q] for q in floors) + (exact or 0)
        figures.append(StatedFigure(floors[0], floor))
        if about is not None:
            figures.append(StatedFigure(Qualifier.ABOUT, about))
    elif about is not None:
        figures.append(StatedFigure(Qualifier.ABOUT, about + (exact or 0)))
    elif exact is not None:
        figures.append(StatedFigure(Qualifier.EXACT, exact))
    if up_to is not None:
        figures.append(StatedFigure(Qualifier.UP_TO, up_to))
    return tuple(figures)


def in_us_dollars(qualifier, *, is_converted):
    """The qualifier of a value's USD equivalent: an exact amount in another currency is
    "about" in US dollars (it moves with the rate and is rounded); bounds stay bounds of
    their equivalent at the signing date's rate."""
    if is_converted and qualifier == Qualifier.EXACT:
        return Qualifier.ABOUT
    return qualifier


@dataclass(frozen=True)
class Totals:
    """Sums over a set of deals, with what a reader needs to read them honestly."""

    count: int
    disclosed_count: int
    undisclosed_count: int
    unconverted_count: int
    # What the sum states, leading figure first (see `sum_figures`); empty without a
    # USD amount.
    figures: tuple[StatedFigure, ...] = ()

    @property
    def amount_usd(self):
        """The leading figure's amount: None when nothing is summed."""
        return self.figures[0].amount_usd if self.figures else None

    @property
    def qualifier(self):
        """The leading figure's qualifier ("exact" when nothing is summed)."""
        return self.figures[0].qualifier if self.figures else Qualifier.EXACT

    def _apart(self, qualifier):
        return next((f.amount_usd for f in self.figures[1:] if f.qualifier == qualifier), None)

    @property
    def plus_about_usd(self):
        """ "About" amounts kept apart from a leading lower bound ("plus about US$X")."""
        return self._apart(Qualifier.ABOUT)

    @property
    def plus_up_to_usd(self):
        """ "Up to" amounts kept apart from the leading figure ("plus up to US$X")."""
        return self._apart(Qualifier.UP_TO)

    @property
    def as_stated_usd(self):
        """Every summed amount added up as stated, whatever its qualifier: a scale for
        charts and shares (the parts of a set add up to it), not a claim about the sum."""
        if not self.figures:
            return None
        return sum(f.amount_usd for f in self.figures)

    @property
    def display(self):
        """The sum as a reader reads it; without a USD figure, says why there is none."""
        if not self.figures:
            if self.count == 0:
                return _("none")
            if self.unconverted_count == 0:
                return _("undisclosed")
            if self.undisclosed_count == 0:
                return _("not converted to US dollars")
            return _("undisclosed or not converted")
        return format_figures(self.figures)

    @classmethod
    def from_groups(cls, groups):
        """Fold the rows of `DealQuerySet.totals_by_ceremony()` for one set of deals."""
        count = undisclosed = unconverted = 0
        parts = []
        for group in groups:
            count += group["n"]
            if group["value_qualifier"] == Qualifier.UNDISCLOSED:
                undisclosed += group["n"]
            elif not group["has_usd"]:
                unconverted += group["n"]
            if group["has_usd"] and not group["is_held"]:
                qualifier = in_us_dollars(
                    group["value_qualifier"], is_converted=group["is_converted"]
                )
                parts.append((qualifier, group["usd"]))
        return cls(
            count=count,
            disclosed_count=count - undisclosed,
            undisclosed_count=undisclosed,
            unconverted_count=unconverted,
            figures=sum_figures(parts),
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
    """A ceremony's (or an occasion's) announced headline against its itemised deals.

    Reads like "19 deals announced, 2 itemised here; more than US$2 billion of
    about US$9 billion accounted for".
    """

    announced_count: int | None
    announced_value: str | None
    totals: Totals
    # The announced amount in US dollars, the scale of the value bar (None: no bar).
    announced_usd: Decimal | None = None
    # Who announced it when not the record itself: "its ceremonies" for an occasion
    # without a headline of its own, whose ceremonies' headlines are added up.
    announced_by: str = ""

    @property
    def count_share(self):
        """The itemised share of the announced count, 0–100 (None without a count)."""
        if not self.announced_count:
            return None
        return min(100, round(100 * self.totals.count / self.announced_count))

    @property
    def value_share(self):
        """The itemised share of the announced USD value, 0–100 (None without both):
        every itemised amount as stated, capped at the whole."""
        if not self.announced_usd or self.totals.as_stated_usd is None:
            return None
        return min(100, round(100 * self.totals.as_stated_usd / self.announced_usd))

    @property
    def not_itemised_count(self):
        if self.announced_count is None:
            return None
        return max(self.announced_count - self.totals.count, 0)

    @property
    def counts_display(self):
        itemised = self.totals.count
        if self.announced_count is not None:
            return ngettext(
                "%(announced)d deal announced, %(itemised)d itemised here",
                "%(announced)d deals announced, %(itemised)d itemised here",
                self.announced_count,
            ) % {"announced": self.announced_count, "itemised": itemised}
        return ngettext(
            "%(itemised)d deal itemised here", "%(itemised)d deals itemised here", itemised
        ) % {"itemised": itemised}

    @property
    def value_display(self):
        if self.totals.amount_usd is None:
            itemised = _("no itemised value disclosed yet")
        else:
            itemised = self.totals.display
        announced = self.announced_value
        if announced and self.announced_by:
            announced = _("%(announced)s announced at %(by)s") % {
                "announced": announced,
                "by": self.announced_by,
            }
        if announced and self.totals.amount_usd is not None:
            return _("%(itemised)s of %(announced)s accounted for") % {
                "itemised": itemised,
                "announced": announced,
            }
        if announced and self.announced_by:
            return _("%(itemised)s of %(announced)s") % {
                "itemised": itemised,
                "announced": announced,
            }
        if announced:
            return _("%(itemised)s of %(announced)s announced") % {
                "itemised": itemised,
                "announced": announced,
            }
        return itemised

    @property
    def display(self):
        return _("%(counts)s; %(value)s") % {
            "counts": self.counts_display,
            "value": self.value_display,
        }


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
            return _("No deals are recorded here yet.")
        if announced.amount_usd is None:
            return ngettext(
                "%(done)d of %(count)d deal completed; no value was disclosed.",
                "%(done)d of %(count)d deals completed; no value was disclosed.",
                announced.count,
            ) % {"done": self.realised.count, "count": announced.count}
        if self.realised.amount_usd is None:
            return _("None of the %(announced)s announced is realised (completed) yet.") % {
                "announced": announced.display
            }
        return _("%(realised)s of %(announced)s announced realised (completed).") % {
            "realised": self.realised.display,
            "announced": announced.display,
        }

    @property
    def realised_share(self):
        """The realised share of the announced USD value, 0–100 (None without a value)."""
        if not self.totals.as_stated_usd:
            return None
        return round(100 * (self.realised.as_stated_usd or 0) / self.totals.as_stated_usd)

    @property
    def counts_display(self):
        parts = [
            _("%(count)d %(outcome)s") % {"count": row.totals.count, "outcome": row.label}
            for row in self.outcomes
            if row.totals.count
        ]
        return _("; ").join(parts) if parts else _("no deals")

    @property
    def display(self):
        """One line for feeds and summaries."""
        line = _("%(deals)s: %(counts)s. %(realised)s") % {
            "deals": _deals(self.totals.count),
            "counts": self.counts_display,
            "realised": self.realised_display,
        }
        if self.stale_count:
            line += " " + ngettext(
                "%(count)d deal with no news for more than %(months)d months.",
                "%(count)d deals with no news for more than %(months)d months.",
                self.stale_count,
            ) % {"count": self.stale_count, "months": self.follow_up_months}
        return line


def _deals(count):
    return ngettext("%(count)d deal", "%(count)d deals", count) % {"count": count}
