"""The CSV download of a selection of published deals: the /deals/ filters, every row.

UTF-8 with a byte-order mark and CRLF line ends (RFC 4180): without the mark, Excel
reads UTF-8 as the local code page and 京东 turns into mojibake. The rows are streamed
chunk by chunk, so a download of the whole record never sits in memory, in a fixed
number of queries per chunk, all in one read-only transaction: every chunk and its
prefetches see the record as it was when the download began (REPEATABLE READ on
PostgreSQL, where the rows come from a server-side cursor that the transaction lets
stream; outside one, Django would declare it WITH HOLD, and PostgreSQL would compute
every row before sending the first). The columns are documented for readers in
templates/includes/csv_columns.html; change both together.
"""

import csv
import io
import itertools

from django.db import connections, transaction
from django.db.models import Case, F, Value, When
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone

from deals.api.reads import UrlTemplate
from deals.filters import DealFilter
from deals.models import Deal, DealParty, DealSource
from deals.presentation import format_term, format_value

COLUMNS = [
    "id",
    "slug",
    "title",
    "url",
    "ceremony",
    "ceremony_date",
    "occasion",
    "signed_on",
    "parties",
    "party_countries",
    "party_native_names",
    "sector_code",
    "sector",
    "instrument",
    "is_binding",
    "status",
    "value_display",
    "value_amount",
    "value_currency",
    "value_qualifier",
    "value_basis",
    "value_amount_usd",
    "term_months",
    "term_display",
    "umbrella_slug",
    "sources",
]

# Rows per database round trip: each chunk costs one fetch and one query per prefetch.
CHUNK_SIZE = 2000
# Bytes of CSV handed to the server at a time: one write per row would be slow.
FLUSH_AT = 64 * 1024

BYTE_ORDER_MARK = "\ufeff"

# A spreadsheet runs a cell beginning with one of these as a formula (OWASP, "CSV
# injection"); a party named "=HYPERLINK(...)" must arrive as text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text):
    """Make a cell a spreadsheet would run as a formula read as text, by a leading '."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def deals_csv(request):
    """The published deals the /deals/ page would list for these parameters, as CSV."""
    selection = DealFilter(request.GET or None, queryset=Deal.objects.published())
    if selection.is_bound and not selection.is_valid():
        # Never a 500, and never the whole table in place of the selection asked for.
        return HttpResponseBadRequest(
            filter_errors(selection.errors), content_type="text/plain; charset=utf-8"
        )
    deals = with_download_columns(selection.in_page_order())
    # The database is chosen now, while the request's routing is in force (an anonymous
    # reader's download reads the replica); the rows are read later, as they are sent.
    response = StreamingHttpResponse(
        stream_csv(request, deals.using(deals.db)),
        content_type="text/csv; charset=utf-8; header=present",
    )
    filename = f"deals-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def filter_errors(errors):
    lines = [
        f"Bad value for the parameter '{name}': {message}"
        for name, messages in errors.items()
        for message in messages
    ]
    return "\n".join(lines) + "\n"


# What a row reads of the deal and the records it points to, as values: no model
# instances (ten per row with their parties and sources: most of a download's time).
ROW_FIELDS = (
    "id",
    "slug",
    "title",
    "ceremony__name",
    "ceremony__date",
    "ceremony__occasion__name",
    "signed_on",
    "sector__code",
    "sector__name",
    "instrument",
    "status",
    "value_amount",
    "value_currency",
    "value_qualifier",
    "value_basis",
    "value_amount_usd",
    "term_months",
    "term_start_date",
    "term_end_date",
    "published_umbrella_slug",
)


def with_download_columns(deals):
    """The values every row needs, read with the deals."""
    return deals.annotate(
        # A draft umbrella stays unnamed: its slug would tell that it exists.
        published_umbrella_slug=Case(
            When(umbrella__is_published=True, then=F("umbrella__slug")), default=Value("")
        )
    ).values(*ROW_FIELDS)


def stream_csv(request, deals):
    """The CSV of `deals`, piece by piece, read in one snapshot of the record."""
    connection = connections[deals.db]
    # Inside a caller's transaction (as in tests) the snapshot is the caller's already,
    # and the isolation level can no longer be set.
    begins = not connection.in_atomic_block
    with transaction.atomic(using=deals.db):
        if begins and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield from csv_pieces(request, deals)


def csv_pieces(request, deals):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BYTE_ORDER_MARK)
    writer.writerow(COLUMNS)
    # The header at once, before the first chunk is read: the download begins as soon
    # as it is asked for, whatever the database takes to find the first rows.
    yield taken(buffer)
    page_url = UrlTemplate(request, "deals:detail", "slug")
    # Rows come through the cursor CHUNK_SIZE at a time; each chunk's parties and
    # sources are read in one query each.
    for chunk in chunked(deals.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        ids = [row["id"] for row in chunk]
        parties = by_deal(
            DealParty.objects.filter(deal__in=ids)
            .order_by("order", "id")
            .values_list("deal_id", "party__name", "role", "party__country", "party__native_name")
        )
        sources = by_deal(
            DealSource.objects.filter(deal__in=ids)
            .order_by("id")
            .values_list("deal_id", "source__url")
        )
        for row in chunk:
            row["parties"], row["sources"] = parties.get(row["id"], []), sources.get(row["id"], [])
            writer.writerow([neutralise(cell) for cell in deal_row(row, page_url)])
            if buffer.tell() >= FLUSH_AT:
                yield taken(buffer)
    yield buffer.getvalue()


def chunked(rows, size):
    """Lists of `size` rows (the last one shorter)."""
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def by_deal(rows):
    """{deal id: [the rest of each row]}, in the rows' order."""
    grouped = {}
    for deal_id, *rest in rows:
        grouped.setdefault(deal_id, []).append(rest)
    return grouped


def taken(buffer):
    """What the buffer holds, leaving it empty."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def deal_row(row, page_url):
    """The cells of one deal (its values, with its parties and sources), in the order
    of COLUMNS, as text; `page_url` makes the deal page's address from its slug."""
    parties = row["parties"]
    amount = row["value_amount"]
    cells = [
        row["id"],
        row["slug"],
        row["title"],
        page_url(row["slug"]),
        row["ceremony__name"] or "",
        row["ceremony__date"] or "",
        row["ceremony__occasion__name"] or "",
        row["signed_on"],
        "; ".join(f"{name} ({role})" for name, role, _country, _native in parties),
        joined_if_any(country for _name, _role, country, _native in parties),
        joined_if_any(native for _name, _role, _country, native in parties),
        row["sector__code"],
        row["sector__name"],
        row["instrument"],
        {True: "true", False: "false", None: ""}[Deal.binding_of(row["instrument"])],
        row["status"],
        format_value(
            amount,
            row["value_currency"],
            row["value_qualifier"],
            row["value_basis"],
            row["value_amount_usd"],
        ),
        # str() of a Decimal is the stored amount, every digit of it: never rounded.
        amount,
        # Undisclosed: no amount, so no currency (the field's default would mislead).
        row["value_currency"] if amount is not None else "",
        row["value_qualifier"],
        row["value_basis"],
        row["value_amount_usd"],
        row["term_months"],
        format_term(row["term_months"], row["term_start_date"], row["term_end_date"]),
        row["published_umbrella_slug"],
        " ".join(url for (url,) in row["sources"]),
    ]
    return ["" if cell is None else str(cell) for cell in cells]


def joined_if_any(values):
    """One value per party, in the parties' order; empty when no party has one."""
    values = [value or "" for value in values]
    return "; ".join(values) if any(values) else ""
