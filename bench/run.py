"""Measure the site's endpoints under load: gunicorn + PostgreSQL, driven by wrk.

    .venv/bin/python bench/run.py --size 100k \
        --database-url postgres://postgres@127.0.0.1:5432/dealtracker_bench_100k
    .venv/bin/python bench/run.py --table      # print docs/performance.md's tables

Starts gunicorn with gunicorn.conf.py and bench/wsgi.py (the project plus the bare
/bench/ceiling/ view) on 127.0.0.1, DEBUG off, Redis as the cache, then runs wrk
against each endpoint (8 connections, 10 s, after a 2 s warm-up; the CSV with 1
connection) and merges {size: {endpoint: {rps, p50_ms, p95_ms, p99_ms, ratio}}} into
bench/results.json, ratio being the endpoint's throughput over the ceiling's. The
API's throttles are raised for the run, or it would measure 429 answers.

--mode cached (the default) is the production setup: anonymous answers are kept in
Redis until the record changes. --mode uncached removes the page cache, so each
answer is computed from the database (counts, totals and the form's lists are still
remembered between changes); its figures are stored as "<endpoint>_uncached". Before
each endpoint the cache is emptied, so the request measured alone ("alone_ms") is the
first one after a change of the record, with nothing remembered.
"""

import argparse
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
LUA = ROOT / "bench" / "report.lua"
CSV_ROWS = 10_000
REDIS_URL = "redis://127.0.0.1:6379/3"  # a database of its own on the local Redis
MODES = {
    "cached": "",  # the production setup: results.json's plain endpoint names
    "uncached": "_uncached",  # no page cache: each answer computed from the database
}


def forget_everything_cached():
    """As after an edit: the next request finds nothing in the cache (deals/caching.py)."""
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    client.close()


def pick_targets(database_url):
    """Real slugs and ids from the database, so every URL answers 200."""
    with psycopg.connect(database_url) as db:

        def one(sql):
            return db.execute(sql).fetchone()

        ceremony, ceremony_id = one(
            "SELECT c.slug, c.id FROM deals_ceremony c JOIN deals_deal d ON d.ceremony_id = c.id"
            " WHERE d.is_published GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1"
        )
        # Follow-through scopes (issue 11): the occasion and the party with the most
        # published deals, the party whose group (itself and its direct subsidiaries)
        # has the most, and China, whose parties sign up to half the record.
        occasion, occasion_id = one(
            "SELECT o.slug, o.id FROM deals_occasion o"
            " JOIN deals_ceremony c ON c.occasion_id = o.id"
            " JOIN deals_deal d ON d.ceremony_id = c.id"
            " WHERE d.is_published GROUP BY o.id ORDER BY count(*) DESC, o.id LIMIT 1"
        )
        party, party_id = one(
            "SELECT p.slug, p.id FROM deals_party p JOIN deals_dealparty dp ON dp.party_id = p.id"
            " JOIN deals_deal d ON d.id = dp.deal_id WHERE d.is_published"
            " GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1"
        )
        group, group_id = one(
            "WITH member AS (SELECT parent_id AS head, id AS party FROM deals_party"
            " WHERE parent_id IS NOT NULL UNION SELECT parent_id, parent_id FROM deals_party"
            " WHERE parent_id IS NOT NULL)"
            " SELECT p.slug, p.id FROM member JOIN deals_party p ON p.id = member.head"
            " JOIN deals_dealparty dp ON dp.party_id = member.party"
            " GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1"
        )
        deal_id, deal_slug = one(
            "SELECT id, slug FROM deals_deal WHERE is_published AND ceremony_id IS NOT NULL"
            " AND umbrella_id IS NULL ORDER BY id LIMIT 1 OFFSET"
            " (SELECT count(*) / 2 FROM deals_deal)"
        )
        # A word of a party name: found through the party search, as a reader would.
        (party_name,) = one("SELECT name FROM deals_party ORDER BY id LIMIT 1 OFFSET 7")
        # The signing date above which ~10,000 published deals lie, for the CSV.
        row = one(
            "SELECT signed_on FROM deals_deal WHERE is_published AND signed_on IS NOT NULL"
            f" ORDER BY signed_on DESC LIMIT 1 OFFSET {CSV_ROWS - 1}"
        )
        csv_since = row[0] if row else datetime.date(1900, 1, 1)
        (csv_rows,) = one(
            "SELECT count(*) FROM deals_deal WHERE is_published"
            f" AND signed_on >= '{csv_since.isoformat()}'"
        )
        (deals,) = one("SELECT count(*) FROM deals_deal")
    query = party_name.split()[0]
    endpoints = {
        "ceiling": "/bench/ceiling/",
        "home": "/",
        "ceremony": f"/ceremonies/{ceremony}/",
        "deals": "/deals/",
        "deals_filtered": "/deals/?status=signed&country=CN",
        "deals_page_500": "/deals/?page=500",
        "deal": f"/deals/{deal_slug}/",
        "search": f"/deals/?q={query}",
        "api_deals": "/api/v1/deals/",
        # What a typical team ships over the same table (bench/peer.py), issue 12.
        "peer_deals": "/bench/peer/deals/",
        "api_deals_filtered": "/api/v1/deals/?status=signed&country=CN",
        "api_deal": f"/api/v1/deals/{deal_id}/",
        # The other records' lists (deals.api.record_reads), issue 12.
        "api_ceremonies": "/api/v1/ceremonies/",
        "api_parties": "/api/v1/parties/?country=CN",
        "csv_10k": f"/deals/csv/?signed_after={csv_since.isoformat()}",
        # Follow-through (issue 11): each scorecard's page, API, CSV and feed.
        "occasion": f"/occasions/{occasion}/",
        "party": f"/parties/{party}/",
        "party_group": f"/parties/{group}/",
        "country": "/countries/cn/",
        "api_ceremony_follow_through": f"/api/v1/ceremonies/{ceremony_id}/follow-through/",
        "api_occasion_follow_through": f"/api/v1/occasions/{occasion_id}/follow-through/",
        "api_party_follow_through": f"/api/v1/parties/{party_id}/follow-through/",
        "api_party_group_follow_through": f"/api/v1/parties/{group_id}/follow-through/",
        "api_country_follow_through": "/api/v1/countries/CN/follow-through/",
        "follow_through_csv": f"/ceremonies/{ceremony}/follow-through.csv",
        "follow_through_feed": "/feeds/follow-through/",
    }
    return endpoints, {"deals": deals, "csv_rows": csv_rows}


def start_gunicorn(database_url, port, workers, mode):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dealtracker.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "API_THROTTLE_ANON": "1000000/s",
        "API_THROTTLE_USER": "1000000/s",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_LOG_LEVEL": "warning",
        # Slow pages at a million deals take longer than the production 30 s: measure
        # them rather than have gunicorn kill the worker.
        "GUNICORN_TIMEOUT": "300",
        # The production cache: Redis, shared by the workers, public pages kept.
        "CACHE_URL": REDIS_URL,
        "PUBLIC_CACHE_SECONDS": "600",
        "BENCH_PAGE_CACHE": "1" if mode == "cached" else "0",
    }
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    python = str(ROOT / ".venv" / "bin" / "python")
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "-c", "gunicorn.conf.py", "bench.wsgi:application"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (port {port} taken?): try --port")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ceiling/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 20 s")


def stop(server):
    """Quick shutdown (SIGINT): the workers drop what they are doing."""
    server.send_signal(signal.SIGINT)
    server.wait(timeout=60)


def check(base, path, timeout):
    """One request alone: its status, size and time (also the warm-up of a slow page).

    None if it took longer than `timeout` seconds.
    """
    started = time.monotonic()
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as response:
            size = len(response.read())
    except TimeoutError:
        return None
    return response.status, size, (time.monotonic() - started) * 1000


def cancel_queries(database_url):
    """PostgreSQL runs on after gunicorn drops a request: stop this database's queries."""
    with psycopg.connect(database_url, autocommit=True) as db:
        db.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND state = 'active'"
        )


def wrk(url, connections, seconds, threads=2):
    command = [
        "wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds}s",
        "--timeout", "60s", "-s", str(LUA), url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH_JSON (.*)$", output, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk gave no report for {url}:\n{output}")
    return json.loads(match.group(1))


def fmt(ms):
    return "—" if ms is None else f"{ms:.1f}"


def wait_for_idle(longest_ms):
    time.sleep(min(max(longest_ms / 1000, 1), 60))


def load_average():
    return Path("/proc/loadavg").read_text().split()[:3]


def run(args):
    endpoints, facts = pick_targets(args.database_url)
    base = f"http://127.0.0.1:{args.port}"
    server = start_gunicorn(args.database_url, args.port, args.workers, args.mode)
    results = {}
    meta = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "mode": args.mode,
        "load_before": load_average(),
        **facts,
    }
    try:
        # Each worker renders a page once before anything is measured: a worker's first
        # page compiles the templates (~300 ms), which is no change of the record's cost
        # and fell on whichever page came first (the ceremony page).
        wrk(base + endpoints["ceremony"], args.connections, 2)
        for name, path in endpoints.items():
            if args.only and name not in args.only:
                continue
            # "alone" is the first request after a change of the record: nothing cached.
            # The machine may be shared: the load average as each endpoint starts.
            started_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
            load = load_average()
            forget_everything_cached()
            checked = check(base, path, args.timeout)
            if checked is None:  # too slow to measure under load
                print(f"{name:<20} no answer within {args.timeout} s", flush=True)
                results[name] = {
                    "path": path,
                    "requests": 0,
                    "rps": 0.0,
                    "p50_ms": None,
                    "p95_ms": None,
                    "p99_ms": None,
                    "alone_ms": None,
                    "timed_out_after_s": args.timeout,
                    "date": started_at,
                    "load": load,
                }
                stop(server)
                cancel_queries(args.database_url)
                server = start_gunicorn(args.database_url, args.port, args.workers, args.mode)
                continue
            status, size, alone_ms = checked
            is_csv = name.startswith("csv")
            connections = 1 if is_csv else args.connections
            if alone_ms < 1000:  # a slow page was warmed up by the request above
                wrk(base + path, connections, 2)  # warm-up: connections, query plans
                wait_for_idle(2000)
            report = wrk(base + path, connections, args.duration)
            if report["requests"] == 0:  # none finished in time: no percentiles
                report.update(p50_ms=None, p95_ms=None, p99_ms=None, max_ms=None)
            report.update(
                path=path,
                status=status,
                bytes=size,
                connections=connections,
                alone_ms=round(alone_ms, 1),
                date=started_at,
                load=load,
            )
            results[name] = report
            print(
                f"{name:<20} {report['rps']:8.1f} req/s  p50 {fmt(report['p50_ms'])}"
                f"  p95 {fmt(report['p95_ms'])}  p99 {fmt(report['p99_ms'])} ms"
                f"  alone {alone_ms:.0f} ms ({size} bytes, non-2xx {report['non_2xx']})",
                flush=True,
            )
            # Requests wrk gave up on still run in the workers: with a slow endpoint,
            # start afresh rather than let them weigh on the next one.
            if report["requests"] == 0 or report["max_ms"] > 5000:
                stop(server)
                cancel_queries(args.database_url)
                server = start_gunicorn(args.database_url, args.port, args.workers, args.mode)
            else:
                wait_for_idle(report["max_ms"])
    finally:
        stop(server)
    meta["load_after"] = load_average()
    ceiling = results.get("ceiling", {}).get("rps")
    for report in results.values():
        report["ratio"] = round(report["rps"] / ceiling, 4) if ceiling else None
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    suffix = MODES[args.mode]
    # A partial run (--only) keeps the full run's _meta, which the other figures belong
    # to, and adds its own to _runs; each figure carries its own date and load anyway.
    sized = stored.setdefault(args.size, {})
    if args.only:
        sized.setdefault(f"_runs{suffix}", []).append({**meta, "only": args.only})
    else:
        sized[f"_meta{suffix}"] = meta
    sized.update({f"{name}{suffix}": r for name, r in results.items()})
    RESULTS.write_text(json.dumps(stored, indent=2) + "\n")


def mode_of(key):
    """The mode a results.json key was measured in ("api_deals_uncached": uncached)."""
    return next((m for m, suffix in MODES.items() if suffix and key.endswith(suffix)), "cached")


def table():
    """Markdown tables of bench/results.json, one per size and mode."""
    for size, results in json.loads(RESULTS.read_text()).items():
        for mode, suffix in MODES.items():
            meta = results.get(f"_meta{suffix}")
            if meta is None:
                continue
            print(
                f"### {size}, {mode} ({meta['deals']:,} deals; {meta['date']}; load average"
                f" before {' / '.join(meta['load_before'])},"
                f" after {' / '.join(meta['load_after'])})\n"
            )
            print(
                "| endpoint | path | req/s | p50 ms | p95 ms | p99 ms | ratio to ceiling"
                " | first request after a change, ms |"
            )
            print("|---|---|--:|--:|--:|--:|--:|--:|")
            for key, r in results.items():
                if key.startswith("_") or mode_of(key) != mode:
                    continue
                name = key.removesuffix(suffix)
                path = r["path"] if len(r["path"]) < 50 else r["path"][:47] + "…"
                if r.get("timed_out_after_s"):
                    print(
                        f"| {name} | `{path}` | 0 | — | — | — | 0 |"
                        f" > {r['timed_out_after_s'] * 1000:,} (no answer) |"
                    )
                    continue
                print(
                    f"| {name} | `{path}` | {r['rps']:.1f} | {fmt(r['p50_ms'])}"
                    f" | {fmt(r['p95_ms'])} | {fmt(r['p99_ms'])} | {r['ratio']:.3f}"
                    f" | {r['alone_ms']:.0f} |"
                )
            print()


FOLLOW_THROUGH = [
    "ceremony", "occasion", "party", "party_group", "country",
    "api_ceremony_follow_through", "api_occasion_follow_through", "api_party_follow_through",
    "api_party_group_follow_through", "api_country_follow_through", "follow_through_csv",
    "follow_through_feed",
]  # fmt: skip
CACHED_P95_MS, FIRST_REQUEST_MS = 50, 500  # issue 11's targets at 1M


def follow_through_table():
    """docs/performance.md's table of the follow-through endpoints (issue 11): per size,
    cached and uncached p95, the first request after a change (in the cached run), and
    each figure's load average (1 minute) as it started."""

    def p95(r):
        if r is None:
            return "—"
        if r.get("timed_out_after_s"):
            return f"> {r['timed_out_after_s']} s"
        return f"{fmt(r['p95_ms'])} ({r['load'][0]})" if "load" in r else fmt(r["p95_ms"])

    def verdict(cached, uncached):
        """Cached p95 against its target; the first request after a change (measured in
        both runs) by its slower one."""
        if cached is None or cached.get("p95_ms") is None:
            return "—"
        misses = []
        if cached["p95_ms"] >= CACHED_P95_MS:
            misses.append(f"p95 +{cached['p95_ms'] - CACHED_P95_MS:.0f} ms")
        firsts = [r["alone_ms"] for r in (cached, uncached) if r and r.get("alone_ms")]
        if max(firsts) >= FIRST_REQUEST_MS:
            misses.append(f"first +{max(firsts) - FIRST_REQUEST_MS:,.0f} ms")
        return "met" if not misses else "**missed**: " + ", ".join(misses)

    for size, results in json.loads(RESULTS.read_text()).items():
        if not any(name in results for name in FOLLOW_THROUGH[1:]):  # ceremony: issue 5
            continue
        print(f"### {size}\n")
        print(
            "| endpoint | path | cached p95 ms (load) | uncached p95 ms (load)"
            " | first request after a change, ms (cached/uncached run) | targets |"
        )
        print("|---|---|--:|--:|--:|---|")
        for name in FOLLOW_THROUGH:
            cached, uncached = results.get(name), results.get(f"{name}_uncached")
            if cached is None and uncached is None:
                continue
            path = (cached or uncached)["path"]
            path = path if len(path) < 50 else path[:47] + "…"
            alone = "/".join(
                f"{r['alone_ms']:,.0f}" if r.get("alone_ms") is not None else "—"
                for r in (cached, uncached)
                if r is not None
            )
            print(
                f"| {name} | `{path}` | {p95(cached)} | {p95(uncached)} | {alone}"
                f" | {verdict(cached, uncached)} |"
            )
        print()


# Issue 12's targets (uncached: no page cache), measured at 1M with 8 clients.
SPEED_ENDPOINTS = [
    "home", "ceremony", "occasion", "party", "country", "deals", "deals_filtered",
    "deals_page_500", "deal", "search", "api_deals", "api_deals_filtered", "api_deal",
    "api_ceremonies", "api_parties",
]  # fmt: skip
UNCACHED_P95_MS, FIRST_AFTER_EDIT_MS, FLAT_AT_1M = 100, 300, 1.5
API_RATIO, PEER_MULTIPLE = 0.10, 5


def speed_table():
    """docs/performance.md's table for issue 12: per size, each page's and API list's
    uncached p95 and first request after a change, deep page and search against their
    1k figure, and the API deal list against the bare view and the plain DRF peer."""
    stored = json.loads(RESULTS.read_text())
    small = stored.get("1k", {})
    for size, results in stored.items():
        if "api_deals_uncached" not in results:
            continue
        print(f"### {size}, uncached\n")
        print("| endpoint | p95 ms | first request after a change, ms | targets |")
        print("|---|--:|--:|---|")
        for name in SPEED_ENDPOINTS:
            r = results.get(f"{name}_uncached")
            if r is None or r.get("p95_ms") is None:
                continue
            misses = []
            if r["p95_ms"] >= UNCACHED_P95_MS:
                misses.append(f"p95 +{r['p95_ms'] - UNCACHED_P95_MS:.0f} ms")
            if r["alone_ms"] >= FIRST_AFTER_EDIT_MS:
                misses.append(f"first +{r['alone_ms'] - FIRST_AFTER_EDIT_MS:,.0f} ms")
            base = small.get(f"{name}_uncached", {}).get("p95_ms")
            if name in ("deals_page_500", "search") and base and size != "1k":
                flat = r["p95_ms"] / base
                if flat > FLAT_AT_1M:
                    misses.append(f"{flat:.2f}× its 1k p95")
            verdict = "met" if not misses else "**missed**: " + ", ".join(misses)
            print(f"| {name} | {fmt(r['p95_ms'])} | {r['alone_ms']:,.0f} | {verdict} |")
        api, ceiling = results["api_deals_uncached"], results.get("ceiling_uncached")
        peer = results.get("peer_deals_uncached")
        print()
        if ceiling:
            ratio = api["rps"] / ceiling["rps"]
            mark = "met" if ratio >= API_RATIO else "**missed**"
            print(f"- API deal list: {api['rps']:.0f} req/s, {ratio:.1%} of the bare view's")
            print(f"  {ceiling['rps']:.0f} (target ≥ {API_RATIO:.0%}: {mark}).")
        if peer and peer.get("rps"):
            multiple = api["rps"] / peer["rps"]
            mark = "met" if multiple >= PEER_MULTIPLE else "**missed**"
            print(f"- The plain DRF peer: {peer['rps']:.0f} req/s; ours is {multiple:.1f}×")
            print(f"  it (target ≥ {PEER_MULTIPLE}×: {mark}).")
        print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", help="the key in results.json: 1k, 100k, 1m")
    parser.add_argument("--database-url")
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--workers", type=int, help="default: gunicorn.conf.py's")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument(
        "--timeout", type=int, default=60, help="seconds one request alone may take"
    )
    parser.add_argument("--only", nargs="*", help="endpoint names to run")
    parser.add_argument(
        "--mode",
        choices=MODES,
        default="cached",
        help="cached: the production setup; uncached: no page cache (figures still kept)",
    )
    parser.add_argument("--table", action="store_true", help="print results.json as Markdown")
    parser.add_argument(
        "--follow-through-table",
        action="store_true",
        help="print the follow-through endpoints' table (issue 11) as Markdown",
    )
    parser.add_argument(
        "--speed-table", action="store_true", help="print issue 12's table as Markdown"
    )
    args = parser.parse_args()
    if args.speed_table:
        return speed_table()
    if args.table:
        return table()
    if args.follow_through_table:
        return follow_through_table()
    if not (args.size and args.database_url):
        parser.error("--size and --database-url are needed to run")
    run(args)


if __name__ == "__main__":
    sys.exit(main())
