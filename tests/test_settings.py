"""Bad configuration stops start-up with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = {"SECRET_KEY": "x" * 50, "DEBUG": "0", "ALLOWED_HOSTS": "example.org"}


# Variables of the environment the tests run in that must not reach the settings tested.
UNSET = {"DATABASE_URL", "DATABASE_REPLICA_URL", "CACHE_URL", "DEBUG", "SECRET_KEY"}


def load_settings(code=None, **overrides):
    """Run code (by default: print the database engine and DEBUG) against the settings
    loaded in a new process with this environment."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(GOOD)
    env.update(overrides)
    env = {k: v for k, v in env.items() if v is not None}
    code = (
        code or "import dealtracker.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://root@localhost/deals"),
        ("DATABASE_URL", "not a url"),
        ("DATABASE_CONN_MAX_AGE", "forever"),
        ("DATABASE_REPLICA_URL", "not a url"),
        ("DATABASE_REPLICA_URL", "mysql://root@replica.example.org/deals"),
        # Not the same kind of database as DATABASE_URL (here the default, SQLite).
        ("DATABASE_REPLICA_URL", "postgres://u:p@replica.example.org:5432/deals"),
        ("TIME_ZONE", "Mars/Olympus_Mons"),
        ("SECURE_HSTS_SECONDS", "1 year"),
        ("CSRF_TRUSTED_ORIGINS", "deals.example.org"),
        ("SECRET_KEY", ""),
        ("LOG_FORMAT", "xml"),
        ("AXES_FAILURE_LIMIT", "0"),
        ("AXES_COOLOFF_MINUTES", "an hour"),
        ("PUBLIC_CACHE_SECONDS", "-1"),
        ("PUBLIC_CACHE_SECONDS", "ten minutes"),
        ("SITEMAP_URLS_PER_PAGE", "0"),
        ("SITEMAP_URLS_PER_PAGE", "50001"),
        ("SITEMAP_URLS_PER_PAGE", "many"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    result = load_settings(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.splitlines()[-1]


def test_good_values_load_postgres_and_sqlite_urls():
    sqlite = load_settings(DATABASE_URL="sqlite:////tmp/deals.sqlite3")
    postgres = load_settings(DATABASE_URL="postgres://u:p@db.example.org:5432/deals")
    assert sqlite.stdout.split() == ["django.db.backends.sqlite3", "False"]
    assert postgres.stdout.split() == ["django.db.backends.postgresql", "False"]


def test_debug_may_start_without_a_secret_key():
    result = load_settings(DEBUG="1", SECRET_KEY=None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "True"


DATABASES_AND_ROUTERS = """
import dealtracker.settings as s
print(sorted(s.DATABASES), getattr(s, "DATABASE_ROUTERS", []))
print(s.DATABASES.get("replica", {}).get("HOST"))
"""


def test_without_a_replica_url_there_is_one_database_and_no_router():
    result = load_settings(
        DATABASES_AND_ROUTERS, DATABASE_URL="postgres://u:p@db.example.org/deals"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["['default'] []", "None"]


def test_a_replica_url_adds_the_replica_and_the_router():
    result = load_settings(
        DATABASES_AND_ROUTERS,
        DATABASE_URL="postgres://u:p@db.example.org/deals",
        DATABASE_REPLICA_URL="postgres://u:p@replica.example.org/deals",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "['default', 'replica'] ['dealtracker.routers.PrimaryReplicaRouter']",
        "replica.example.org",
    ]


STATE_OUTSIDE_THE_PROCESS = """
import django
django.setup()
from django.conf import settings
from django.core.cache import cache, caches
from rest_framework.throttling import SimpleRateThrottle

backends = {alias: config["BACKEND"] for alias, config in settings.CACHES.items()}
print(backends)
print(settings.SESSION_ENGINE)
print(settings.AXES_HANDLER)
print(type(caches["default"]).__name__, SimpleRateThrottle.cache is cache)
cache.set("dealtracker:settings-test", "shared", 10)
print(cache.get("dealtracker:settings-test"))
cache.delete("dealtracker:settings-test")
"""


def test_with_a_cache_url_no_state_is_kept_in_process_memory():
    """Several app servers must share sessions, the cache and the API's throttle
    counters: with CACHE_URL they are in the database and Redis, none in a process."""
    result = load_settings(
        STATE_OUTSIDE_THE_PROCESS,
        CACHE_URL="redis://127.0.0.1:6379/15",
        DJANGO_SETTINGS_MODULE="dealtracker.settings",
    )

    assert result.returncode == 0, result.stderr
    caches, sessions, sign_in_attempts, throttle_cache, round_trip = result.stdout.splitlines()
    assert caches == "{'default': 'django.core.cache.backends.redis.RedisCache'}"
    assert sessions == "django.contrib.sessions.backends.db"
    assert sign_in_attempts == "axes.handlers.database.AxesDatabaseHandler"
    assert throttle_cache == "RedisCache True"
    assert round_trip == "shared"  # the Redis on 127.0.0.1, as in CI


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, "0"),  # process memory: an edit would clear only its own process's copy
        ({"CACHE_URL": "redis://127.0.0.1:6379/15"}, "600"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/15", "PUBLIC_CACHE_SECONDS": "0"}, "0"),
        ({"PUBLIC_CACHE_SECONDS": "60"}, "60"),
    ],
)
def test_the_public_cache_is_on_by_default_only_with_a_shared_cache(overrides, expected):
    result = load_settings(
        "import dealtracker.settings as s; print(s.PUBLIC_CACHE_SECONDS)", **overrides
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected]


def test_postgresql_connections_run_without_jit():
    result = load_settings(
        "import dealtracker.settings as s; print(s.DATABASES['default']['OPTIONS'])",
        DATABASE_URL="postgres://u:p@db.example.org:5432/deals",
    )
    assert result.returncode == 0, result.stderr
    assert "-c jit=off" in result.stdout


def test_a_env_file_gives_the_variables_the_environment_lacks(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# written by make run\n"
        "DEBUG=1\n"
        "export TIME_ZONE='Asia/Shanghai'\n"
        'FOLLOW_UP_MONTHS="6"\n'
        "\n"
    )
    code = "import dealtracker.settings as s; print(s.DEBUG, s.TIME_ZONE, s.FOLLOW_UP_MONTHS)"

    from_file = load_settings(code, DEALTRACKER_ENV_FILE=str(env_file), DEBUG=None)
    environment_wins = load_settings(code, DEALTRACKER_ENV_FILE=str(env_file), DEBUG="0")

    assert from_file.returncode == 0, from_file.stderr
    assert from_file.stdout.split() == ["True", "Asia/Shanghai", "6"]
    assert environment_wins.stdout.split() == ["False", "Asia/Shanghai", "6"]


def test_a_env_file_line_that_is_not_name_equals_value_stops_start_up(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nthis is not a setting\n")

    result = load_settings(DEALTRACKER_ENV_FILE=str(env_file))

    assert result.returncode != 0
    assert f"{env_file}, line 2: write NAME=value" in result.stderr


def test_no_env_file_is_read_when_the_variable_is_empty(tmp_path):
    code = "import dealtracker.settings as s; print(s.DEBUG)"
    result = load_settings(code, DEALTRACKER_ENV_FILE="", DEBUG=None)
    assert result.stdout.split() == ["False"]
