"""Schemathesis over the whole OpenAPI schema, in process (no network): no request it
makes, anonymous or with an editor's token, gets a server error or a response that
breaks the schema.

Bounded for CI: the fuzzing phase (valid and invalid requests) with EXAMPLES cases per
operation. For a deeper run, add schemathesis' coverage phase (boundary and negative
cases; about 6,000 requests per client, minutes):
    API_FUZZ_COVERAGE=1 .venv/bin/pytest tests/test_api_schemathesis.py
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

HOST = "localhost"  # where schemathesis' WSGI client sends its requests

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

EXAMPLES = 25
PHASES = {"examples", "fuzzing"} | ({"coverage"} if os.environ.get("API_FUZZ_COVERAGE") else set())
CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {
            phase: {"enabled": phase in PHASES}
            for phase in ("examples", "coverage", "fuzzing", "stateful")
        },
    }
)

# The schema as the site serves it, loaded when the tests are collected.
with override_settings(ALLOWED_HOSTS=[HOST]):
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application(), config=CONFIG
    )

# Negative mode only: every request breaks the schema somewhere (a wrong type, a value
# out of range, a missing required field, a bad header), so each should be refused with
# a 4xx in the one error shape, never a 5xx. Status codes are checked too: a broken
# request must get an answer the schema documents.
NEGATIVE_EXAMPLES = 15
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
NEGATIVE_CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "negative"},
        "phases": {
            phase: {"enabled": phase == "fuzzing"}
            for phase in ("examples", "coverage", "fuzzing", "stateful")
        },
    }
)
with override_settings(ALLOWED_HOSTS=[HOST]):
    negative_schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application(), config=NEGATIVE_CONFIG
    )

BOUNDED = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def wsgi_requests_in_the_test_transaction(api_record, settings):
    settings.ALLOWED_HOSTS = [HOST]
    # Django closes the database connection when a request starts and ends; here that
    # would end the test's transaction, so keep it open, as Django's test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@BOUNDED
def test_anonymous_clients_get_no_server_error_and_no_response_off_the_schema(case):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@BOUNDED
def test_an_editor_gets_no_server_error_and_no_response_off_the_schema(case, editor):
    token, _ = Token.objects.get_or_create(user=editor)
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Token {token.key}"})


NEGATIVE = settings(
    max_examples=NEGATIVE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck)
)


@negative_schema.parametrize()
@NEGATIVE
def test_anonymous_clients_get_no_server_error_for_requests_off_the_schema(case):
    case.call_and_validate(checks=NEGATIVE_CHECKS)


@negative_schema.parametrize()
@NEGATIVE
def test_an_editor_gets_no_server_error_for_requests_off_the_schema(case, editor):
    token, _ = Token.objects.get_or_create(user=editor)
    case.call_and_validate(checks=NEGATIVE_CHECKS, headers={"Authorization": f"Token {token.key}"})
