"""gunicorn settings for Deal Tracker: `gunicorn -c gunicorn.conf.py dealtracker.wsgi`.

Each value can be overridden from the environment (GUNICORN_BIND, WEB_CONCURRENCY,
GUNICORN_THREADS, GUNICORN_TIMEOUT), so one file serves a laptop, the benchmark and every app host.
See docs/deploy.md and docs/performance.md.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# 2 x cores + 1 workers: a request spends much of its time waiting on PostgreSQL, so a
# few more processes than cores keep the CPUs busy; many more only add memory and
# context switches. Measured on 2 cores in docs/performance.md.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threaded workers, not sync ones: a sync worker tells the arbiter it is alive only
# between requests, so a download that streams for longer than `timeout` (the CSV of
# the whole record, minutes at a million deals) was killed half-way; a threaded worker
# reports from its own loop while a thread streams (tests/test_serving.py). Each
# thread holds its own PostgreSQL connection.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A hung request is still ended: `timeout` now bounds a silent worker, not a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Behind the load balancer, which keeps connections to the app hosts open.
keepalive = 5

# Load the project once, then fork: less memory, and an import error stops start-up.
preload_app = True
# Recycle each worker now and then, so a slow leak never takes a host down. Not too
# often: answered from the cache a worker serves ~300 requests a second, and 2,000 made
# each restart every few seconds, with its first requests slow (docs/performance.md).
max_requests = 20000
max_requests_jitter = 2000
# Heartbeat files in memory, not on a possibly slow disk (the gunicorn docs' advice).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The load balancer's address may set X-Forwarded-*; BEHIND_PROXY=1 makes Django trust it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Django logs each request's problems as JSON; gunicorn's access log is off unless asked
# for (GUNICORN_ACCESS_LOG=-), as the load balancer keeps one.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
