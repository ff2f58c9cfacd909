"""The CSV download of the whole record: time to first byte, and the worker's peak RSS.

    .venv/bin/python bench/csv_stream.py \
        --database-url postgres://postgres@127.0.0.1:5432/dt_deep12_bench_100k

Serves the database with gunicorn as bench/run.py does (one worker, no page cache),
downloads /deals/csv/ with no filter (every published deal), and reports the time to
the first byte (the header), to the first deal's line and to the last, the bytes and
rows, and the worker's peak resident memory (VmHWM) before and after the download.
"""

import argparse
import pathlib
import time
import urllib.request

from run import start_gunicorn, stop


def peak_rss_mb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def workers_of(pid):
    children = pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=8722)
    args = parser.parse_args()
    server = start_gunicorn(args.database_url, args.port, 1, "uncached")
    url = f"http://127.0.0.1:{args.port}/deals/csv/"
    try:
        urllib.request.urlopen(url + "?year=1900", timeout=60).read()  # warm, no rows
        (worker,) = workers_of(server.pid)
        before = peak_rss_mb(worker)
        started = time.perf_counter()
        size = rows = 0
        with urllib.request.urlopen(url, timeout=3600) as response:
            first = response.read(1)
            first_byte = time.perf_counter() - started
            size, rows, first_row = 1, first.count(b"\n"), None
            # read1: what has arrived, so the first deal's line is timed when it comes.
            while piece := response.read1(1 << 16):
                size += len(piece)
                rows += piece.count(b"\r\n")
                if first_row is None and rows >= 2:  # the header, then a deal
                    first_row = time.perf_counter() - started
        total = time.perf_counter() - started
        first_row_ms = f"{first_row * 1000:.0f} ms" if first_row is not None else "none"
        print(
            f"first byte {first_byte * 1000:.0f} ms, first deal {first_row_ms}, "
            f"all {total:.1f} s, {size / 1e6:.1f} MB, "
            f"{rows - 1} rows; worker peak RSS {before:.0f} MB before, "
            f"{peak_rss_mb(worker):.0f} MB after",
            flush=True,
        )
    finally:
        stop(server)


if __name__ == "__main__":
    main()
