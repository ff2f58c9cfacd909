"""The follow-through chart: bars cut by outcome, patterns, legend and text alternative.

Built from Scorecards made by hand (no database) and, once, from the page's own record.
"""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.template.loader import render_to_string

from deals.follow_through_chart import (
    OUTCOME_ORDER,
    PATTERNS,
    WIDTH,
    _percent,
    _widths,
    follow_through_chart,
)
from deals.models import StatedFigure, Totals
from deals.models.status import Outcome
from deals.models.totals import OutcomeTotals, Scorecard

SVG = "{http://www.w3.org/2000/svg}"
MILLION = Decimal(10) ** 6


def totals(count, amount=None, *, undisclosed=0, unconverted=0, qualifier="exact"):
    return Totals(
        count=count,
        disclosed_count=count - undisclosed,
        undisclosed_count=undisclosed,
        unconverted_count=unconverted,
        figures=() if amount is None else (StatedFigure(qualifier, amount),),
    )


def scorecard(**by_outcome):
    """A Scorecard of (count, amount in millions or None) per outcome."""
    rows = []
    count, amount, undisclosed = 0, None, 0
    for outcome in Outcome:
        n, millions, *rest = by_outcome.get(outcome.value, (0, None))
        hidden = rest[0] if rest else 0
        usd = None if millions is None else millions * MILLION
        rows.append(OutcomeTotals(outcome.value, outcome.label, totals(n, usd, undisclosed=hidden)))
        count += n
        undisclosed += hidden
        if usd is not None:
            amount = usd if amount is None else amount + usd
    return Scorecard(
        totals=totals(count, amount, undisclosed=undisclosed),
        outcomes=tuple(rows),
        latest_evidence_on=None,
        stale_count=0,
        follow_up_months=12,
    )


def svg_of(chart):
    html = render_to_string("includes/chart_follow_through.html", {"chart": chart})
    match = re.search(r"<svg\b.*?</svg>", html, re.DOTALL)
    return html, ET.fromstring(match.group(0))


def test_no_deals_make_no_chart():
    assert follow_through_chart(scorecard()) is None


def test_the_value_bar_and_the_deals_bar_are_cut_by_outcome_realised_first():
    chart = follow_through_chart(
        scorecard(completed=(1, 100), in_progress=(2, 300), cancelled=(1, 0), no_news=(1, None, 1))
    )

    value, deals = chart.bars
    assert value.label == "Value: US$400 million"
    assert value.realised == "realised 25%"
    assert [(s.outcome, s.width) for s in value.segments] == [
        ("completed", 95),
        ("in_progress", 285),
    ]
    assert deals.label == "Deals: 5"
    assert deals.realised == "completed 20%"
    assert [(s.outcome, s.width) for s in deals.segments] == [
        ("completed", 76),
        ("in_progress", 152),
        ("no_news", 76),
        ("cancelled", 76),
    ]
    for bar in chart.bars:
        assert sum(s.width for s in bar.segments) == WIDTH
        assert bar.segments[0].x == 0
        for left, right in zip(bar.segments, bar.segments[1:], strict=False):
            assert right.x == left.x + left.width


def test_without_a_disclosed_value_only_the_deals_bar_is_drawn():
    chart = follow_through_chart(scorecard(signed_only=(2, None, 2), completed=(1, None, 1)))

    [deals] = chart.bars
    assert deals.label == "Deals: 3"
    assert not chart.has_value
    assert "so only the count is drawn" in " ".join(chart.notes)
    assert chart.description == (
        "Deals by outcome: completed: 1 deal (33%); signed, nothing since: 2 deals (67%)."
    )


def test_widths_add_up_and_keep_every_outcome_with_deals_visible():
    assert _widths([1, 10**6, 0], 10**6 + 1, 380) == [1, 379, 0]
    assert _widths([1, 1, 1], 3, 380) == [127, 127, 126]
    assert sum(_widths([3, 7, 11, 13, 17], 51, 380)) == 380
    assert _widths([0, 0], 0, 380) == [0, 0]


def test_shares_are_rounded_half_up_and_never_say_0_or_100_for_a_part():
    assert _percent(1, 8) == "13%"
    assert _percent(1, 1000) == "under 1%"
    assert _percent(999, 1000) == "over 99%"
    assert _percent(5, 5) == "100%"
    assert _percent(0, 5) == "0%"


def test_every_outcome_has_its_own_pattern_and_colour():
    assert set(OUTCOME_ORDER) == set(Outcome)
    fills = {(p.kind, p.angle, p.colour) for p in PATTERNS.values()}
    kinds = {(p.kind, p.angle) for p in PATTERNS.values()}
    assert len(fills) == len(Outcome)
    # Told apart in grey as well: a kind of fill each, but for two solid ones (dark, light).
    assert len(kinds) == len(Outcome) - 1


def test_the_svg_is_valid_with_a_title_a_description_and_a_pattern_per_segment():
    chart = follow_through_chart(
        scorecard(completed=(1, 100), stalled=(1, 50), superseded=(1, 25)), chart_id="group"
    )
    html, svg = svg_of(chart)

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "group-title group-desc"
    assert svg.find(f"{SVG}title").text == "What became of the deals announced"
    assert svg.find(f"{SVG}desc").text.startswith(
        "Value in US dollars by outcome: completed: US$100 million (57%); superseded by a "
        "follow-on: US$25 million (14%); stalled: US$50 million (29%)."
    )
    patterns = {p.get("id") for p in svg.iter(f"{SVG}pattern")}
    assert patterns == {"group-completed", "group-superseded", "group-stalled"}
    fills = {r.get("fill") for r in svg.iter(f"{SVG}rect") if r.get("fill", "").startswith("url")}
    assert fills == {f"url(#{p})" for p in patterns}
    assert "style=" not in html and "<script" not in html


def test_the_legend_shows_each_drawn_outcome_with_its_swatch_and_figures():
    chart = follow_through_chart(scorecard(completed=(1, 100), cancelled=(3, 300)))
    html, _ = svg_of(chart)

    legend = html[html.index('<ul class="chart-legend">') :]
    items = re.findall(r"<li>(.*?)</li>", legend, re.DOTALL)
    assert len(items) == 2
    assert 'fill="url(#follow-through-completed)"' in items[0]
    assert '<span class="legend-label">Completed</span>' in items[0]
    assert "1 deal (25%); US$100 million (25%)" in items[0]
    assert "3 deals (75%); US$300 million (75%)" in items[1]
    assert 'aria-hidden="true"' in items[1]  # the swatch is decoration: the words say it


def test_a_value_held_in_another_deal_says_so():
    held = Scorecard(
        totals=totals(2, 100 * MILLION),
        outcomes=tuple(
            OutcomeTotals(
                o.value,
                o.label,
                totals(1, 100 * MILLION)
                if o == Outcome.IN_PROGRESS
                else totals(1)
                if o == Outcome.SUPERSEDED
                else totals(0),
            )
            for o in Outcome
        ),
        latest_evidence_on=None,
        stale_count=0,
        follow_up_months=12,
    )
    rows = {row.outcome: row for row in follow_through_chart(held).rows}

    assert rows["superseded"].value == "counted in another deal’s figure"
    assert rows["in_progress"].value == "US$100 million"
    assert rows["stalled"].value == "—"


def test_a_value_in_several_figures_is_labelled_by_pointing_to_the_table():
    several = Totals(
        count=2,
        disclosed_count=2,
        undisclosed_count=0,
        unconverted_count=0,
        figures=(
            StatedFigure("more_than", 300 * MILLION),
            StatedFigure("up_to", 100 * MILLION),
        ),
    )
    card = Scorecard(
        totals=several,
        outcomes=tuple(
            OutcomeTotals(o.value, o.label, several if o == Outcome.SIGNED_ONLY else totals(0))
            for o in Outcome
        ),
        latest_evidence_on=None,
        stale_count=0,
        follow_up_months=12,
    )

    value = follow_through_chart(card).bars[0]

    assert value.label == "Value: as in the table"
    assert [segment.width for segment in value.segments] == [380]
