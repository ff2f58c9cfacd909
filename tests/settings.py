"""Settings for the test suite: the project's settings with a throwaway key.

Tests run against whatever DATABASE_URL says (SQLite by default, PostgreSQL in CI).
"""

import os

# The suite never reads a checkout's .env (make run writes one): what tests see is what
# they set. tests/test_settings.py shows the file read when named.
os.environ["DEALTRACKER_ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# Far above what any test sends, so that no test is throttled by the ones before it;
# tests/test_api_throttling.py lowers them to see the limits work.
os.environ.setdefault("API_THROTTLE_ANON", "1000000/min")
os.environ.setdefault("API_THROTTLE_USER", "1000000/min")

from dealtracker.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test users
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests
# Off unless TEST_PUBLIC_CACHE_SECONDS says (CI runs the suite once more with it on, so
# that every page and API test also passes through the public cache); whatever the
# environment's PUBLIC_CACHE_SECONDS. tests/test_public_cache.py turns it on itself.
PUBLIC_CACHE_SECONDS = int(os.environ.get("TEST_PUBLIC_CACHE_SECONDS", "0"))

# Throwaway test databases need no durable commits: on PostgreSQL each commit (every
# TRUNCATE of a live-server test, every migration of a worker's database) would wait for
# its WAL to reach the disk.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()

# A "replica" alias that is the test database itself (Django's test mirror), with no
# router: tests/test_replica.py turns the router on, every other test reads and writes
# the one database, as a site without DATABASE_REPLICA_URL does.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_ROUTERS = []
