"""Deep pages against a generated database: p95 of page 1 and of page 500.

    .venv/bin/python bench/deep_pages.py \
        --database-url postgres://postgres@127.0.0.1:5432/dt_deep12_bench_100k

Serves the database with gunicorn as bench/run.py does, without the page cache (every
answer computed; the list's count is still remembered between changes), one worker,
and times sequential requests with one client: /deals/ ?page=1 and ?page=500, the API's
?page=1 and ?page=500 (20 a page), and ?cursor= at its first page and at the position of
row 10,000 (reached by following `next` links). Prints one line per endpoint.
"""

import argparse
import json
import statistics
import time
import urllib.request

from run import start_gunicorn, stop


def timed(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
        assert response.status == 200, url
    return (time.perf_counter() - started) * 1000, body


def p95(url, requests):
    timed(url)  # warm: templates, the remembered count
    times = sorted(timed(url)[0] for _ in range(requests))
    return times[min(len(times) - 1, round(0.95 * len(times)) - 1)], statistics.median(times)


def cursor_at(base, row):
    """The `next` link whose page starts at `row`, by following links 100 rows at a time."""
    url = f"{base}/api/v1/deals/?cursor=&page_size=100"
    for _ in range(row // 100):
        url = json.loads(timed(url)[1])["next"]
    return url.replace("page_size=100", "page_size=20")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=8721)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    server = start_gunicorn(args.database_url, args.port, 1, "uncached")
    base = f"http://127.0.0.1:{args.port}"
    try:
        endpoints = {
            "/deals/ page 1": f"{base}/deals/?page=1",
            "/deals/ page 500": f"{base}/deals/?page=500",
            "API ?page=1": f"{base}/api/v1/deals/?page=1",
            "API ?page=500": f"{base}/api/v1/deals/?page=500",
            "API ?cursor= first": f"{base}/api/v1/deals/?cursor=",
            "API ?cursor= at row 10,000": cursor_at(base, 10_000),
        }
        for name, url in endpoints.items():
            high, middle = p95(url, args.requests)
            print(f"{name:32} p50 {middle:7.1f} ms   p95 {high:7.1f} ms", flush=True)
    finally:
        stop(server)


if __name__ == "__main__":
    main()
