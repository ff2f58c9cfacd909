import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deals import downloads
from deals.downloads import COLUMNS, neutralise
from deals.models import Deal, DealSource, Sector
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    ExchangeRateFactory,
    OccasionFactory,
    PartyFactory,
    SourceFactory,
)

CSV_URL = reverse("deals:csv")


def download(client, params=None):
    response = client.get(CSV_URL, params or {})
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content)
    return response, body


def rows_of(body):
    assert body.startswith(b"\xef\xbb\xbf"), "spreadsheet programs need the BOM to read UTF-8"
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    assert reader.fieldnames == COLUMNS
    return list(reader)


def slugs_of(body):
    return [row["slug"] for row in rows_of(body)]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_the_demo_download_has_the_documented_header_and_one_row_per_published_deal(client, demo):
    response, body = download(client)

    assert response.streaming
    assert response["Content-Type"].startswith("text/csv; charset=utf-8")
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="deals-{today:%Y-%m-%d}.csv"'
    rows = {row["slug"]: row for row in rows_of(body)}
    assert set(rows) == set(Deal.objects.published().values_list("slug", flat=True))
    jd = rows["jd-com-us-food-purchases-2017"]
    deal = Deal.objects.get(slug="jd-com-us-food-purchases-2017")
    assert jd == {
        "id": str(deal.pk),
        "slug": "jd-com-us-food-purchases-2017",
        "title": "JD.com to buy more than US$2 billion of U.S. food products over three years",
        "url": "http://testserver/deals/jd-com-us-food-purchases-2017/",
        "ceremony": "U.S.–China commercial deals signing ceremony",
        "ceremony_date": "2017-11-08",
        "occasion": "Donald Trump's state visit to China, November 2017",
        "signed_on": "2017-11-08",
        "parties": "JD.com (buyer)",
        "party_countries": "CN",
        "party_native_names": "京东",
        "sector_code": "10",
        "sector": "Manufacture of food products",
        "instrument": "unknown",
        "is_binding": "",
        "status": "signed",
        "value_display": "more than US$2 billion in purchase commitments",
        "value_amount": "2000000000.00",
        "value_currency": "USD",
        "value_qualifier": "more_than",
        "value_basis": "purchase_commitment",
        "value_amount_usd": "2000000000.00",
        "term_months": "36",
        "term_display": "3 years",
        "umbrella_slug": "",
        "sources": deal.sources.get().url,
    }
    reignwood = rows["reignwood-bell-helicopters-2017"]
    assert reignwood["parties"] == "Reignwood International (buyer); Bell Helicopter (seller)"
    assert reignwood["party_countries"] == "CN; US"
    assert reignwood["party_native_names"] == ""
    assert (reignwood["value_display"], reignwood["value_amount"]) == ("undisclosed", "")
    assert reignwood["value_currency"] == "", "an undisclosed value has no currency"


def test_it_is_utf8_with_a_bom_and_crlf_line_ends_so_excel_reads_jingdong(client, demo):
    _, body = download(client)

    assert body.startswith("\ufeffid,slug,".encode())
    assert "京东".encode() in body
    lines = body.split(b"\r\n")
    assert len(lines) == Deal.objects.published().count() + 2  # header, rows, final ""
    assert lines[-1] == b""
    assert b"\n" not in b"".join(lines), "every line ends in CRLF, none in a bare LF"


def test_every_column_is_documented_on_the_browse_page_next_to_the_download_link(client, demo):
    response = client.get(reverse("deals:list"), {"status": "signed", "page": "1"})

    html = response.content.decode()
    documented = re.findall(r"<dt><code>(\w+)</code></dt>", html)
    assert documented == COLUMNS
    assert f'href="{CSV_URL}?status=signed"' in html, "the link keeps the filters, not the page"
    assert "Download CSV of this selection" in html


def test_amounts_are_written_as_stated_and_never_rounded(client, db):
    ExchangeRateFactory(
        currency="CNY", date=datetime.date(2017, 11, 8), rate_to_usd=Decimal("0.15")
    )
    DealFactory(
        slug="odd-amount",
        value_amount=Decimal("1234567891.37"),
        value_currency="CNY",
        value_qualifier="about",
        term_months=18,
    )

    _, body = download(client)

    (row,) = rows_of(body)
    assert row["value_amount"] == "1234567891.37"
    assert (row["value_currency"], row["value_qualifier"]) == ("CNY", "about")
    assert row["value_amount_usd"] == "185185183.71"
    assert row["value_display"] == "about RMB 1,234,567,891.37 (about US$185 million)"
    assert (row["term_months"], row["term_display"]) == ("18", "18 months")


@pytest.fixture
def record(db):
    """Published deals that differ in every filtered respect, and a draft matching them all."""
    occasion = OccasionFactory(slug="apec-2018")
    ceremony = CeremonyFactory(
        slug="apec-ceremony", occasion=occasion, date=datetime.date(2018, 5, 2)
    )
    food = Sector.objects.get(code="10")
    banking = Sector.objects.get(code="64")
    boeing = PartyFactory(name="Boeing", slug="boeing", country="US")
    cosco = PartyFactory(name="COSCO", slug="cosco", country="CN")
    deals = [
        DealFactory(
            slug="planes",
            title="Boeing planes",
            sector=Sector.objects.get(code="30"),
            instrument=Deal.Instrument.CONTRACT,
            value_amount=Decimal("37000000000"),
            status=Deal.Status.COMPLETED,
        ),
        DealFactory(
            slug="ships",
            title="Ships",
            sector=food,
            ceremony=ceremony,
            instrument=Deal.Instrument.MEMORANDUM_OF_UNDERSTANDING,
            value_amount=Decimal("5000000"),
        ),
        DealFactory(slug="loans", title="Loans", sector=banking, ceremony=None, signed_on=None),
    ]
    DealPartyFactory(deal=deals[0], party=boeing)
    DealPartyFactory(deal=deals[1], party=cosco)
    DealPartyFactory(deal=deals[2], party=cosco, role="lender")
    draft = DealFactory(
        slug="draft",
        title="Boeing planes draft",
        sector=food,
        ceremony=ceremony,
        instrument=Deal.Instrument.CONTRACT,
        value_amount=Decimal("6000000"),
        status=Deal.Status.COMPLETED,
        is_published=False,
    )
    DealPartyFactory(deal=draft, party=boeing)
    DealPartyFactory(deal=draft, party=cosco)
    return deals


@pytest.mark.parametrize(
    "params",
    [
        {"q": "boeing"},
        {"sector": "manufacturing"},
        {"party": "cosco"},
        {"country": "US"},
        {"ceremony": "apec-ceremony"},
        {"occasion": "apec-2018"},
        {"year": "2018"},
        {"status": "completed"},
        {"instrument": "memorandum_of_understanding"},
        {"signed_after": "2018-01-01"},
        {"signed_before": "2017-12-31"},
        {"min_value_usd": "10000000"},
        {"max_value_usd": "10000000"},
        {"party": "cosco", "ordering": "title"},
    ],
)
def test_it_lists_the_same_deals_as_the_browse_page_for_each_filter(client, record, params):
    _, body = download(client, params)
    page = client.get(reverse("deals:list"), params)

    slugs = slugs_of(body)
    assert slugs == [deal.slug for deal in page.context["deals"]]
    assert slugs, "the filter selects something"
    assert len(slugs) < len(record), "the filter leaves something out"
    assert "draft" not in slugs


@pytest.mark.parametrize("ordering", ["title", "-title", "-value", "signed"])
def test_it_sorts_as_the_browse_page_does(client, record, ordering):
    _, body = download(client, {"ordering": ordering})
    page = client.get(reverse("deals:list"), {"ordering": ordering})

    assert slugs_of(body) == [deal.slug for deal in page.context["deals"]]


def test_without_parameters_it_lists_every_published_deal_in_the_pages_order(client, record):
    _, body = download(client)
    page = client.get(reverse("deals:list"))

    assert slugs_of(body) == [deal.slug for deal in page.context["deals"]]
    assert sorted(slugs_of(body)) == ["loans", "planes", "ships"]


def test_drafts_and_the_slugs_of_draft_umbrellas_never_appear(client, db):
    umbrella = DealFactory(slug="secret-umbrella", is_published=False)
    DealFactory(slug="component", umbrella=umbrella)
    published_umbrella = DealFactory(slug="public-umbrella")
    DealFactory(slug="other-component", umbrella=published_umbrella)

    _, body = download(client)

    rows = {row["slug"]: row for row in rows_of(body)}
    assert set(rows) == {"component", "public-umbrella", "other-component"}
    assert rows["component"]["umbrella_slug"] == ""
    assert rows["other-component"]["umbrella_slug"] == "public-umbrella"
    assert b"secret-umbrella" not in body


def test_a_filter_that_only_a_draft_matches_downloads_no_rows(client, db):
    DealPartyFactory(deal=DealFactory(is_published=False), party=PartyFactory(slug="hidden"))

    _, body = download(client, {"party": "hidden"})

    assert rows_of(body) == []


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(client, db):
    deal = DealFactory(slug="formula", title="@SUM(A1:A9)", summary="-2+3")
    party = PartyFactory(name='=HYPERLINK("http://evil.example","click")', country="US")
    DealPartyFactory(deal=deal, party=party)

    _, body = download(client)

    (row,) = rows_of(body)
    assert row["parties"] == '\'=HYPERLINK("http://evil.example","click") (buyer)'
    assert row["title"] == "'@SUM(A1:A9)"
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("JD.com (buyer)", "JD.com (buyer)"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_prefixes_an_apostrophe_only_to_formula_triggers(text, expected):
    assert neutralise(text) == expected


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"sector": "no-such-sector"}, "sector"),
        ({"party": "nobody"}, "party"),
        ({"country": "XX"}, "country"),
        ({"year": "last"}, "year"),
        ({"status": "sunk"}, "status"),
        ({"instrument": "handshake"}, "instrument"),
        ({"signed_after": "yesterday"}, "signed_after"),
        ({"min_value_usd": "-5"}, "min_value_usd"),
        ({"min_value_usd": "10", "max_value_usd": "5"}, "max_value_usd"),
        ({"ordering": "price"}, "ordering"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(client, record, params, parameter):
    response = client.get(CSV_URL, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert f"'{parameter}'" in response.content.decode()
    assert b"planes" not in response.content


def make_deals(count):
    source = SourceFactory()
    for _ in range(count):
        deal = DealFactory()
        DealPartyFactory(deal=deal)
        DealPartyFactory(deal=deal, role="seller")
        DealSource.objects.create(deal=deal, source=source)


def queries_to_download(client, params=None):
    with CaptureQueriesContext(connection) as queries:
        download(client, params)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_deals(client, db):
    make_deals(5)
    for_five = queries_to_download(client)
    make_deals(45)

    assert queries_to_download(client) == for_five
    # Deals, parties, sources, and the snapshot's transaction: inside the test's own, a
    # savepoint and its release (outside one, BEGIN, and on PostgreSQL SET TRANSACTION).
    assert for_five <= 5


def test_rows_past_the_first_chunk_keep_their_own_parties_and_sources(client, db, monkeypatch):
    monkeypatch.setattr(downloads, "CHUNK_SIZE", 2)
    monkeypatch.setattr(downloads, "FLUSH_AT", 10)
    for n in range(5):
        deal = DealFactory(slug=f"deal-{n}", title=f"Deal {n}")
        DealPartyFactory(deal=deal, party=PartyFactory(name=f"Party {n}"))
        DealSource.objects.create(deal=deal, source=SourceFactory(url=f"https://example.org/{n}"))

    _, body = download(client, {"ordering": "title"})

    rows = rows_of(body)
    assert [(r["slug"], r["parties"], r["sources"]) for r in rows] == [
        (f"deal-{n}", f"Party {n} (buyer)", f"https://example.org/{n}") for n in range(5)
    ]


GOLDEN = "tests/data/demo-deals.csv"


def without_ids(body):
    """The CSV with each row's id (first column, which depends on the database's
    sequence) written as ID."""
    return re.sub(rb"(?m)^(\xef\xbb\xbf)?\d+,", lambda m: (m.group(1) or b"") + b"ID,", body)


def test_the_demo_download_is_byte_for_byte_what_it_was_before_streaming_in_a_snapshot(
    client, demo, monkeypatch
):
    # tests/data/demo-deals.csv was written by the download as it was before it read in
    # one transaction: same selection, same bytes, in chunks of any size.
    with open(GOLDEN, "rb") as golden:
        expected = golden.read()
    _, body = download(client)
    assert without_ids(body) == expected
    monkeypatch.setattr(downloads, "CHUNK_SIZE", 3)
    monkeypatch.setattr(downloads, "FLUSH_AT", 1)
    response = client.get(CSV_URL)
    pieces = list(response.streaming_content)
    assert len(pieces) > 10, "one piece per row at FLUSH_AT=1"
    assert without_ids(b"".join(pieces)) == expected


def test_every_row_is_read_in_one_transaction_of_its_own(client, db, monkeypatch):
    # Inside the test's own transaction the download's is a savepoint (outside one it
    # begins a transaction, REPEATABLE READ READ ONLY on PostgreSQL).
    make_deals(3)
    outside = len(connection.savepoint_ids)
    seen = []
    original = downloads.deal_row

    def deal_row(deal, site):
        seen.append(len(connection.savepoint_ids) - outside)
        return original(deal, site)

    monkeypatch.setattr(downloads, "deal_row", deal_row)

    _, body = download(client)

    assert len(rows_of(body)) == 3
    assert seen == [1, 1, 1], "every row inside the download's own transaction"
    assert len(connection.savepoint_ids) == outside, "which ends with the download"


def test_the_header_is_sent_before_the_database_is_asked_for_a_row(client, db):
    make_deals(3)
    response = client.get(CSV_URL)
    pieces = iter(response.streaming_content)

    with CaptureQueriesContext(connection) as queries:
        header = next(pieces)
    rest = b"".join(pieces)

    assert header.decode("utf-8-sig").strip() == ",".join(downloads.COLUMNS)
    assert not [q for q in queries.captured_queries if "deals_deal" in q["sql"]]
    assert len(rows_of(header + rest)) == 3
