"""Soak test: minutes of mixed reads and writes against gunicorn and PostgreSQL, with
one worker restarted in the middle; then check that nothing was lost.

    .venv/bin/python bench/soak.py --seconds 300

It creates (and afterwards keeps) the database `dealtracker_soak`, loads the demo,
makes three editors with API tokens, serves the production setup (DEBUG off,
gunicorn.conf.py) on 127.0.0.1, and runs reader and writer threads. Halfway through
it sends SIGTERM to one gunicorn worker, which finishes its request and is replaced.
Afterwards every write the server acknowledged (201/200) must be in the database with
the values sent, no response may be a 5xx, and every deliberately bad input must get
its 4xx. The figures go to docs/reliability.md.
"""

import argparse
import itertools
import json
import os
import platform
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_NAME = "dealtracker_soak"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 8931
BASE = f"http://127.0.0.1:{PORT}"
ENV = {
    **os.environ,
    "DEBUG": "0",
    "SECRET_KEY": "soak-test-only-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": DB_URL,
    "SECURE_COOKIES": "0",
    "API_THROTTLE_ANON": "100000/min",
    "API_THROTTLE_USER": "100000/min",
    "LOG_FORMAT": "json",
    "LOG_LEVEL": "WARNING",
    "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    "WEB_CONCURRENCY": "3",
}
READ_PATHS = [
    "/",
    "/ceremonies/",
    "/ceremonies/us-china-signing-ceremony-2017-11-08/",
    "/deals/",
    "/deals/?status=signed",
    "/deals/?q=Boeing",
    "/api/v1/deals/",
    "/api/v1/deals/?country=CN&ordering=-value",
    "/api/v1/ceremonies/",
    "/feeds/deals/",
    "/healthz",
]
# (description, method, path, body or None, content type, the status it must get)
BAD_INPUTS = [
    ("malformed JSON", "POST", "/api/v1/deals/", "{not json", "application/json", 400),
    ("unknown filter", "GET", "/api/v1/deals/?sectr=x", None, None, 400),
    ("bad filter value", "GET", "/api/v1/deals/?min_value_usd=lots", None, None, 400),
    (
        "negative amount",
        "POST",
        "/api/v1/deals/",
        json.dumps(
            {
                "title": "x",
                "slug": "neg",
                "sector": "manufacture-of-food-products",
                "value": {"amount": "-1"},
            }
        ),
        "application/json",
        400,
    ),
    (
        "undisclosed with amount",
        "POST",
        "/api/v1/deals/",
        json.dumps(
            {
                "title": "x",
                "slug": "undisclosed-amount",
                "sector": "manufacture-of-food-products",
                "value": {"amount": "5", "qualifier": "undisclosed"},
            }
        ),
        "application/json",
        400,
    ),
    ("oversized body", "POST", "/api/v1/deals/", "x" * 3_000_000, "application/json", 413),
    ("unknown deal", "GET", "/api/v1/deals/999999999/", None, None, 404),
    ("unknown page", "GET", "/deals/no-such-deal/", None, None, 404),
    ("bad page filter", "GET", "/deals/?year=20x", None, None, 200),
]


def manage(*args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def shell(script):
    """Run Python in the project's `manage.py shell` against the soak database."""
    return subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def prepare():
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB_NAME])
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    manage("migrate", "--noinput", "-v", "0")
    manage("load_demo")
    manage("collectstatic", "--noinput", "-v", "0")
    script = (
        "from django.contrib.auth.models import Group, User\n"
        "from rest_framework.authtoken.models import Token\n"
        "editors = Group.objects.get(name='Editors')\n"
        "for n in range(3):\n"
        "    u, _ = User.objects.get_or_create(username=f'soak{n}', defaults={'is_staff': True})\n"
        "    u.groups.add(editors)\n"
        "    print(Token.objects.get_or_create(user=u)[0].key)\n"
    )
    out = shell(script)
    return [line.strip() for line in out.splitlines() if len(line.strip()) == 40]


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.errors = Counter()
        self.server_errors = []
        self.acknowledged = {}  # slug -> the values the server acknowledged
        self.bad_inputs = Counter()
        self.bad_input_misses = []

    def record(self, method, path, status):
        with self.lock:
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append((method, path, status))


def reader(stop, tally, seed):
    rng = random.Random(seed)
    session = requests.Session()
    while not stop.is_set():
        path = rng.choice(READ_PATHS)
        try:
            response = session.get(BASE + path, timeout=30)
            tally.record("GET", path, response.status_code)
        except requests.RequestException as exc:
            with tally.lock:
                tally.errors[type(exc).__name__] += 1


def writer(stop, tally, token, number):
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    for n in itertools.count():
        if stop.is_set():
            return
        slug = f"soak-{number}-{n}"
        amount = f"{random.randint(1, 10**6) * 1000}.00"
        body = {
            "title": f"Soak deal {number}-{n}",
            "slug": slug,
            "sector": "manufacture-of-food-products",
            "is_published": n % 2 == 0,
            "parties": [{"party": "jd-com", "role": "buyer"}],
            "value": {"amount": amount, "currency": "USD", "qualifier": "exact"},
        }
        try:
            response = session.post(BASE + "/api/v1/deals/", json=body, timeout=30)
        except requests.RequestException as exc:
            with tally.lock:
                tally.errors[type(exc).__name__] += 1
            continue
        tally.record("POST", "/api/v1/deals/", response.status_code)
        if response.status_code == 201:
            deal_id = response.json()["id"]
            with tally.lock:
                tally.acknowledged[slug] = amount
            if n % 3 == 0:
                amount = f"{random.randint(1, 10**6) * 1000}.00"
                patch = {"value": {"amount": amount, "currency": "USD", "qualifier": "exact"}}
                try:
                    response = session.patch(
                        f"{BASE}/api/v1/deals/{deal_id}/", json=patch, timeout=30
                    )
                except requests.RequestException as exc:
                    with tally.lock:
                        tally.errors[type(exc).__name__] += 1
                    continue
                tally.record("PATCH", "/api/v1/deals/{id}/", response.status_code)
                if response.status_code == 200:
                    with tally.lock:
                        tally.acknowledged[slug] = amount


def bad_inputs(stop, tally, token):
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    while not stop.is_set():
        for name, method, path, body, content_type, expected in BAD_INPUTS:
            headers = {"Content-Type": content_type} if content_type else {}
            try:
                response = session.request(
                    method, BASE + path, data=body, headers=headers, timeout=30
                )
            except requests.RequestException as exc:
                with tally.lock:
                    tally.errors[type(exc).__name__] += 1
                continue
            tally.record(method, path, response.status_code)
            with tally.lock:
                tally.bad_inputs[(name, expected, response.status_code)] += 1
                if response.status_code != expected:
                    tally.bad_input_misses.append((name, expected, response.status_code))
        stop.wait(1)


def worker_pids(master):
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def wait_until_up(server):
    for _ in range(100):
        if server.poll() is not None:
            raise SystemExit("gunicorn exited at start-up")
        try:
            if requests.get(BASE + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz")


def found_in_database(acknowledged):
    script = (
        "import json\n"
        "from deals.models import Deal\n"
        "rows = Deal.objects.filter(slug__startswith='soak-').values_list('slug', 'value_amount')\n"
        "print(json.dumps({slug: str(amount) for slug, amount in rows}))\n"
    )
    stored = json.loads(shell(script).strip().splitlines()[-1])
    missing = [slug for slug in acknowledged if slug not in stored]
    wrong = [slug for slug, amount in acknowledged.items() if stored.get(slug, amount) != amount]
    return stored, missing, wrong


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--readers", type=int, default=4)
    args = parser.parse_args()

    tokens = prepare()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "dealtracker.wsgi"],
        cwd=ROOT,
        env=ENV,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(server)
        tally, stop = Tally(), threading.Event()
        threads = [
            threading.Thread(target=reader, args=(stop, tally, seed))
            for seed in range(args.readers)
        ]
        threads += [
            threading.Thread(target=writer, args=(stop, tally, token, number))
            for number, token in enumerate(tokens)
        ]
        threads.append(threading.Thread(target=bad_inputs, args=(stop, tally, tokens[0])))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 2)
        restarted = worker_pids(server.pid)[0]
        os.kill(restarted, signal.SIGTERM)  # graceful: finishes its request, then exits
        time.sleep(args.seconds / 2)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        workers_after = worker_pids(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    stored, missing, wrong = found_in_database(tally.acknowledged)
    report = write_report(args, tally, elapsed, restarted, workers_after, stored, missing, wrong)
    print(report)
    failed = tally.server_errors or missing or wrong or tally.bad_input_misses or tally.errors
    sys.exit(1 if failed else 0)


def write_report(args, tally, elapsed, restarted, workers_after, stored, missing, wrong):
    served = sum(tally.statuses.values())
    lines = [
        "# Reliability: soak test",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} cores, load average before the end "
        f"{os.getloadavg()[0]:.1f}); repeat with:",
        "",
        "```sh",
        f".venv/bin/python bench/soak.py --seconds {args.seconds} --readers {args.readers}",
        "```",
        "",
        f"gunicorn (gunicorn.conf.py, 3 sync workers, DEBUG off) on PostgreSQL `{DB_NAME}`; "
        f"{args.readers} reader threads, 3 writer threads each with an editor's API token, "
        "1 thread sending bad input. Halfway, worker "
        f"{restarted} got SIGTERM; gunicorn replaced it ({len(workers_after)} workers at "
        "the end).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| duration | {elapsed:.0f} s |",
        f"| requests served | {served} ({served / elapsed:.0f}/s) |",
        f"| responses 5xx | {len(tally.server_errors)} |",
        f"| connection errors | {sum(tally.errors.values())} {dict(tally.errors) or ''} |",
        f"| writes acknowledged (201 create, 200 change) | {len(tally.acknowledged)} deals |",
        f"| acknowledged deals found with the acknowledged amount | "
        f"{len(tally.acknowledged) - len(missing) - len(wrong)} |",
        f"| acknowledged but missing | {len(missing)} |",
        f"| found with another amount | {len(wrong)} |",
        f"| soak deals in the database | {len(stored)} |",
        "",
        "Status codes: "
        + ", ".join(f"{code}: {count}" for code, count in sorted(tally.statuses.items())),
        "",
        "## Bad inputs tried",
        "",
        "| input | expected | got | times |",
        "|---|---|---|---|",
    ]
    for (name, expected, got), count in sorted(tally.bad_inputs.items()):
        lines.append(f"| {name} | {expected} | {got} | {count} |")
    report = "\n".join(lines) + "\n"
    (ROOT / "docs" / "reliability.md").write_text(report)
    return report


if __name__ == "__main__":
    main()
