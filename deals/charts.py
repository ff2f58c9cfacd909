"""Charts drawn on the server as SVG: value by sector, deals by country, deals over time.

Each builder reads grouped totals from a DealQuerySet (one or two queries, however
many deals) and returns a `BarChart` whose every coordinate is computed here, so
`templates/includes/chart_bars.html` only places elements. Figures are written by
`deals.presentation`, like everywhere else on the site.

What a bar cannot show is said in words beside the chart: values that were not
disclosed, amounts that could not be converted to US dollars, and components whose
money is counted in their umbrella's figure.
"""

import textwrap
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from babel.dates import format_date as babel_format_date
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries

from deals.models import GroupTotals, Totals
from deals.presentation import BABEL_LOCALES, active_locale

# Geometry in SVG user units. The SVG scales to its container (viewBox, width 100%),
# so these are proportions; site.css caps its width at 28rem so that text is about
# 16px on a desktop and 13px on a 390px phone.
WIDTH = 380
FONT_SIZE = 14
LINE_HEIGHT = 17
BAR_HEIGHT = 14
ROW_GAP = 10
GAP = 6
# A generous average glyph width for system-ui at FONT_SIZE, so that estimated text
# widths err on the wide side and a value label never runs off the chart.
CHAR_WIDTH = FONT_SIZE * 0.6
# Labels up to this many characters sit beside their bar ("2017"); longer ones
# (sector names) sit above it, wrapped to the chart's width.
BESIDE_LABEL_CHARS = 10
WRAP_CHARS = int(WIDTH / (FONT_SIZE * 0.55))
# The least width left for bars when figures sit beside them.
MIN_BAR_AREA = 120

CONVERSION_NOTE = gettext_lazy(
    "Values in US dollars; amounts in other currencies are converted at the rate of "
    "the signing date."
)


@dataclass(frozen=True)
class TextLine:
    text: str
    x: int
    y: int


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    display: str
    label_lines: tuple[TextLine, ...]
    x: int
    y: int
    width: int
    height: int
    display_x: int
    display_y: int
    # The figure's lines: one beside the bar, or wrapped below it when too long.
    display_lines: tuple[TextLine, ...] = ()


@dataclass(frozen=True)
class TableRow:
    label: str
    href: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[TableRow, ...]


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart laid out for `chart_bars.html`, with its text alternative."""

    id: str
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    font_size: int
    label_anchor: str  # "start" for labels above bars, "end" for labels beside them
    axis_x: int | None  # a baseline where bars share one, left of labels beside them
    # What to say instead of drawing when there is no bar.
    sentence: str
    notes: tuple[str, ...]
    table: Table

    @property
    def is_drawn(self):
        """Drawn whenever there is a bar: one bar still shows its figure at a glance."""
        return len(self.bars) >= 1

    @property
    def description(self):
        colon = _(": ")
        return _("; ").join(f"{bar.label}{colon}{bar.display}" for bar in self.bars) + _(".")


# --- builders ---------------------------------------------------------------------------


def value_by_sector(deals, *, scope=None):
    """Disclosed USD value per ISIC section, largest first; None when there are no deals.

    `scope` holds the /deals/ filters these deals were chosen by (e.g. {"ceremony":
    slug}), so each table row links to the same deals listed.
    """
    groups = deals.totals_by_section()
    if not groups:
        return None
    drawn = [group for group in groups if group.totals.amount_usd]
    bars = _layout(
        [(group.group.name, group.totals.as_stated_usd, group.totals.display) for group in drawn]
    )
    if len(drawn) == 1:
        only = drawn[0]
        sentence = _("All the disclosed value, %(value)s, is in %(sector)s.") % {
            "value": only.totals.display,
            "sector": only.group.name,
        }
    elif not drawn:
        sentence = _("No value has been disclosed for these deals yet.")
    else:
        sentence = ""
    list_url = reverse("deals:list")
    rows = tuple(
        TableRow(
            label=group.group.name,
            href=f"{list_url}?{urlencode({**(scope or {}), 'sector': group.group.slug})}",
            cells=(
                str(group.totals.count),
                str(group.totals.undisclosed_count),
                group.totals.display,
            ),
        )
        for group in groups
    )
    return BarChart(
        id="value-by-sector",
        title=_("Disclosed value by sector, in US dollars"),
        sentence=sentence,
        notes=_notes(groups),
        table=Table(
            headers=(
                _("Sector (ISIC section)"),
                _("Deals"),
                _("Value undisclosed"),
                _("Disclosed value"),
            ),
            rows=rows,
        ),
        **bars,
    )


def deals_by_country(rows, *, scope=None):
    """Published deals per country of a party, most deals first; None without countries.

    `rows` are kept figure rows (`FigureRow.objects`, filtered to the deals wanted):
    their "country:<CC>" scopes give each country's totals in one query. A deal whose
    parties come from two countries counts under each, so the bars are not added up.
    `scope` holds the /deals/ filters these deals were chosen by, for the table's links.
    """
    groups = rows.totals_by_country()
    if not groups:
        return None
    list_url = reverse("deals:list")
    bars = _layout(
        [
            (countries.name(group.group) or group.group, group.totals.count, _country_bar(group))
            for group in groups
        ]
    )
    notes = [
        _(
            "A deal counts under the country of each of its parties, so a deal between "
            "parties of two countries is in both bars, and the bars do not add up to the record."
        )
    ]
    if any(group.totals.amount_usd is not None for group in groups):
        notes.append(CONVERSION_NOTE)
    return BarChart(
        id="deals-by-country",
        title=_("Published deals by country of a party"),
        sentence="",
        notes=tuple(notes),
        table=Table(
            headers=(_("Country"), _("Deals"), _("Value undisclosed"), _("Disclosed value")),
            rows=tuple(
                TableRow(
                    label=countries.name(group.group) or group.group,
                    href=f"{list_url}?{urlencode({**(scope or {}), 'country': group.group})}",
                    cells=(
                        str(group.totals.count),
                        str(group.totals.undisclosed_count),
                        _period_value(group.totals),
                    ),
                )
                for group in groups
            ),
        ),
        **bars,
    )


def _country_bar(group):
    return _deals(group.totals.count)


def deals_over_time(deals):
    """Two charts, (number of deals, disclosed value), by year or, within a year, by month.

    None for both when there are no deals. One query, or two when all deals with a
    known date fall in one year.
    """
    period = "year"
    groups = deals.totals_by_period(period)
    if not groups:
        return None, None
    if len({group.group.year for group in groups if group.group is not None}) == 1:
        period = "month"
        groups = deals.totals_by_period(period)
    undated = sum(group.totals.count for group in groups if group.group is None)
    dated = _every_period([group for group in groups if group.group is not None], period)
    return _count_over_time(dated, undated, period), _value_over_time(dated, undated, period)


def _count_over_time(dated, undated, period):
    rows = [(_period_label(g.group, period), g.totals.count, _deals(g.totals.count)) for g in dated]
    if len(dated) == 1:
        count, when = dated[0].totals.count, _period_name(dated[0].group, period)
        if count == 1:
            sentence = _("The one deal with a known date is from %(when)s.") % {"when": when}
        else:
            sentence = _("All %(count)d deals with a known date are from %(when)s.") % {
                "count": count,
                "when": when,
            }
    elif not dated:
        sentence = _("No deal has a known date yet.")
    else:
        sentence = ""
    notes = [_("A deal is dated by its signing, or else by its ceremony.")]
    if undated:
        notes.append(_undated_note(undated))
    return BarChart(
        id=f"deals-by-{period}",
        title=_("Published deals by year") if period == "year" else _("Published deals by month"),
        sentence=sentence,
        notes=tuple(notes),
        table=Table(
            headers=(_period_heading(period), _("Deals")),
            rows=tuple(
                TableRow(_period_label(g.group, period), "", (str(g.totals.count),)) for g in dated
            ),
        ),
        **_layout(rows),
    )


def _value_over_time(dated, undated, period):
    with_value = [g for g in dated if g.totals.amount_usd]
    if len(with_value) == 1:
        only = with_value[0]
        when = _period_name(only.group, period)
        sentence = _("All the disclosed value, %(value)s, is from %(when)s.") % {
            "value": only.totals.display,
            "when": when,
        }
    elif not with_value:
        sentence = _("No deal with a known date has a disclosed value yet.")
    else:
        sentence = ""
    # Every period keeps its row, so that gaps in time show as empty rows.
    rows = [
        (_period_label(g.group, period), g.totals.as_stated_usd or 0, _period_value(g.totals))
        for g in dated
    ]
    notes = _notes(dated)
    if undated:
        notes += (_undated_note(undated),)
    return BarChart(
        id=f"value-by-{period}",
        title=(
            _("Disclosed value by year, in US dollars")
            if period == "year"
            else _("Disclosed value by month, in US dollars")
        ),
        sentence=sentence,
        notes=notes,
        table=Table(
            headers=(
                _period_heading(period),
                _("Deals"),
                _("Value undisclosed"),
                _("Disclosed value"),
            ),
            rows=tuple(
                TableRow(
                    _period_label(g.group, period),
                    "",
                    (str(g.totals.count), str(g.totals.undisclosed_count), _period_value(g.totals)),
                )
                for g in dated
            ),
        ),
        **(_layout(rows) if with_value else _layout([])),
    )


# --- layout -----------------------------------------------------------------------------


def _layout(rows):
    """Place (label, value, display) rows as horizontal bars; the largest fills the width."""
    if not rows:
        return {
            "bars": (),
            "width": WIDTH,
            "height": 0,
            "font_size": FONT_SIZE,
            "label_anchor": "start",
            "axis_x": None,
        }
    beside = max(len(label) for label, _, _ in rows) <= BESIDE_LABEL_CHARS
    label_width = _text_width(max((label for label, _, _ in rows), key=len)) if beside else 0
    bar_x = label_width + GAP if beside else 0
    display_width = _text_width(max((display for _, _, display in rows), key=len))
    # A figure too long to sit beside its bar ("more than US$134.7 billion plus up to
    # US$48 billion") goes on its own line below it, so it never runs off the chart.
    below = WIDTH - bar_x - GAP - display_width < MIN_BAR_AREA
    bar_area = WIDTH - bar_x if below else WIDTH - bar_x - GAP - display_width
    largest = max(value for _, value, _ in rows)

    bars, y = [], ROW_GAP // 2
    for label, value, display in rows:
        if beside:
            lines = (TextLine(label, bar_x - GAP, _baseline(y)),)
        else:
            wrapped = textwrap.wrap(label, WRAP_CHARS) or [label]
            lines = tuple(
                TextLine(text, 0, y + FONT_SIZE + index * LINE_HEIGHT)
                for index, text in enumerate(wrapped)
            )
            y += len(wrapped) * LINE_HEIGHT + 2
        width = _bar_width(value, largest, bar_area)
        if below:
            wrapped = textwrap.wrap(display, int((WIDTH - bar_x) / CHAR_WIDTH)) or [display]
            display_lines = tuple(
                TextLine(text, bar_x, y + BAR_HEIGHT + (index + 1) * LINE_HEIGHT - 2)
                for index, text in enumerate(wrapped)
            )
        else:
            display_lines = (TextLine(display, bar_x + width + GAP, _baseline(y)),)
        bars.append(
            Bar(
                label=label,
                value=value,
                display=display,
                label_lines=lines,
                x=bar_x,
                y=y,
                width=width,
                height=BAR_HEIGHT,
                display_x=display_lines[0].x,
                display_y=display_lines[0].y,
                display_lines=display_lines,
            )
        )
        y += BAR_HEIGHT + ROW_GAP + (len(display_lines) * LINE_HEIGHT if below else 0)
    return {
        "bars": tuple(bars),
        "width": WIDTH,
        "height": y - ROW_GAP // 2,
        "font_size": FONT_SIZE,
        "label_anchor": "end" if beside else "start",
        # Labels above bars start where the bars do, so a baseline would cross them.
        "axis_x": bar_x if beside else None,
    }


def _bar_width(value, largest, bar_area):
    if not value or not largest:
        return 0
    # Rounded to whole units, but a bar with any value stays visible.
    return max(1, round(Decimal(value) / Decimal(largest) * bar_area))


def _baseline(bar_y):
    """The baseline that centres a line of text on a bar starting at bar_y."""
    return bar_y + BAR_HEIGHT - 3


def _text_width(text):
    return round(len(text) * CHAR_WIDTH)


# --- words ------------------------------------------------------------------------------


def _notes(groups):
    """What bars of value leave out, in words; `groups` are those of the chart."""
    is_drawn = any(group.totals.amount_usd for group in groups)
    undisclosed = sum(group.totals.undisclosed_count for group in groups)
    unconverted = sum(group.totals.unconverted_count for group in groups)
    held = sum(group.held_count for group in groups)
    notes = []
    if undisclosed and is_drawn:
        notes.append(
            ngettext(
                "One deal with an undisclosed value is not drawn.",
                "%(count)d deals with an undisclosed value are not drawn.",
                undisclosed,
            )
            % {"count": undisclosed}
        )
    elif undisclosed:
        notes.append(
            ngettext(
                "One deal has an undisclosed value.",
                "%(count)d deals have an undisclosed value.",
                undisclosed,
            )
            % {"count": undisclosed}
        )
    if unconverted:
        notes.append(
            ngettext(
                "One deal in other currencies could not be converted to US dollars and is "
                "left out.",
                "%(count)d deals in other currencies could not be converted to US dollars and "
                "are left out.",
                unconverted,
            )
            % {"count": unconverted}
        )
    if held:
        notes.append(
            ngettext(
                "One deal that is part of a larger deal is counted in the larger deal’s figure.",
                "%(count)d deals that are part of a larger deal are counted in the larger "
                "deal’s figure.",
                held,
            )
            % {"count": held}
        )
    if any(group.totals.amount_usd is not None for group in groups):
        notes.append(CONVERSION_NOTE)
    return tuple(notes)


def _undated_note(count):
    return ngettext(
        "One deal without a known date is not shown.",
        "%(count)d deals without a known date are not shown.",
        count,
    ) % {"count": count}


def _period_value(totals):
    if not totals.count:
        return _("no deals")
    return totals.display


def _deals(count):
    return ngettext("%(count)d deal", "%(count)d deals", count) % {"count": count}


def _period_heading(period):
    return _("Year") if period == "year" else _("Month")


def _period_label(start: date, period):
    return str(start.year) if period == "year" else _month(start, "short")


def _period_name(start: date, period):
    return str(start.year) if period == "year" else _month(start, "long")


def _month(start: date, length):
    """ "Nov 2017" or "November 2017"; "2017年11月" in Chinese (Babel, per locale)."""
    locale = active_locale()
    pattern = {"short": "MMM y", "long": "MMMM y"}[length] if locale == "en" else "y年M月"
    return babel_format_date(start, pattern, locale=BABEL_LOCALES[locale])


def _every_period(groups, period):
    """GroupTotals for every year or month from the first to the last, gaps included."""
    if not groups:
        return []
    by_start = {group.group: group for group in groups}
    nothing = Totals.from_groups([])
    periods, start = [], groups[0].group
    while start <= groups[-1].group:
        periods.append(by_start.get(start) or GroupTotals(start, nothing, held_count=0))
        if period == "year":
            start = start.replace(year=start.year + 1)
        else:
            start = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return periods
