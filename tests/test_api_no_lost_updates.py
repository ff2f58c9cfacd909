"""No lost updates through the API: a deal is read with its ETag, and a write sent with
If-Match is refused 412 when someone else changed the deal in between."""

from deals.models import Deal

DEALS = "/api/v1/deals/"


def test_a_deal_is_read_with_an_etag(api_client, api_record):
    response = api_client.get(f"{DEALS}{api_record.pledge.pk}/")
    assert response.status_code == 200
    assert response.headers["ETag"] == api_record.pledge.etag()


def test_a_write_with_the_current_etag_goes_through_and_answers_the_new_etag(
    token_client, editor, api_record
):
    client = token_client(editor)
    url = f"{DEALS}{api_record.pledge.pk}/"
    etag = client.get(url).headers["ETag"]

    response = client.patch(url, {"summary": "Beef and pork"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200, response.content
    api_record.pledge.refresh_from_db()
    assert api_record.pledge.summary == "Beef and pork"
    assert response.headers["ETag"] == api_record.pledge.etag() != etag


def test_a_write_with_a_stale_etag_is_refused_412_and_changes_nothing(
    token_client, editor, api_record
):
    client = token_client(editor)
    url = f"{DEALS}{api_record.pledge.pk}/"
    stale = client.get(url).headers["ETag"]
    assert client.patch(url, {"summary": "First writer"}, format="json").status_code == 200

    response = client.patch(url, {"summary": "Second writer"}, format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert response.json()["error"]["code"] == "precondition_failed"
    api_record.pledge.refresh_from_db()
    assert api_record.pledge.summary == "First writer"


def test_a_changed_party_list_changes_the_etag(token_client, editor, api_record):
    client = token_client(editor)
    url = f"{DEALS}{api_record.helicopters.pk}/"
    before = client.get(url).headers["ETag"]
    parties = [{"party": "reignwood", "role": "buyer"}]
    assert client.patch(url, {"parties": parties}, format="json").status_code == 200
    assert client.get(url).headers["ETag"] != before


def test_a_delete_with_a_stale_etag_is_refused_412(token_client, editor, api_record):
    client = token_client(editor)
    url = f"{DEALS}{api_record.fair.pk}/"
    stale = client.get(url).headers["ETag"]
    client.patch(url, {"summary": "Changed"}, format="json")

    response = client.delete(url, HTTP_IF_MATCH=stale)

    assert response.status_code == 412
    assert Deal.objects.filter(pk=api_record.fair.pk).exists()


def test_if_match_star_or_no_if_match_writes_as_before(token_client, editor, api_record):
    client = token_client(editor)
    url = f"{DEALS}{api_record.pledge.pk}/"
    star = client.patch(url, {"summary": "Any"}, format="json", HTTP_IF_MATCH="*")
    plain = client.patch(url, {"summary": "None"}, format="json")
    assert (star.status_code, plain.status_code) == (200, 200)
    api_record.pledge.refresh_from_db()
    assert api_record.pledge.summary == "None"


# --- conditional GET: If-None-Match ---------------------------------------------------


def test_a_get_with_the_current_etag_answers_304_without_a_body(api_client, api_record):
    url = f"{DEALS}{api_record.pledge.pk}/"
    etag = api_client.get(url).headers["ETag"]

    for header in (etag, f'"stale", {etag}', f"W/{etag}", "*"):
        response = api_client.get(url, HTTP_IF_NONE_MATCH=header)
        assert response.status_code == 304, header
        assert response.headers["ETag"] == etag
        assert response.content == b""


def test_a_get_with_a_stale_etag_answers_200_with_the_deal(token_client, editor, api_record):
    client = token_client(editor)
    url = f"{DEALS}{api_record.pledge.pk}/"
    stale = client.get(url).headers["ETag"]
    assert client.patch(url, {"summary": "Changed"}, format="json").status_code == 200

    response = client.get(url, HTTP_IF_NONE_MATCH=stale)

    assert response.status_code == 200
    assert response.json()["summary"] == "Changed"
    assert response.headers["ETag"] == Deal.objects.get(pk=api_record.pledge.pk).etag() != stale


def test_a_draft_stays_404_to_anonymous_clients_whatever_if_none_match_says(api_client, api_record):
    url = f"{DEALS}{api_record.draft.pk}/"
    for header in (api_record.draft.etag(), "*"):
        response = api_client.get(url, HTTP_IF_NONE_MATCH=header)
        assert response.status_code == 404
        assert "ETag" not in response.headers
