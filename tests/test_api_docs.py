"""The OpenAPI schema at /api/schema/ and the interactive docs at /api/docs/."""

import re
from io import StringIO

import jsonschema
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from deals.api.schema import error_codes

SCHEMA = "/api/schema/?format=json"
DOCS = "/api/docs/"


@pytest.fixture
def schema(client, db):
    response = client.get(SCHEMA)
    assert response.status_code == 200
    return response.json()


def test_the_schema_validates_and_generates_without_a_warning(db, tmp_path):
    out = tmp_path / "schema.yaml"

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=StringIO()
    )

    assert out.read_text().startswith("openapi: 3.0.3")


def test_the_schema_covers_every_resource_with_list_and_detail(schema):
    paths = set(schema["paths"])

    for resource in ("deals", "ceremonies", "occasions", "venues", "parties", "sectors"):
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{id}}/" in paths
        assert set(schema["paths"][f"/api/v1/{resource}/{{id}}/"]) == {
            "get",
            "put",
            "patch",
            "delete",
        }


def test_every_operation_documents_each_response_code_it_can_give(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            success = {"get": "200", "post": "201", "put": "200", "patch": "200", "delete": "204"}

            assert {success[method], *error_codes(path, method)} <= codes, (method, path)
            assert {"400", "401", "429"} <= codes
            if method != "get":
                assert "403" in codes
            if "{id}" in path:
                assert "404" in codes
    retry_after = schema["paths"]["/api/v1/deals/"]["get"]["responses"]["429"]["headers"]
    assert "Retry-After" in retry_after


def test_errors_have_the_documented_shape(api_client, schema):
    error_schema = {**schema["components"]["schemas"]["Error"], "components": schema["components"]}

    for response in (
        api_client.get("/api/v1/deals/", {"colour": "red"}),
        api_client.get("/api/v1/deals/999/"),
        api_client.post("/api/v1/deals/", {}, format="json"),
    ):
        jsonschema.validate(response.json(), error_schema)
        assert response.json()["error"]["status"] == response.status_code


def test_the_docs_are_served_by_the_site_without_inline_script_or_style(client, db):
    response = client.get(DOCS)

    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "<style" not in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all(
        'src="/' in attributes and not body.strip() for attributes, body in scripts
    )
    for address in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert address.startswith("/"), address  # nothing from a CDN
        if address.startswith(settings.STATIC_URL):
            assert finders.find(address.removeprefix(settings.STATIC_URL)), address
        else:
            assert client.get(address).status_code == 200, address
    start_up = client.get(DOCS, {"script": ""})
    assert start_up["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in start_up.content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_docs_show_every_operation_in_a_browser_under_the_sites_csp(live_server, monkeypatch):
    from tests.browser import chromium

    # Playwright's sync API keeps an event loop running in this thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    problems = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("console", lambda m: m.type in {"error", "warning"} and problems.append(m.text))
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("requestfailed", lambda request: problems.append(request.url))
        page.goto(live_server.url + DOCS)
        page.wait_for_selector(".opblock", timeout=30_000)
        operations = page.locator(".opblock").count()
        page.locator(".opblock-summary-path", has_text="/api/v1/deals/{id}/").first.click()
        page.wait_for_selector(".responses-table", timeout=10_000)
        responses = page.locator(".responses-table").first.inner_text()

    assert problems == []
    # 35 on the resources, 2 for the countries and 5 follow-through scorecards.
    assert operations == 44
    assert "429" in responses
