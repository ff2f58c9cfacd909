"""The first request after an edit, for every scorecard page and endpoint (issue 11).

    .venv/bin/python bench/first_after_edit.py \
        --database-url postgres://postgres@127.0.0.1:5432/dealtracker_bench_1m

Serves the database with gunicorn as bench/run.py does (uncached: no page cache, so
every answer is computed), then, for each address, `--rounds` times: edits a published
deal of the scope through the ORM (a title change, saved in a transaction as the admin
saves it: the deal is marked for the kept figures, deals/models/figures.py, and
recomputed when the transaction commits), requests the address once (the first reader
after the edit) and once more (the next reader). Prints the median and the worst of
each, and the median time of the edit itself (its save, commit and recomputation),
in ms.
"""

import argparse
import os
import pathlib
import statistics
import sys
import time
import urllib.request

from run import REDIS_URL, start_gunicorn, stop

ROOT = pathlib.Path(__file__).resolve().parent.parent


def timed_get(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=8723)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    os.environ.update(
        DJANGO_SETTINGS_MODULE="dealtracker.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-not-secret",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=args.database_url,
        DEALTRACKER_ENV_FILE="",
        # The server's cache, so that the edit here puts its remembered figures out of
        # use as an edit in the admin does.
        CACHE_URL=REDIS_URL,
        PUBLIC_CACHE_SECONDS="600",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction

    from deals.models import Deal

    deal = Deal.objects.published().from_country("CN").filter(ceremony__isnull=False).first()
    party = deal.deal_parties.first().party
    base = f"http://127.0.0.1:{args.port}"
    addresses = {
        "country page": "/countries/cn/",
        "country scorecard (API)": "/api/v1/countries/CN/follow-through/",
        "country scorecard (CSV)": "/countries/CN/follow-through.csv",
        "ceremony page": deal.ceremony.get_absolute_url(),
        "ceremony scorecard (API)": f"/api/v1/ceremonies/{deal.ceremony_id}/follow-through/",
        "occasion page": deal.ceremony.occasion.get_absolute_url(),
        "party page": party.get_absolute_url(),
        "sector page": (deal.sector.parent or deal.sector).get_absolute_url(),
        "home": "/",
    }
    server = start_gunicorn(args.database_url, args.port, 1, "uncached")
    title = deal.title
    try:
        for path in addresses.values():
            timed_get(base + path)  # warm the worker
        print(
            "| address | first after an edit, median (worst) | next request, median "
            "| the edit itself, median |"
        )
        print("|---|---|---|---|")
        for name, path in addresses.items():
            firsts, nexts, edits = [], [], []
            for round_ in range(args.rounds):
                started = time.perf_counter()
                with transaction.atomic():
                    deal.title = f"{title} ({round_})"
                    deal.save()
                edits.append((time.perf_counter() - started) * 1000)
                firsts.append(timed_get(base + path))
                nexts.append(timed_get(base + path))
            print(
                f"| {name} `{path}` | {statistics.median(firsts):.0f} ms ({max(firsts):.0f}) "
                f"| {statistics.median(nexts):.0f} ms | {statistics.median(edits):.0f} ms |",
                flush=True,
            )
    finally:
        deal.title = title
        deal.save()
        stop(server)


if __name__ == "__main__":
    main()
