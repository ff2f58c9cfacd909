"""gunicorn as the site is served (gunicorn.conf.py): a response that streams for
longer than the worker timeout arrives whole, as the CSV of the whole record must."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests import slow_stream

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_stream_longer_than_the_worker_timeout_is_not_cut():
    port = free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_TIMEOUT": "1",  # the stream takes 4 s
        "WEB_CONCURRENCY": "1",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    server = subprocess.Popen([*command, "tests.slow_stream:application"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            body = response.read().decode()
        took = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert body.splitlines() == [f"piece {n}" for n in range(slow_stream.PIECES)]
    assert took > slow_stream.PIECES * slow_stream.PAUSE > 3 * int(env["GUNICORN_TIMEOUT"])
