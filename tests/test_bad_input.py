"""Bad input: bodies over the size limit, malformed JSON, script in every text field,
spreadsheet formulas, and Chinese text end to end."""

import csv
import io
import json
from urllib.parse import urlencode

import pytest
from django.test import override_settings

from deals.models import Deal, DealParty
from tests.factories import CeremonyFactory, DealFactory, PartyFactory, VenueFactory

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
DEALS = "/api/v1/deals/"
LIMIT = 10_000


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# --- bodies over DATA_UPLOAD_MAX_MEMORY_SIZE ---------------------------------------------


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_an_api_post_over_the_size_limit_is_refused_413_in_the_api_error_shape(
    token_client, editor, api_record
):
    body = {"title": "x" * (LIMIT + 1), "slug": "too-big"}
    response = token_client(editor).post(DEALS, body, format="json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"
    assert not Deal.objects.filter(slug="too-big").exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_an_admin_post_over_the_size_limit_is_refused_413(editor_client, db):
    response = editor_client.post(
        "/admin/deals/party/add/",
        urlencode({"name": "x" * (LIMIT + 1), "slug": "too-big"}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "larger than this site accepts" in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_a_multipart_admin_post_whose_fields_exceed_the_limit_is_refused_413(editor_client, db):
    # Multipart bodies may carry files, so only their form fields are counted, while parsing.
    response = editor_client.post("/admin/deals/party/add/", {"name": "x" * (LIMIT + 1)})
    assert response.status_code == 413


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_a_post_under_the_size_limit_is_handled_as_usual(token_client, editor, api_record):
    response = token_client(editor).post(DEALS, {"title": "x" * 100}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


# --- malformed JSON ---------------------------------------------------------------------


def test_malformed_json_to_the_api_is_a_400_in_the_api_error_shape(token_client, editor, db):
    response = token_client(editor).post(
        DEALS, '{"title": "JD.com", ', content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["code"] == "parse_error"
    assert error["fields"] == {}


# --- script in every text field -----------------------------------------------------------


@pytest.fixture
def hostile(db):
    venue = VenueFactory(name=f"Hall {SCRIPT}", slug="hall", city=SCRIPT)
    ceremony = CeremonyFactory(
        name=f"Signing {SCRIPT}", slug="signing", description=SCRIPT, venue=venue
    )
    party = PartyFactory(name=f"Party {SCRIPT}", slug="party", native_name=SCRIPT, aliases=SCRIPT)
    deal = DealFactory(
        title=f"Deal {SCRIPT}",
        slug="deal",
        summary=f"Summary {SCRIPT}",
        description=f"Description {SCRIPT}",
        ceremony=ceremony,
    )
    DealParty.objects.create(
        deal=deal,
        party=party,
        role=DealParty.Role.BUYER,
        signatory_name=SCRIPT,
        signatory_title=SCRIPT,
    )
    return deal


@pytest.mark.parametrize(
    "url", ["/deals/deal/", "/ceremonies/signing/", "/parties/party/", "/deals/", "/"]
)
def test_script_in_text_fields_is_shown_escaped_on_the_pages(client, hostile, url):
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in page
    assert ESCAPED in page


def test_script_in_text_fields_is_escaped_in_the_atom_feed(client, hostile):
    response = client.get("/feeds/deals/")
    feed = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in feed
    assert "&lt;script&gt;" in feed


def test_script_in_text_fields_is_plain_text_in_the_csv(client, hostile):
    response = client.get("/deals/csv/")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    [row] = csv_rows(response)
    assert row["title"] == f"Deal {SCRIPT}"


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@"])
def test_csv_cells_starting_with_a_formula_trigger_are_neutralised(client, db, trigger):
    DealFactory(title=f'{trigger}HYPERLINK("https://evil.example")', slug="formula")
    [row] = csv_rows(client.get("/deals/csv/"))
    assert row["title"] == f'\'{trigger}HYPERLINK("https://evil.example")'


# --- Chinese text ---------------------------------------------------------------------------


def test_chinese_text_round_trips_through_the_api_and_the_csv(
    client, token_client, editor, api_record
):
    api = token_client(editor)
    response = api.patch(
        f"{DEALS}{api_record.pledge.pk}/",
        {"title": "京东采购美国食品", "summary": "京东 三年内采购超过二十亿美元"},
        format="json",
    )
    assert response.status_code == 200, response.content
    api_record.pledge.refresh_from_db()
    assert api_record.pledge.title == "京东采购美国食品"

    read = api.get(f"{DEALS}{api_record.pledge.pk}/").json()
    assert read["title"] == "京东采购美国食品"
    assert read["summary"] == "京东 三年内采购超过二十亿美元"
    assert "京东采购美国食品" in json.dumps(read, ensure_ascii=False)

    rows = csv_rows(client.get("/deals/csv/"))
    assert "京东采购美国食品" in [row["title"] for row in rows]
