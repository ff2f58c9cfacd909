"""Request rates: 429 with Retry-After past the limit, counted in the shared cache.

The suite runs with rates far above what any test sends (tests/settings.py); these
tests lower them.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from tests.factories import UserFactory

DEALS = "/api/v1/deals/"
REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own on the local Redis
# DRF's key for the test client's address.
ANONYMOUS_KEY = "throttle_anon_127.0.0.1"


def with_rates(settings, anon, user):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
    }


@pytest.fixture
def low_rates(settings):
    with_rates(settings, anon="3/min", user="5/min")
    cache.clear()
    yield
    cache.clear()


def test_an_anonymous_client_past_its_rate_gets_a_429_with_retry_after(api_client, db, low_rates):
    answers = [api_client.get(DEALS).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    response = api_client.get(DEALS)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert "throttled" in error["message"].lower()


def test_anonymous_clients_are_held_to_the_anonymous_rate_alone(api_client, db, settings):
    """API_THROTTLE_USER is per signed-in account: an anonymous client below its own
    rate is not refused because of the accounts' rate."""
    with_rates(settings, anon="5/min", user="2/min")
    cache.clear()

    answers = [api_client.get(DEALS).status_code for _ in range(6)]

    assert answers == [200] * 5 + [429]
    assert cache.get("throttle_user_127.0.0.1") is None
    cache.clear()


def test_signed_in_clients_are_counted_each_on_their_own(token_client, db, low_rates):
    first, second = token_client(UserFactory()), token_client(UserFactory())

    answers = [first.get(DEALS).status_code for _ in range(6)]

    assert answers == [200] * 5 + [429]
    assert second.get(DEALS).status_code == 200


def test_a_made_up_forwarded_for_header_does_not_dodge_the_limit(api_client, db, low_rates):
    answers = [
        api_client.get(DEALS, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)
    ]

    assert answers == [200, 200, 200, 429]


def test_writes_are_throttled_too(token_client, editor, low_rates):
    client = token_client(editor)

    answers = [client.post(DEALS, {}, format="json").status_code for _ in range(6)]

    assert answers == [400] * 5 + [429]


def test_throttle_counters_in_redis_are_shared_by_every_process(
    api_client, db, settings, redis_cache
):
    """Two requests here, one counted by another process, and the fourth is refused.
    Needs the Redis server on 127.0.0.1:6379 (the machine's, as in CI)."""
    prefix = redis_cache(REDIS_URL)
    with_rates(settings, anon="3/min", user="1000/min")
    assert [api_client.get(DEALS).status_code for _ in range(2)] == [200, 200]

    other_process = subprocess.run(
        [sys.executable, "-c", ONE_REQUEST_IN_ANOTHER_PROCESS, prefix],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "CACHE_URL": REDIS_URL,
            "API_THROTTLE_ANON": "3/min",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert other_process.returncode == 0, other_process.stderr
    assert other_process.stdout.split() == ["allowed", "3"]
    assert api_client.get(DEALS).status_code == 429


# The other process uses the key prefix given it (sys.argv[1]), as redis_cache does here.
ONE_REQUEST_IN_ANOTHER_PROCESS = f"""
import sys
import django
from django.conf import settings
settings.CACHES["default"]["KEY_PREFIX"] = sys.argv[1]
django.setup()
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.request import Request
from deals.api.throttling import AnonRateThrottle

request = Request(RequestFactory().get("{DEALS}", REMOTE_ADDR="127.0.0.1"))
print("allowed" if AnonRateThrottle().allow_request(request, None) else "refused")
print(len(cache.get("{ANONYMOUS_KEY}")))
"""


# --- configuration --------------------------------------------------------------------


def test_rates_come_from_the_environment_and_a_bad_one_stops_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from dealtracker.settings import env_rate

    assert env_rate("API_THROTTLE_TEST", "120/min") == "120/min"
    monkeypatch.setenv("API_THROTTLE_TEST", "5000/hour")
    assert env_rate("API_THROTTLE_TEST", "120/min") == "5000/hour"
    for bad in ("fast", "120", "120/fortnight", "-1/min", "1.5/s"):
        monkeypatch.setenv("API_THROTTLE_TEST", bad)
        with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_TEST"):
            env_rate("API_THROTTLE_TEST", "120/min")


def test_the_cache_is_process_memory_unless_a_redis_url_is_given(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from dealtracker.settings import env_cache

    monkeypatch.delenv("CACHE_TEST", raising=False)
    assert env_cache("CACHE_TEST")["BACKEND"].endswith("LocMemCache")
    monkeypatch.setenv("CACHE_TEST", REDIS_URL)
    assert env_cache("CACHE_TEST") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
    monkeypatch.setenv("CACHE_TEST", "memcached://127.0.0.1:11211")
    with pytest.raises(ImproperlyConfigured, match="CACHE_TEST"):
        env_cache("CACHE_TEST")
