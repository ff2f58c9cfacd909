"""Load exchange rates to US dollars: the ECB's reference rates, and official pegs.

The European Central Bank publishes, each business day, how much of ~30 currencies
one euro buys; the `currencyconverter` package ships that history since 1999, so
no network is needed. A rate to US dollars is the euro's dollar rate divided by
its rate in the other currency on the same day. Currencies the ECB does not quote
but whose central bank pegs them to the dollar (SAR, AED) get one row at the start
of the peg, with the authority named; `rate_on` carries a peg forward.

Rates entered by staff are never overwritten. A second run writes only what
changed, then converts again the deals those rates affect.
"""

import datetime
from decimal import Decimal

from currency_converter import CurrencyConverter
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from deals.caching import record_changed
from deals.models import ISO_4217_CODES, USD, Deal, ExchangeRate

RATE_PLACES = Decimal("1E-10")  # ExchangeRate.rate_to_usd has 10 decimal places
DEFAULT_SINCE = datetime.date(2000, 1, 1)


# (currency, units per US dollar, in force since, authority)
PEGS = [
    (
        "SAR",
        Decimal("3.75"),
        datetime.date(1986, 6, 1),
        "Saudi Central Bank (SAMA): 3.75 riyals per US dollar",
    ),
    (
        "AED",
        Decimal("3.6725"),
        datetime.date(1997, 11, 1),
        "Central Bank of the UAE: 3.6725 dirhams per US dollar",
    ),
]

# The source says where an ECB rate is from; a note on each of 250,000 rows would not.
ECB_NOTE = ""


def ecb_rates_to_usd(since=None, until=None):
    """Yield (currency, date, USD per unit) from the ECB history the package ships."""
    converter = CurrencyConverter(decimal=True)
    per_euro = converter._rates  # {currency: {date: units per euro}}; no public accessor
    usd_per_euro = per_euro[USD]
    for day, usd in usd_per_euro.items():
        # The package keeps a day without a quote as None.
        if not usd or (since and day < since) or (until and day > until):
            continue
        yield "EUR", day, usd.quantize(RATE_PLACES)
        for currency, rates in per_euro.items():
            if currency in {USD, "EUR"} or currency not in ISO_4217_CODES:
                continue
            units = rates.get(day)
            if units:
                yield currency, day, (usd / units).quantize(RATE_PLACES)


def write_rates(rows, batch_size):
    """Insert or update (currency, date, rate, source, note) rows, in batches.

    One INSERT … ON CONFLICT statement run over many rows (both backends speak it):
    bulk_create compiles a statement per couple of hundred rows on SQLite, which made a
    full load take a minute rather than seconds. Like bulk_create it writes no history:
    a quarter of a million automatic rows would drown the staff's own changes.
    """
    table = ExchangeRate._meta.db_table
    quote = connection.ops.quote_name
    columns = ["currency", "date", "rate_to_usd", "source", "note"]
    updated = ["rate_to_usd", "source", "note"]
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote('currency')}, {quote('date')}) DO UPDATE SET "
        + ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in updated)
    )
    ops = connection.ops
    params = [
        (
            currency,
            ops.adapt_datefield_value(day),
            ops.adapt_decimalfield_value(rate, 20, 10),
            source,
            note,
        )
        for currency, day, rate, source, note in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), batch_size):
            cursor.executemany(sql, params[start : start + batch_size])


def peg_rates():
    for currency, per_usd, since, authority in PEGS:
        yield currency, since, (1 / per_usd).quantize(RATE_PLACES), authority


class Command(BaseCommand):
    help = (
        "Load the ECB's daily reference rates (shipped with the currencyconverter "
        "package) and official pegs as rates to US dollars, then convert affected deals."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            type=datetime.date.fromisoformat,
            default=DEFAULT_SINCE,
            help=f"First date to load, YYYY-MM-DD (default {DEFAULT_SINCE}).",
        )
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=None,
            help="Last date to load, YYYY-MM-DD (default: the last date shipped).",
        )
        parser.add_argument("--batch-size", type=int, default=10000)

    def handle(self, *args, since, until, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        with transaction.atomic():
            added, changed, kept, earliest = self.load(since, until, batch_size)
            converted = sum(
                Deal.objects.recompute_usd(currency=currency, since=day)
                for currency, day in sorted(earliest.items())
            )
            if added or changed:
                # Written by SQL, so no signal told the public cache (deals/caching.py).
                record_changed()
        self.stdout.write(
            f"Exchange rates: {added} added, {changed} changed, {kept} kept as entered "
            f"by staff. Deals converted again: {converted}."
        )

    def load(self, since, until, batch_size):
        """Write new and changed ECB and peg rates; return counts and, per currency,
        the earliest date whose rate changed."""
        existing = {
            (currency, day): (rate, source)
            for currency, day, rate, source in ExchangeRate.objects.filter(
                date__gte=min(since, *(day for _, _, day, _ in PEGS))
            )
            .values_list("currency", "date", "rate_to_usd", "source")
            .iterator(chunk_size=10000)
        }
        to_create, to_update = [], []
        kept = 0
        earliest = {}
        incoming = [
            (currency, day, rate, ExchangeRate.Source.ECB, ECB_NOTE)
            for currency, day, rate in ecb_rates_to_usd(since, until)
        ]
        incoming += [
            (currency, day, rate, ExchangeRate.Source.PEG, note)
            for currency, day, rate, note in peg_rates()
        ]
        for currency, day, rate, source, note in incoming:
            stored = existing.get((currency, day))
            row = (currency, day, rate, source, note)
            if stored is None:
                to_create.append(row)
            elif stored[1] == ExchangeRate.Source.STAFF:
                kept += 1  # staff corrected or chose this rate: theirs stands
                continue
            elif stored != (rate, source):
                to_update.append(row)
            else:
                continue
            earliest[currency] = min(day, earliest.get(currency, day))

        write_rates(to_create + to_update, batch_size)
        return len(to_create), len(to_update), kept, earliest
