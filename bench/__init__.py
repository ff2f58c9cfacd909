"""Benchmarks: bench/generate.py fills a database, bench/run.py measures (docs/performance.md)."""
