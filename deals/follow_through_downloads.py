"""A follow-through scorecard as CSV: /ceremonies/<slug>/follow-through.csv and the same
for occasions, parties, sectors and countries (/countries/<code>/follow-through.csv).

The conventions of deals/downloads.py: UTF-8 with a byte-order mark, CRLF line ends, a
header row, cells a spreadsheet would run as a formula neutralised. One row per outcome,
in order, then the total, what is realised (completed), the open deals with no news, the
date of the latest evidence and the scorecard in one line; amounts are USD with cents, as
in the API. A sum is its stated figures, as `deals/totals/` gives them: `amount_usd` and
`qualifier` the leading figure, `plus_about_usd` and `plus_up_to_usd` the amounts kept
apart from it, `as_stated_usd` every amount added up as stated (docs/methodology.md).
A party's file holds its own deals, then again those of its whole group ("with
subsidiaries"). The figures are `Scope.scorecard()`'s, as on the page, in the API and in
the feeds.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone

from deals.downloads import BYTE_ORDER_MARK, neutralise
from deals.scopes import Scope

COLUMNS = [
    "scope",
    "row",
    "label",
    "deal_count",
    "amount_usd",
    "qualifier",
    "plus_about_usd",
    "plus_up_to_usd",
    "as_stated_usd",
    "display",
    "share_percent",
]


def follow_through_csv(request, kind, key):
    """The scorecard of a ceremony, occasion, party, sector (by slug) or country (by
    code), as CSV; 404 when there is none."""
    scope = Scope.by_address(kind, key)
    scopes = [scope, scope.with_subsidiaries()] if kind == "party" else [scope]
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for each in scopes:
        for row in scorecard_rows(each.scorecard()):
            cells = [each.name, *row]
            writer.writerow([neutralise("" if cell is None else str(cell)) for cell in cells])
    response = HttpResponse(
        buffer.getvalue(), content_type="text/csv; charset=utf-8; header=present"
    )
    filename = f"follow-through-{kind}-{scope.key}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The figure cells (amount_usd to as_stated_usd) of a row that is not a sum.
NO_FIGURES = (None,) * 5


def usd(amount):
    """A USD sum with its cents, as the API writes it ("3200000000.00"); None for none."""
    return None if amount is None else f"{amount:.2f}"


def totals_row(row, label, totals, share=None):
    return [
        row,
        label,
        totals.count,
        usd(totals.amount_usd),
        totals.qualifier,
        usd(totals.plus_about_usd),
        usd(totals.plus_up_to_usd),
        usd(totals.as_stated_usd),
        totals.display,
        share,
    ]


def scorecard_rows(scorecard):
    """The rows of one scorecard, after the scope column, in the order of COLUMNS."""
    for outcome in scorecard.outcomes:
        yield totals_row(outcome.outcome, outcome.label, outcome.totals)
    yield totals_row("total", "every deal announced", scorecard.totals)
    yield totals_row(
        "realised", "realised (completed)", scorecard.realised, scorecard.realised_share
    )
    yield [
        "stale",
        f"open, no news for more than {scorecard.follow_up_months} months",
        scorecard.stale_count,
        *NO_FIGURES,
        None,
        None,
    ]
    latest = scorecard.latest_evidence_on
    yield ["latest_evidence_on", "date of the latest evidence", None, *NO_FIGURES, latest, None]
    yield ["summary", "the scorecard in one line", None, *NO_FIGURES, scorecard.display, None]
