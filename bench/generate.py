"""Fill an empty, migrated database with a realistic synthetic record, fast.

    DJANGO_SETTINGS_MODULE=dealtracker.settings DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dealtracker_bench_100k \
    .venv/bin/python bench/generate.py --deals 100000

PostgreSQL only: every table is loaded with COPY (psycopg 3), with explicit ids so
that foreign keys are known in advance; the sequences are moved past them at the end.
The USD amounts are computed here with the model's own conversion functions, from
exchange rates this script writes (ECB-like business-day rates for CNY, EUR and JPY,
the official SAR peg), so no `save()` runs per row and no history rows are written.
The deals' search vectors are filled after the load by one set-based UPDATE, with the
triggers that would otherwise compute them row by row turned off meanwhile, and so is
their latest evidence (`Deal.last_evidence_on`, the model's own `refresh_last_evidence()`).
About 30 % of signed deals have 1–3 dated status updates (in progress, then completed,
stalled or cancelled), and about 2 % follow an earlier deal of one of their parties
(`follows`: the memorandum a contract turns into), so that follow-through scorecards
have every outcome to count.
Every database constraint holds: the load would fail otherwise.
"""

import argparse
import contextlib
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dealtracker.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from deals import models as m  # noqa: E402
from deals.models.figures import rebuild as rebuild_figures  # noqa: E402

FIRST_DAY = datetime.date(2000, 1, 3)
LAST_DAY = datetime.date(2026, 10, 30)
NOW = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)

# Countries weighted roughly as they appear at signing ceremonies.
COUNTRIES = {
    "CN": 30, "US": 18, "DE": 6, "FR": 6, "JP": 5, "SA": 5, "GB": 5, "AE": 3, "RU": 3,
    "IN": 3, "KR": 3, "BR": 2, "IT": 2, "ES": 2, "TR": 2, "ID": 2, "EG": 1, "NG": 1,
    "KZ": 1, "PK": 1,
}  # fmt: skip
CITIES = {
    "CN": ["Beijing", "Shanghai", "Guangzhou"], "US": ["Washington", "New York"],
    "DE": ["Berlin", "Hanover"], "FR": ["Paris"], "JP": ["Tokyo", "Osaka"],
    "SA": ["Riyadh", "Jeddah"], "GB": ["London"], "AE": ["Abu Dhabi", "Dubai"],
    "RU": ["Moscow", "Vladivostok"], "IN": ["New Delhi", "Mumbai"], "KR": ["Seoul"],
    "BR": ["Brasília"], "IT": ["Rome"], "ES": ["Madrid"], "TR": ["Ankara"],
    "ID": ["Jakarta"], "EG": ["Cairo"], "NG": ["Abuja"], "KZ": ["Astana"], "PK": ["Islamabad"],
}  # fmt: skip
VENUE_KINDS = ["Great Hall", "Palace", "Convention Centre", "Exhibition Centre", "State House"]
OCCASION_KINDS = ["state visit to", "official visit to", "summit in", "trade fair in"]
SYLLABLES = ["ka", "lo", "ri", "ten", "va", "mor", "sun", "hai", "lin", "bel", "tex", "dor",
             "qua", "zen", "pan", "ora", "ste", "kor", "mira", "vel"]  # fmt: skip
SUFFIXES = ["Group", "Holdings", "Corporation", "Industries", "Energy", "Airlines",
            "Bank", "Motors", "Technologies", "Logistics", "Foods", "Mining", "Steel",
            "Chemicals"]  # fmt: skip
CJK = "京东华中国建设银行石油电力航空船舶钢铁汽车科技集团能源控股投资发展"
KANA = "トヨタ三菱日立商事重工電機製作所銀行"
ARABIC = "شركة أرامكو السعودية للطاقة البنك الأهلي"
CYRILLIC = "Газпром Роснефть Сбербанк Ростех"
PRODUCTS = ["aircraft", "helicopters", "LNG", "soybeans", "beef and pork", "power plants",
            "high-speed trains", "satellites", "semiconductors", "steel", "crude oil",
            "wind turbines", "port terminals", "pharmaceuticals", "software licences"]  # fmt: skip
VERBS = {"buyer": "buys", "investor": "invests in", "lender": "finances", "partner": "partners on"}
ROLE_PAIRS = [
    ("buyer", "seller"), ("buyer", "seller"), ("investor", "investee"),
    ("lender", "borrower"), ("partner", "partner"), ("licensee", "licensor"),
]  # fmt: skip
CURRENCIES = ["USD"] * 50 + ["CNY"] * 25 + ["EUR"] * 12 + ["JPY"] * 7 + ["SAR"] * 6
QUALIFIERS = ["exact"] * 30 + ["about"] * 25 + ["more_than"] * 10 + ["at_least"] * 5
QUALIFIERS += ["up_to"] * 5 + ["undisclosed"] * 25
INSTRUMENTS = [c for c, _ in m.Deal.Instrument.choices]
BASES = [c for c, _ in m.Deal.Basis.choices]
STATED_BY = [c for c, _ in m.Deal.StatedBy.choices]
PUBLISHERS = ["Reuters", "Xinhua", "Bloomberg", "Financial Times", "Nikkei", "Arab News"]
# What a dated status update says next, from the deal's current status: open statuses
# move on, completed and cancelled are final. Weights roughly as reported later.
NEXT_STATUS = {
    "signed": (["in_progress", "completed", "stalled", "cancelled"], [50, 20, 18, 12]),
    "in_progress": (["in_progress", "completed", "stalled", "cancelled"], [15, 45, 25, 15]),
    "stalled": (["in_progress", "completed", "stalled", "cancelled"], [35, 15, 10, 40]),
}
FINAL_STATUSES = {"completed", "cancelled"}
STATUS_UPDATE_SHARE = 0.30  # of signed deals
FOLLOW_ON_SHARE = 0.02  # of deals, when a party has an earlier deal to follow
# Rough USD per unit around 2000 and the yearly drift, for ECB-like daily rates.
RATE_PATHS = {"CNY": (0.1208, 0.0012), "EUR": (1.03, 0.004), "JPY": (0.0093, -0.00006)}
SAR_PEG = Decimal("0.2666666667")

COLUMNS = {
    m.ExchangeRate: "id currency date rate_to_usd source note",
    m.Occasion: "id name slug start_date end_date host_country description created_at updated_at",
    m.Venue: "id name slug city country created_at updated_at",
    m.Source: "id url publisher title published_on quote created_at updated_at",
    m.Ceremony: (
        "id name slug date venue_id occasion_id description announced_value_amount"
        " announced_value_currency announced_value_qualifier announced_deal_count"
        " created_at updated_at"
    ),
    m.CeremonySource: "id ceremony_id source_id quote",
    m.Party: (
        "id name slug country kind parent_id native_name aliases website created_at updated_at"
    ),
    m.Deal: (
        "id title slug summary description sector_id instrument value_amount value_currency"
        " value_qualifier value_basis value_stated_by value_amount_usd term_months"
        " term_start_date term_end_date ceremony_id ceremony_date signed_on last_evidence_on"
        " status umbrella_id"
        " follows_id"
        " is_published published_at created_by_id updated_by_id created_at updated_at"
    ),
    m.DealParty: "id deal_id party_id role signatory_name signatory_title order",
    m.DealSource: "id deal_id source_id quote",
    m.StatusUpdate: "id deal_id status date note quote source_id",
}


# Columns the database derives after the load rather than this script.
# last_evidence_on is written NULL by COPY, then by Deal.objects.refresh_last_evidence().
DERIVED = {m.Deal: {"search_vector"}}
# The search-vector triggers (deals/migrations/0008_deal_search_vector.py) that COPY
# would fire: once per deal, and once per statement over every deal's parties.
LOAD_TRIGGERS = [
    (m.Deal, "deals_deal_search_vector"),
    (m.DealParty, "deals_dealparty_search_vector_insert"),
]


def defaulted(model):
    """The model's columns this script leaves at their default (added since it was
    written, with a default or NULL allowed): (column, value) pairs."""
    named = set(COLUMNS[model].split()) | DERIVED.get(model, set())
    return [
        (f.column, f.get_default())
        for f in model._meta.concrete_fields
        if f.column not in named and (f.has_default() or f.null or f.blank)
    ]


def check_columns():
    """Fail loudly if a model gained a column this script neither fills nor may leave
    at its default."""
    for model, names in COLUMNS.items():
        actual = {f.column for f in model._meta.concrete_fields} - DERIVED.get(model, set())
        known = set(names.split()) | {column for column, _ in defaulted(model)}
        if known != actual:
            raise SystemExit(f"{model.__name__}: columns changed: {sorted(actual - known)}")


def copy(model, rows):
    """COPY `rows` (tuples in COLUMNS order) into the model's table; return the count."""
    extra = defaulted(model)
    names = [*COLUMNS[model].split(), *(column for column, _ in extra)]
    columns = ", ".join(f'"{name}"' for name in names)
    defaults = tuple(value for _, value in extra)
    sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copier:
        for row in rows:
            copier.write_row((*row, *defaults))
            count += 1
    return count


def random_day(rng, start=FIRST_DAY, end=LAST_DAY):
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def stamp(day):
    return datetime.datetime.combine(day, datetime.time(9), datetime.UTC)


def word(rng, n=2):
    return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()


class Generator:
    def __init__(self, deals, seed):
        self.n_deals = deals
        self.rng = random.Random(seed)
        self.n_ceremonies = max(deals // 20, 5)
        self.n_occasions = max(self.n_ceremonies // 3, 2)
        self.n_venues = min(max(self.n_ceremonies // 20, 5), 2000)
        self.n_parties = max(deals // 5, 50)
        self.countries = list(COUNTRIES)
        self.weights = list(COUNTRIES.values())
        self.source_id = 0

    def next_source(self):
        self.source_id += 1
        return self.source_id

    # --- reference data -------------------------------------------------------

    def exchange_rates(self):
        rng, pk = self.rng, 0
        for currency, (start, drift) in RATE_PATHS.items():
            day, rate = FIRST_DAY, start
            while day <= LAST_DAY:
                if day.weekday() < 5:
                    rate = max(rate * (1 + rng.gauss(0, 0.004)) + drift / 260, start / 10)
                    pk += 1
                    yield (pk, currency, day, Decimal(f"{rate:.10f}"), "ecb", "")
                day += datetime.timedelta(days=1)
        pk += 1
        yield (pk, "SAR", datetime.date(1986, 6, 1), SAR_PEG, "peg", "Saudi riyal peg")

    def occasions(self):
        rng = self.rng
        self.occasion_days = []
        for pk in range(1, self.n_occasions + 1):
            country = rng.choices(self.countries, self.weights)[0]
            start = random_day(rng)
            end = start + datetime.timedelta(days=rng.randrange(0, 4))
            self.occasion_days.append((start, country))
            name = f"{word(rng)} {rng.choice(OCCASION_KINDS)} {country} {start.year}"
            yield (pk, name, f"{slugify(name)}-{pk}", start, end, country, "", NOW, NOW)

    def venues(self):
        rng = self.rng
        self.venue_country = []
        for pk in range(1, self.n_venues + 1):
            country = rng.choices(self.countries, self.weights)[0]
            city = rng.choice(CITIES[country])
            name = f"{word(rng)} {rng.choice(VENUE_KINDS)}"
            self.venue_country.append(country)
            yield (pk, name, f"{slugify(name)}-{pk}", city, country, NOW, NOW)

    def ceremonies(self):
        """Ceremonies with an announced headline, each citing one source."""
        rng = self.rng
        self.ceremony_days = [None]
        self.ceremony_sources = []
        for pk in range(1, self.n_ceremonies + 1):
            if rng.random() < 0.85:
                occasion = rng.randrange(self.n_occasions)
                day = self.occasion_days[occasion][0]
                occasion += 1
            else:
                occasion, day = None, random_day(rng)
            self.ceremony_days.append(day)
            venue = rng.randrange(1, self.n_venues + 1)
            if rng.random() < 0.3:
                amount, qualifier, count = None, "undisclosed", None
            else:
                amount = Decimal(rng.randrange(1, 500)) * 100_000_000
                qualifier, count = rng.choice(["about", "more_than", "exact"]), rng.randrange(5, 40)
            name = f"Signing ceremony {pk} at {word(rng)}"
            source = self.next_source()
            self.ceremony_sources.append((pk, source, day))
            yield (
                pk, name, f"signing-ceremony-{pk}", day, venue, occasion, "",
                amount, "USD", qualifier, count, NOW, NOW,
            )  # fmt: skip

    def parties(self):
        """Companies and state bodies; some with a parent, a native-script name, aliases."""
        rng = self.rng
        self.party_countries = []
        self.party_names = []
        for pk in range(1, self.n_parties + 1):
            country = rng.choices(self.countries, self.weights)[0]
            name = f"{word(rng, rng.randrange(2, 4))} {rng.choice(SUFFIXES)}"
            native = ""
            if country == "CN":
                native = "".join(rng.choice(CJK) for _ in range(rng.randrange(2, 6)))
            elif country == "JP":
                native = "".join(rng.choice(KANA) for _ in range(rng.randrange(2, 6)))
            elif country in {"SA", "AE", "EG"}:
                native = rng.choice(ARABIC.split())
            elif country == "RU":
                native = rng.choice(CYRILLIC.split())
            aliases = f"{name.split()[0]}\n{name.split()[0]} Co." if rng.random() < 0.3 else ""
            parent = rng.randrange(1, pk) if pk > 10 and rng.random() < 0.1 else None
            kind = rng.choices(
                [c for c, _ in m.Party.Kind.choices], [60, 20, 8, 10, 2]
            )[0]  # fmt: skip
            self.party_countries.append(country)
            self.party_names.append(name)
            yield (
                pk, name, f"{slugify(name)}-{pk}", country, kind, parent, native, aliases,
                "", NOW, NOW,
            )  # fmt: skip

    def sources(self, count):
        rng = self.rng
        for pk in range(1, count + 1):
            publisher = PUBLISHERS[pk % len(PUBLISHERS)]
            day = random_day(rng)
            yield (
                pk, f"https://news.example.org/{publisher.lower().replace(' ', '-')}/{pk}",
                publisher, f"Deals signed, report {pk}", day, "", NOW, NOW,
            )  # fmt: skip

    # --- deals ------------------------------------------------------------------

    def deals(self, sector_ids, timelines):
        """Deals, and the rows of their parties, sources and status updates on the side."""
        rng = self.rng
        self.deal_parties, self.deal_sources, self.status_updates = [], [], []
        self.last_deal_of = {}  # party -> (its latest deal's id, that deal's date)
        wanted = 0  # follow-ons still to place
        dp_id = su_id = 0
        pk = 0
        umbrella, umbrella_ceremony, components_left = None, None, 0
        while pk < self.n_deals:
            pk += 1
            if components_left:
                components_left -= 1
                ceremony, parent = umbrella_ceremony, umbrella
            else:
                parent = None
                ceremony = rng.randrange(1, self.n_ceremonies + 1) if rng.random() < 0.85 else None
            day = self.ceremony_days[ceremony] if ceremony else random_day(rng)
            signed_on = day if rng.random() < 0.95 else None
            on = signed_on or day  # the ceremony's date, or one standing for created_at
            created = stamp(on) if ceremony or signed_on else NOW
            if ceremony is None and signed_on is None:
                on = NOW.date()

            role_a, role_b = rng.choice(ROLE_PAIRS)
            parties = rng.sample(range(1, self.n_parties + 1), 3 if rng.random() < 0.2 else 2)
            roles = [role_a, role_b, "guarantor"][: len(parties)]
            product = rng.choice(PRODUCTS)
            verb = VERBS.get(role_a, "signs for")
            title = f"{self.party_names[parties[0] - 1]} {verb} {product}"
            instrument = rng.choice(INSTRUMENTS)

            currency = rng.choice(CURRENCIES)
            qualifier = rng.choice(QUALIFIERS)
            if qualifier == "undisclosed":
                amount = amount_usd = None
            else:
                scale = {"JPY": 150, "CNY": 7, "SAR": 4}.get(currency, 1)
                amount = Decimal(rng.randrange(1, 20_000) * scale) * 100_000
                if parent:
                    amount //= 10
                rate = m.rate_in_timeline(timelines, currency, on)
                amount_usd = m.convert_to_usd(amount, rate)
            term = rng.choice([None, None, 12, 24, 36, 60, 120])
            term_start = signed_on if term and signed_on and rng.random() < 0.5 else None
            term_end = (
                term_start + datetime.timedelta(days=30 * term) if term_start is not None else None
            )

            is_published = rng.random() >= 0.10
            status = "announced" if signed_on is None else "signed"
            if signed_on and rng.random() < STATUS_UPDATE_SHARE:
                # 1-3 dated updates, each some months after the last and none after the
                # record's last day; the deal's status is its latest update's.
                update_day = signed_on
                for _step in range(rng.randrange(1, 4)):
                    update_day += datetime.timedelta(days=rng.randrange(60, 540))
                    if update_day > LAST_DAY or status in FINAL_STATUSES:
                        break
                    su_id += 1
                    status = rng.choices(*NEXT_STATUS[status])[0]
                    if rng.random() < 0.5:
                        source = self.next_source()
                        quote = f"The {product} deal is now {status.replace('_', ' ')}."
                    else:
                        source, quote = None, ""
                    self.status_updates.append((su_id, pk, status, update_day, "", quote, source))

            # A follow-on: a later deal of one of its parties continues an earlier one
            # (an earlier id, so follow-ons never loop).
            # One wanted but not possible (no earlier deal of its parties) is carried to
            # the next deal, so that the share holds.
            follows = None
            wanted += rng.random() < FOLLOW_ON_SHARE
            if parent is None and wanted:
                for party in parties:
                    earlier = self.last_deal_of.get(party)
                    if earlier and earlier[1] <= on:
                        follows, wanted = earlier[0], wanted - 1
                        break
            for party in parties:
                self.last_deal_of[party] = (pk, on)

            for order, (party, role) in enumerate(zip(parties, roles, strict=True)):
                dp_id += 1
                self.deal_parties.append((dp_id, pk, party, role, "", "", order))
            self.deal_sources.append((pk, pk, self.next_source(), ""))

            yield (
                pk, title, f"{slugify(title)[:180]}-{pk}",
                f"{title}: {product} under a {instrument.replace('_', ' ')}.", "",
                rng.choice(sector_ids), instrument, amount, currency, qualifier,
                rng.choice(BASES), rng.choice(STATED_BY), amount_usd, term, term_start, term_end,
                ceremony, self.ceremony_days[ceremony] if ceremony else None, signed_on, None,
                status, parent, follows, is_published,
                created if is_published else None, None, None, created, created,
            )  # fmt: skip

            # About 5% of deals are umbrellas holding two or three components.
            if parent is None and not components_left and rng.random() < 0.05 and ceremony:
                umbrella, umbrella_ceremony = pk, ceremony
                components_left = rng.randrange(2, 4)


@contextlib.contextmanager
def search_triggers_off():
    """Turn off the search-vector triggers for the load, and on again whatever happens.

    Only these: the foreign-key checks (triggers of their own) stay on.
    """
    with connection.cursor() as cursor:
        for model, trigger in LOAD_TRIGGERS:
            cursor.execute(f"ALTER TABLE {model._meta.db_table} DISABLE TRIGGER {trigger}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for model, trigger in LOAD_TRIGGERS:
                cursor.execute(f"ALTER TABLE {model._meta.db_table} ENABLE TRIGGER {trigger}")


def reset_sequences():
    with connection.cursor() as cursor:
        for model in COLUMNS:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only (COPY): set DATABASE_URL=postgres://...")
    check_columns()
    if m.Deal.objects.exists() or m.Party.objects.exists():
        raise SystemExit("The database already holds deals or parties: use a fresh one.")

    started = time.monotonic()
    gen = Generator(args.deals, args.seed)
    counts = {}

    def load(model, rows):
        t = time.monotonic()
        counts[model.__name__] = n = copy(model, rows)
        print(f"  {model.__name__:<15} {n:>9} rows  {time.monotonic() - t:6.1f} s", flush=True)

    load(m.ExchangeRate, gen.exchange_rates())
    load(m.Occasion, gen.occasions())
    load(m.Venue, gen.venues())
    ceremonies = list(gen.ceremonies())
    parties = list(gen.parties())
    sector_ids = list(
        m.Sector.objects.filter(parent__isnull=False).values_list("pk", flat=True).order_by("pk")
    )
    timelines = m.ExchangeRate.objects.timelines(list(RATE_PATHS) + ["SAR"])
    deals = list(gen.deals(sector_ids, timelines))
    # Every source cited by a ceremony, deal or status update is written first.
    load(m.Source, gen.sources(gen.source_id))
    load(m.Ceremony, ceremonies)
    load(m.CeremonySource, ((pk, c, s, "") for pk, (c, s, _) in enumerate(gen.ceremony_sources, 1)))
    load(m.Party, parties)
    with search_triggers_off():
        load(m.Deal, deals)
        load(m.DealParty, gen.deal_parties)
        # While the triggers are off: with them on, this UPDATE would compute each
        # vector twice (the deal's own trigger recomputes whatever writes it). Without
        # statistics on the fresh tables the planner reads every link for each deal
        # (4m34s at 100k deals rather than 18 s): ANALYZE them first.
        t = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE deals_deal, deals_dealparty, deals_party")
        n = m.Deal.objects.refresh_search_vector()
        print(f"  {'search vector':<15} {n:>9} deals {time.monotonic() - t:6.1f} s", flush=True)
    load(m.DealSource, gen.deal_sources)
    load(m.StatusUpdate, gen.status_updates)
    # The latest evidence of every deal, by the model's own rule, in one UPDATE (its
    # column is no search-vector trigger's: they may be on again).
    t = time.monotonic()
    n = m.Deal.objects.all().refresh_last_evidence()
    print(f"  {'last evidence':<15} {n:>9} deals {time.monotonic() - t:6.1f} s", flush=True)
    # The kept figures (deals/models/figures.py): COPY sent no signal, so made at once.
    t = time.monotonic()
    n = rebuild_figures()
    print(f"  {'kept figures':<15} {n:>9} rows  {time.monotonic() - t:6.1f} s", flush=True)
    reset_sequences()
    # The two UPDATEs above left two dead copies of every deal (1.4 GB at 1M deals, not
    # 0.5): rewrite the table as a served one would be, then VACUUM (the visibility map,
    # for index-only scans) and ANALYZE everything.
    t = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM FULL {m.Deal._meta.db_table}")
        cursor.execute("VACUUM ANALYZE")
    print(f"  {'vacuum analyze':<15} {'':>9}       {time.monotonic() - t:6.1f} s", flush=True)
    elapsed = time.monotonic() - started
    total = sum(counts.values())
    print(
        f"{args.deals} deals, {total} rows in {elapsed:.1f} s ({total / elapsed:,.0f} rows/s,"
        f" {args.deals / elapsed:,.0f} deals/s)"
    )


if __name__ == "__main__":
    main()
