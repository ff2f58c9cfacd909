"""The follow-through chart: what became of the deals announced, drawn on the server as SVG.

Two horizontal bars, each the whole of what was announced (100%) cut into one segment
per outcome: the value in US dollars, and the number of deals (many values were never
disclosed, so the count tells what the value bar cannot). The realised part, the
completed deals, comes first, from the left.

Built from a `Scorecard` alone (no query). Every coordinate is computed here, so
`templates/includes/chart_follow_through.html` only places elements; figures are
written by `deals.presentation` (through `Totals.display`), like everywhere else.

Readable without colour: each outcome has its own fill pattern (solid, hatching, dots,
cross-hatching, lines) as well as its own colour, the legend shows the same swatches
with every figure in words, and the figures are also a table.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deals.models.status import Outcome

WIDTH = 380
FONT_SIZE = 14
BAR_HEIGHT = 28
LABEL_GAP = 6  # between a bar's label's baseline and the bar
ROW_GAP = 18
AXIS_TICKS = (0, 25, 50, 75, 100)
AXIS_HEIGHT = 22


@dataclass(frozen=True)
class Pattern:
    """An SVG <pattern> fill: `kind` is solid, lines (turned by `angle`), dots or cross."""

    kind: str
    colour: str
    angle: int = 0
    size: int = 6


# In the order the bars are cut: realised first, then what may still come, then what
# will not; each with a fill that tells it apart in grey as well as in colour.
OUTCOME_ORDER = (
    Outcome.COMPLETED,
    Outcome.IN_PROGRESS,
    Outcome.SIGNED_ONLY,
    Outcome.SUPERSEDED,
    Outcome.NO_NEWS,
    Outcome.STALLED,
    Outcome.CANCELLED,
)
PATTERNS = {
    Outcome.COMPLETED: Pattern("solid", "#0b4f8a"),
    Outcome.IN_PROGRESS: Pattern("lines", "#0b4f8a", angle=45),
    Outcome.SIGNED_ONLY: Pattern("dots", "#1d6b5f"),
    Outcome.SUPERSEDED: Pattern("lines", "#575757", angle=90),
    Outcome.NO_NEWS: Pattern("solid", "#d9d4cb"),
    Outcome.STALLED: Pattern("cross", "#8a4b00"),
    Outcome.CANCELLED: Pattern("lines", "#a1131a", angle=0, size=5),
}


@dataclass(frozen=True)
class Segment:
    outcome: str
    label: str
    pattern_id: str
    x: int
    width: int


@dataclass(frozen=True)
class StackedBar:
    label: str  # above the bar, from its left: "Value: about US$9 billion"
    realised: str  # above the bar, to its right: "realised 13%"
    label_y: int
    y: int
    height: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class OutcomeRow:
    """One outcome's figures, for the legend and the table: "2 deals (29%); US$1.2 billion
    (52%)"."""

    outcome: str
    label: str
    pattern_id: str
    count: int
    count_share: str  # "29%"
    value: str  # "US$1.2 billion", "none disclosed", "—" (no deals)
    value_share: str  # "52%", or "" without a disclosed value

    @property
    def count_display(self):
        if not self.count:
            return _("no deals")
        return f"{_deals(self.count)} ({self.count_share})"

    @property
    def value_display(self):
        return f"{self.value} ({self.value_share})" if self.value_share else self.value


@dataclass(frozen=True)
class Tick:
    x: int
    label: str
    anchor: str


@dataclass(frozen=True)
class FollowThroughChart:
    id: str
    title: str
    width: int
    height: int
    font_size: int
    bars: tuple[StackedBar, ...]
    axis_y: int
    ticks: tuple[Tick, ...]
    patterns: tuple[tuple[str, Pattern], ...]  # (id, Pattern), one per outcome drawn
    rows: tuple[OutcomeRow, ...]  # every outcome in bar order, empty ones too (the table)
    has_value: bool  # whether a value bar is drawn
    description: str
    notes: tuple[str, ...]

    @property
    def legend(self):
        """The legend's items: the outcomes that have deals, so are drawn."""
        return tuple(row for row in self.rows if row.count)


def follow_through_chart(scorecard, *, chart_id="follow-through"):
    """The chart of a Scorecard; None when it holds no deals. `chart_id` tells apart two
    charts on one page (a party's own deals and its group's): it prefixes every SVG id."""
    totals = scorecard.totals
    if not totals.count:
        return None
    parts = [(outcome, scorecard.outcome(outcome).totals) for outcome in OUTCOME_ORDER]
    pattern_ids = {outcome: f"{chart_id}-{outcome}" for outcome in OUTCOME_ORDER}

    bars, y = [], FONT_SIZE
    # Shares of the amounts as stated: the outcomes' add up to the whole.
    if totals.as_stated_usd:
        realised = scorecard.realised.as_stated_usd or 0
        bar = _bar(
            _value_label(totals),
            _("realised %(share)s") % {"share": _percent(realised, totals.as_stated_usd)},
            [(o, t.as_stated_usd or 0) for o, t in parts],
            totals.as_stated_usd,
            pattern_ids,
            y,
        )
        bars.append(bar)
        y = bar.y + BAR_HEIGHT + ROW_GAP + FONT_SIZE
    bars.append(
        _bar(
            _("Deals: %(count)d") % {"count": totals.count},
            _("completed %(share)s") % {"share": _percent(scorecard.realised.count, totals.count)},
            [(o, t.count) for o, t in parts],
            totals.count,
            pattern_ids,
            y,
        )
    )
    axis_y = bars[-1].y + BAR_HEIGHT
    rows = tuple(
        OutcomeRow(
            outcome=outcome,
            label=str(outcome.label),
            pattern_id=pattern_ids[outcome],
            count=t.count,
            count_share=_percent(t.count, totals.count) if t.count else "",
            value=_value(t),
            value_share=(
                _percent(t.as_stated_usd, totals.as_stated_usd) if t.as_stated_usd else ""
            ),
        )
        for outcome, t in parts
    )
    drawn = {segment.outcome for bar in bars for segment in bar.segments}
    return FollowThroughChart(
        id=chart_id,
        title=_("What became of the deals announced"),
        width=WIDTH,
        height=axis_y + AXIS_HEIGHT,
        font_size=FONT_SIZE,
        bars=tuple(bars),
        axis_y=axis_y,
        ticks=tuple(
            Tick(
                x=round(WIDTH * tick / 100),
                label=f"{tick}%",
                anchor="start" if tick == 0 else "end" if tick == 100 else "middle",
            )
            for tick in AXIS_TICKS
        ),
        patterns=tuple(
            (pattern_ids[outcome], PATTERNS[outcome])
            for outcome in OUTCOME_ORDER
            if outcome in drawn
        ),
        rows=rows,
        has_value=bool(totals.amount_usd),
        description=_description(rows, has_value=bool(totals.amount_usd)),
        notes=_notes(scorecard),
    )


# --- layout -----------------------------------------------------------------------------


def _bar(label, realised, parts, whole, pattern_ids, label_y):
    """A bar the chart's width, cut in proportion to `parts` ((outcome, amount) pairs)."""
    y = label_y + LABEL_GAP
    widths = _widths([amount for _, amount in parts], whole, WIDTH)
    segments, x = [], 0
    for (outcome, _amount), width in zip(parts, widths, strict=True):
        if not width:
            continue
        segments.append(
            Segment(
                outcome=outcome,
                label=str(outcome.label),
                pattern_id=pattern_ids[outcome],
                x=x,
                width=width,
            )
        )
        x += width
    return StackedBar(
        label=label,
        realised=realised,
        label_y=label_y,
        y=y,
        height=BAR_HEIGHT,
        segments=tuple(segments),
    )


def _widths(amounts, whole, width):
    """Whole-unit widths in proportion to `amounts`, adding up to `width` exactly.

    Largest remainders get the units left over by rounding down, and any part above
    zero is at least one unit wide, so no outcome with deals disappears from a bar.
    """
    whole = Decimal(whole)
    exact = [Decimal(amount) * width / whole if whole else Decimal(0) for amount in amounts]
    widths = [
        max(int(share), 1) if amount else 0 for share, amount in zip(exact, amounts, strict=True)
    ]
    by_remainder = sorted(
        (i for i, amount in enumerate(amounts) if amount),
        key=lambda i: exact[i] - int(exact[i]),
        reverse=True,
    )
    for i in by_remainder:
        if sum(widths) >= width:
            break
        widths[i] += 1
    while sum(widths) > width:  # the minimum of 1 unit overshot: take from the widest
        widest = max(range(len(widths)), key=widths.__getitem__)
        widths[widest] -= 1
    return widths


# --- words ------------------------------------------------------------------------------


def _percent(part, whole):
    if not whole:
        return ""
    share = Decimal(part) * 100 / Decimal(whole)
    if 0 < share < 1:
        return _("under 1%")
    if 99 < share < 100:
        return _("over 99%")
    return f"{share.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def _value_label(totals):
    """The value bar's label: its figure, or, for a sum stated in several figures ("more
    than US$3 billion plus up to US$500 million", too long for a phone's width), a
    pointer to the table that writes them in full."""
    if len(totals.figures) == 1:
        return _("Value: %(value)s") % {"value": totals.display}
    return _("Value: as in the table")


def _value(totals):
    """An outcome's value in words: its sum, or why it has none to add."""
    if not totals.count:
        return "—"
    if totals.amount_usd is not None:
        return totals.display
    # Disclosed and converted, yet not summed: held in an umbrella's or a follow-on's figure.
    if totals.count - totals.undisclosed_count - totals.unconverted_count:
        return _("counted in another deal’s figure")
    if totals.unconverted_count:
        return _("not converted to US$")
    return _("none disclosed")


def _description(rows, *, has_value):
    shown = [item for item in rows if item.count]
    colon = _(": ")
    deals = _("; ").join(f"{item.label}{colon}{item.count_display}" for item in shown)
    text = _("Deals by outcome: %(deals)s.") % {"deals": deals}
    if has_value:
        values = _("; ").join(f"{item.label}{colon}{item.value_display}" for item in shown)
        text = _("Value in US dollars by outcome: %(values)s. %(deals)s") % {
            "values": values,
            "deals": text,
        }
    return text


def _notes(scorecard):
    notes = [_("Each bar is the whole of what was announced; the completed part is realised.")]
    totals = scorecard.totals
    if not totals.amount_usd:
        notes.append(
            _("No value in US dollars is disclosed for these deals, so only the count is drawn.")
        )
    elif totals.undisclosed_count:
        notes.append(
            ngettext(
                "%(count)d deal with an undisclosed value counts in the bar of deals only.",
                "%(count)d deals with an undisclosed value count in the bar of deals only.",
                totals.undisclosed_count,
            )
            % {"count": totals.undisclosed_count}
        )
    if totals.unconverted_count:
        notes.append(
            ngettext(
                "%(count)d deal in a currency without an exchange rate counts in the bar of "
                "deals only.",
                "%(count)d deals in a currency without an exchange rate count in the bar of "
                "deals only.",
                totals.unconverted_count,
            )
            % {"count": totals.unconverted_count}
        )
    return tuple(notes)


def _deals(count):
    return ngettext("%(count)d deal", "%(count)d deals", count) % {"count": count}
