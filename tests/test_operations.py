"""Operations: the health check, the error pages and the log lines."""

import json
import logging
import sys
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import RequestFactory, override_settings
from django.urls import path

from dealtracker.logging import JsonFormatter
from dealtracker.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("secret internals: password=hunter2")


# This module doubles as a URLconf: the site's addresses plus two that fail.
handler404 = "deals.api.exceptions.page_not_found"
handler500 = "deals.api.exceptions.server_error"
urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *site_urlpatterns]


# --- /healthz ------------------------------------------------------------------------


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_healthz_answers_503_with_json_when_the_database_fails(client, db, caplog):
    failing = mock.MagicMock()
    failing.__enter__.return_value.execute.side_effect = OperationalError("connection refused")
    with mock.patch("dealtracker.health.connection.cursor", return_value=failing):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}
    assert "connection refused" not in response.content.decode()
    assert "database did not answer" in caplog.text


def test_healthz_needs_no_sign_in(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "/admin/login/" not in response.headers.get("Location", "")


# --- error pages -----------------------------------------------------------------------


@override_settings(DEBUG=False)
def test_an_unknown_page_shows_the_sites_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert 'class="site-header"' in page  # extends base.html
    assert 'href="/deals/"' in page


@override_settings(DEBUG=False)
def test_an_unknown_api_address_still_answers_json_404(client, db):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.urls("tests.test_operations")
@override_settings(DEBUG=False)
def test_a_failing_page_shows_the_500_page_without_a_stack_trace(client, db):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Something went wrong</h1>" in page
    assert "Traceback" not in page
    assert "hunter2" not in page
    assert "RuntimeError" not in page


@pytest.mark.urls("tests.test_operations")
@override_settings(DEBUG=False)
def test_a_failing_api_address_answers_500_in_the_api_error_shape(client, db):
    client.raise_request_exception = False
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert "hunter2" not in response.content.decode()


def test_the_500_page_renders_without_a_request_or_database():
    from django.template import loader

    page = loader.get_template("500.html").render()
    assert "Something went wrong" in page
    assert "{%" not in page


# --- log lines ---------------------------------------------------------------------------


def make_record(message, *, exc_info=None, **extra):
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, message, (), exc_info)
    record.__dict__.update(extra)
    return record


def test_json_log_lines_carry_time_level_logger_message_path_and_status():
    request = RequestFactory().get("/deals/jd-com/")
    record = make_record("Not Found: /deals/jd-com/", request=request, status_code=404)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "Not Found: /deals/jd-com/"
    assert entry["path"] == "/deals/jd-com/"
    assert entry["status"] == 404
    assert entry["time"].endswith("+00:00")


def test_json_log_lines_leave_out_path_and_status_when_there_is_no_request():
    entry = json.loads(JsonFormatter().format(make_record("京东 imported")))
    assert set(entry) == {"time", "level", "logger", "message"}
    assert entry["message"] == "京东 imported"


def test_json_log_lines_carry_the_traceback_on_one_line():
    try:
        raise ValueError("bad row")
    except ValueError:
        line = JsonFormatter().format(make_record("Import failed", exc_info=sys.exc_info()))
    assert "\n" not in line
    assert "ValueError: bad row" in json.loads(line)["exception"]
