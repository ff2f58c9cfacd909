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

from django.db import connections, transaction
from django.db.models import Case, F, Prefetch, Value, When
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone

from deals.filters import DealFilter
from deals.models import Deal, DealParty, DealSource

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


def with_download_columns(deals):
    """What the rows need, fetched with the deals rather than once per row.

    Like DealQuerySet.with_related(), but into plain lists (to_attr): reading a
    prefetched relation through .all() clones a queryset, which for 10,000 rows
    costs more than the queries do. Long text the CSV does not show stays behind.
    """
    links = DealParty.objects.select_related("party").order_by("order", "id")
    citations = DealSource.objects.select_related("source").order_by("id")
    return (
        deals.select_related("sector", "ceremony__occasion")
        .defer("description", "ceremony__description", "ceremony__occasion__description")
        .annotate(
            # A draft umbrella stays unnamed: its slug would tell that it exists.
            published_umbrella_slug=Case(
                When(umbrella__is_published=True, then=F("umbrella__slug")),
                default=Value(""),
            )
        )
        .prefetch_related(
            Prefetch("deal_parties", queryset=links, to_attr="party_links"),
            Prefetch("citations", queryset=citations, to_attr="source_citations"),
        )
    )


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
    site = request.build_absolute_uri("/").removesuffix("/")
    # iterator() with chunk_size runs the prefetches once per chunk, not once per row.
    for deal in deals.iterator(chunk_size=CHUNK_SIZE):
        writer.writerow([neutralise(cell) for cell in deal_row(deal, site)])
        if buffer.tell() >= FLUSH_AT:
            yield taken(buffer)
    yield buffer.getvalue()


def taken(buffer):
    """What the buffer holds, leaving it empty."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def deal_row(deal, site):
    """The cells of one deal, in the order of COLUMNS, as text; `site` is "https://host"."""
    links = deal.party_links
    ceremony = deal.ceremony
    occasion = ceremony.occasion if ceremony else None
    cells = [
        deal.pk,
        deal.slug,
        deal.title,
        site + deal.get_absolute_url(),
        ceremony.name if ceremony else "",
        ceremony.date if ceremony else "",
        occasion.name if occasion else "",
        deal.signed_on,
        "; ".join(f"{link.party.name} ({link.role})" for link in links),
        joined_if_any(link.party.country.code for link in links),
        joined_if_any(link.party.native_name for link in links),
        deal.sector.code,
        deal.sector.name,
        deal.instrument,
        {True: "true", False: "false", None: ""}[deal.is_binding],
        deal.status,
        deal.value_display,
        # str() of a Decimal is the stored amount, every digit of it: never rounded.
        deal.value_amount,
        # Undisclosed: no amount, so no currency (the field's default would mislead).
        deal.value_currency if deal.value_amount is not None else "",
        deal.value_qualifier,
        deal.value_basis,
        deal.value_amount_usd,
        deal.term_months,
        deal.term_display,
        deal.published_umbrella_slug,
        " ".join(citation.source.url for citation in deal.source_citations),
    ]
    return ["" if cell is None else str(cell) for cell in cells]


def joined_if_any(values):
    """One value per party, in the parties' order; empty when no party has one."""
    values = [value or "" for value in values]
    return "; ".join(values) if any(values) else ""
