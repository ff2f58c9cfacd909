"""Bad configuration stops start-up with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = {"SECRET_KEY": "x" * 50, "DEBUG": "0", "ALLOWED_HOSTS": "example.org"}


def load_settings(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    env.update(GOOD)
    env.update(overrides)
    env = {k: v for k, v in env.items() if v is not None}
    code = "import dealtracker.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"
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
        ("TIME_ZONE", "Mars/Olympus_Mons"),
        ("SECURE_HSTS_SECONDS", "1 year"),
        ("CSRF_TRUSTED_ORIGINS", "deals.example.org"),
        ("SECRET_KEY", ""),
        ("LOG_FORMAT", "xml"),
        ("AXES_FAILURE_LIMIT", "0"),
        ("AXES_COOLOFF_MINUTES", "an hour"),
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
