"""A party that looks like one already held is warned of before it exists: the API
answers 409 naming it, unless the client confirms the two are distinct."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deals.models import Party, PartyNameKey, party_name_key
from tests.factories import PartyFactory

PARTIES = "/api/v1/parties/"


def error(response):
    return response.json()["error"]


# --- what counts as the same name ---------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Boeing", "BOEING"),
        ("Boeing", "The Boeing Company"),
        ("Boeing", "Boeing Co., Ltd."),
        ("Boeing", "Ｂｏｅｉｎｇ Inc."),  # full-width letters
        ("Nestlé", "Nestle S.A."),
        ("J.P. Morgan", "JP Morgan"),
        ("Procter & Gamble", "Procter and Gamble Co."),
        ("Goldman  Sachs", "Goldman-Sachs Group, Inc."),
        ("京东", "京东集团股份有限公司"),
        ("中国投资", "中国投资有限责任公司"),
    ],
)
def test_names_that_differ_only_in_case_punctuation_width_and_legal_suffix_are_one(first, second):
    assert party_name_key(first) == party_name_key(second) != ""


@pytest.mark.parametrize(
    ("first", "second"),
    [("Boeing", "Boeing Capital"), ("China Mobile", "China Unicom"), ("JD.com", "JD Logistics")],
)
def test_names_that_differ_in_a_word_that_tells_them_apart_are_not(first, second):
    assert party_name_key(first) != party_name_key(second)


SUFFIXES = st.sampled_from(["", " Inc.", " Co., Ltd.", " Corporation", " Limited", "有限公司"])


@given(
    name=st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=20),
    suffix=SUFFIXES,
    upper=st.booleans(),
    spaced=st.booleans(),
)
def test_a_key_ignores_case_spacing_and_a_legal_suffix(name, suffix, upper, spaced):
    variant = (name.upper() if upper else name) + suffix
    if spaced:
        variant = f"  {variant.replace(' ', '   ')} "
    base = party_name_key(name)
    # A name that is itself a suffix word ("Inc") keys to ""; otherwise the suffix and
    # the spelling never change the key.
    if base and base == party_name_key(name.upper()):
        assert party_name_key(variant) == base


@given(st.text(max_size=60))
def test_a_key_is_always_normalised_and_stable(text):
    key = party_name_key(text)
    assert key == key.strip()
    assert "  " not in key
    assert party_name_key(key) == key


# --- the lookup ------------------------------------------------------------------------


def test_saving_a_party_writes_its_name_keys_and_a_rename_rewrites_them(db):
    party = PartyFactory(name="Boeing Co.", native_name="波音", aliases="Boeing Commercial")
    assert set(party.name_keys_held.values_list("field", "key")) == {
        ("name", "boeing"),
        ("native_name", "波音"),
        ("aliases", "boeing commercial"),
    }
    party.name = "Airbus SE"
    party.aliases = ""
    party.save()
    assert set(party.name_keys_held.values_list("field", "key")) == {
        ("name", "airbus"),
        ("native_name", "波音"),
    }


def test_a_likely_duplicate_is_found_by_name_alias_or_native_name(db):
    boeing = PartyFactory(name="Boeing")
    jd = PartyFactory(name="Jingdong Mall", native_name="京东", aliases="JD.com")
    PartyFactory(name="Airbus")

    [by_name] = Party.objects.likely_duplicates_of(name="The Boeing Company")
    assert (by_name.party, by_name.field, by_name.matched) == (boeing, "name", "name")
    [by_alias] = Party.objects.likely_duplicates_of(name="JD.com, Inc.")
    assert (by_alias.party, by_alias.field, by_alias.matched) == (jd, "name", "aliases")
    [by_native] = Party.objects.likely_duplicates_of(name="Jing Dong", native_name="京东有限公司")
    assert (by_native.party, by_native.field, by_native.matched) == (
        jd,
        "native_name",
        "native_name",
    )
    assert Party.objects.likely_duplicates_of(name="Bombardier") == []


def test_a_party_is_not_a_duplicate_of_itself_its_parent_or_its_subsidiary(db):
    textron = PartyFactory(name="Textron")
    bell = PartyFactory(name="Bell", aliases="Textron Group", parent=textron)
    assert bell.likely_duplicates() == []
    assert textron.likely_duplicates() == []
    assert [c.party for c in Party.objects.likely_duplicates_of(name="Textron")] == [bell, textron]


def test_the_lookup_takes_one_query_however_many_parties(db, django_assert_num_queries):
    PartyFactory.create_batch(30)
    PartyFactory(name="Boeing")
    with django_assert_num_queries(1):
        assert len(Party.objects.likely_duplicates_of(name="Boeing Inc.", aliases="x\ny")) == 1


def test_refresh_name_keys_rebuilds_keys_a_bulk_load_left_out(db):
    party = PartyFactory(name="Boeing")
    PartyNameKey.objects.all().delete()
    assert Party.objects.likely_duplicates_of(name="Boeing") == []
    Party.objects.all().refresh_name_keys()
    assert [c.party for c in Party.objects.likely_duplicates_of(name="Boeing")] == [party]


# --- the API -----------------------------------------------------------------------------


def test_the_api_refuses_a_likely_duplicate_with_409_naming_the_party(
    api_record, token_client, editor
):
    boeing = api_record.boeing
    response = token_client(editor).post(
        PARTIES, {"name": "The Boeing Company", "slug": "boeing-2"}, format="json"
    )

    assert response.status_code == 409
    body = error(response)
    assert body["code"] == "likely_duplicate"
    assert "Boeing (id" in body["message"] and "confirm_distinct" in body["message"]
    assert body["fields"] == {"name": [f"Matches the name of Boeing (id {boeing.pk})."]}
    assert body["candidates"] == [
        {
            "id": boeing.pk,
            "name": "Boeing",
            "url": f"http://testserver/api/v1/parties/{boeing.pk}/",
            "field": "name",
            "matched": "name",
            "identifiers": [],
        }
    ]
    assert not Party.objects.filter(slug="boeing-2").exists()


def test_the_api_names_an_alias_or_native_name_that_matched(api_record, token_client, editor):
    response = token_client(editor).post(
        PARTIES, {"name": "Jingdong", "slug": "jingdong", "aliases": ["JD.com Inc."]}, format="json"
    )
    assert response.status_code == 409
    [candidate] = error(response)["candidates"]
    assert (candidate["id"], candidate["field"], candidate["matched"]) == (
        api_record.jd.pk,
        "aliases",
        "name",
    )
    response = token_client(editor).post(
        PARTIES, {"name": "Jingdong", "slug": "jingdong", "native_name": "京东"}, format="json"
    )
    assert error(response)["candidates"][0]["matched"] == "native_name"


def test_confirm_distinct_creates_the_party_and_is_not_stored(api_record, token_client, editor):
    response = token_client(editor).post(
        PARTIES,
        {"name": "Boeing", "slug": "boeing-gym", "country": "CN", "confirm_distinct": True},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert "confirm_distinct" not in response.json()
    created = Party.objects.get(slug="boeing-gym")
    assert (created.name, created.country.code) == ("Boeing", "CN")
    assert Party.objects.filter(name="Boeing").count() == 2


def test_a_party_unlike_any_other_is_created_without_confirming(api_record, token_client, editor):
    response = token_client(editor).post(
        PARTIES, {"name": "Qualcomm", "slug": "qualcomm"}, format="json"
    )
    assert response.status_code == 201
    assert Party.objects.filter(slug="qualcomm").exists()


def test_renaming_into_a_likely_duplicate_is_refused_by_put_and_patch(
    api_record, token_client, editor
):
    client = token_client(editor)
    reignwood = api_record.reignwood
    url = f"{PARTIES}{reignwood.pk}/"
    response = client.patch(url, {"name": "Boeing Inc."}, format="json")
    assert response.status_code == 409
    assert error(response)["candidates"][0]["id"] == api_record.boeing.pk
    response = client.put(url, {"name": "BOEING", "slug": "reignwood"}, format="json")
    assert response.status_code == 409
    reignwood.refresh_from_db()
    assert reignwood.name == "Reignwood"

    response = client.patch(url, {"name": "Boeing Inc.", "confirm_distinct": True}, format="json")
    assert response.status_code == 200
    reignwood.refresh_from_db()
    assert reignwood.name == "Boeing Inc."


def test_a_write_that_keeps_the_names_is_not_checked_again(api_record, token_client, editor):
    twin = PartyFactory(name="Boeing", slug="boeing-twin")  # saved past the check before
    response = token_client(editor).patch(
        f"{PARTIES}{twin.pk}/", {"country": "CN", "name": "Boeing"}, format="json"
    )
    assert response.status_code == 200
    twin.refresh_from_db()
    assert twin.country.code == "CN"


def test_a_client_without_rights_learns_nothing_from_a_duplicate(api_record, api_client):
    response = api_client.post(PARTIES, {"name": "Boeing", "slug": "b"}, format="json")
    assert response.status_code == 401
    assert "candidates" not in error(response)


def test_the_schema_documents_confirm_distinct_and_the_409(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    party = schema["components"]["schemas"]["PartyRequest"]["properties"]
    assert party["confirm_distinct"]["type"] == "boolean"
    assert party["confirm_distinct"]["writeOnly"] is True
    assert "confirm_distinct" not in schema["components"]["schemas"]["Party"]["properties"]
    post = schema["paths"]["/api/v1/parties/"]["post"]["responses"]["409"]
    assert "candidates" in post["description"]
    assert (
        "candidates"
        in schema["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
    )


# --- the admin ---------------------------------------------------------------------------

ADD = "/admin/deals/party/add/"


def party_form(**changes):
    data = {
        "name": "The Boeing Company",
        "slug": "boeing-company",
        "native_name": "",
        "aliases": "",
        "country": "US",
        "kind": "company",
        "parent": "",
        "website": "",
        "deal_parties-TOTAL_FORMS": "0",
        "deal_parties-INITIAL_FORMS": "0",
        "identifiers-TOTAL_FORMS": "0",
        "identifiers-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_the_add_form_lists_likely_duplicates_and_saves_nothing(db, editor_client):
    boeing = PartyFactory(name="Boeing", slug="boeing", aliases="Boeing Commercial Airplanes")

    response = editor_client.post(ADD, party_form())

    assert response.status_code == 200
    html = response.content.decode()
    assert "look like this one" in html
    assert f'href="/admin/deals/party/{boeing.pk}/change/"' in html
    assert 'href="/parties/boeing/"' in html
    assert "your name ↔ its name" in html
    assert response.context["adminform"].form.errors["confirm_distinct"] == [
        "This looks like Boeing, listed above. Use that party, or tick this box if they "
        "are different organisations."
    ]
    assert 'type="checkbox" name="confirm_distinct"' in html
    assert not Party.objects.filter(slug="boeing-company").exists()


def test_the_add_form_saves_a_likely_duplicate_once_confirmed_distinct(db, editor_client):
    PartyFactory(name="Boeing", slug="boeing")

    response = editor_client.post(ADD, party_form(confirm_distinct="on"))

    assert response.status_code == 302
    assert Party.objects.get(slug="boeing-company").name == "The Boeing Company"


def test_the_add_form_saves_a_party_unlike_any_other_as_before(db, editor_client):
    PartyFactory(name="Airbus", slug="airbus")
    blank = editor_client.get(ADD).content.decode()
    assert 'type="hidden" name="confirm_distinct"' in blank  # nothing to confirm yet

    response = editor_client.post(ADD, party_form())

    assert response.status_code == 302
    assert Party.objects.filter(slug="boeing-company").exists()


def test_the_change_form_checks_a_rename_but_not_other_edits(db, editor_client):
    PartyFactory(name="Boeing", slug="boeing")
    twin = PartyFactory(name="Boeing", slug="boeing-twin", country="US")  # held already
    other = PartyFactory(name="Reignwood", slug="reignwood", country="CN")
    change = "/admin/deals/party/{}/change/"

    kept = editor_client.post(
        change.format(twin.pk), party_form(name="Boeing", slug="boeing-twin", country="CN")
    )
    assert kept.status_code == 302
    twin.refresh_from_db()
    assert twin.country.code == "CN"

    renamed = editor_client.post(
        change.format(other.pk), party_form(name="BOEING Inc.", slug="reignwood", country="CN")
    )
    assert renamed.status_code == 200
    assert "confirm_distinct" in renamed.context["adminform"].form.errors
    other.refresh_from_db()
    assert other.name == "Reignwood"

    confirmed = editor_client.post(
        change.format(other.pk),
        party_form(name="BOEING Inc.", slug="reignwood", country="CN", confirm_distinct="on"),
    )
    assert confirmed.status_code == 302
    other.refresh_from_db()
    assert other.name == "BOEING Inc."


# --- the import --------------------------------------------------------------------------


def test_an_import_row_creating_a_likely_duplicate_is_an_error_naming_the_party(editor_client):
    from tests.test_import_export import csv_file, preview, problems

    PartyFactory(name="Boeing", slug="boeing")
    PartyFactory(name="Jingdong", slug="jingdong", native_name="京东")
    text = """
name,native_name,country
The Boeing Company,,US
JD,京东有限公司,CN
Qualcomm,,US
Qualcomm Inc.,,US
"""
    response = preview(editor_client, "party", csv_file(text, "parties.csv"))

    found = problems(response)
    assert [(row, column) for row, column, _ in found] == [
        (2, "name"),
        (3, "native_name"),
        (5, "name"),
    ]
    assert found[0][2].startswith("Looks like the party “Boeing” (slug boeing): same name")
    assert "“Jingdong” (slug jingdong): same native name" in found[1][2]
    assert "“Qualcomm” (slug qualcomm)" in found[2][2]  # a row earlier in the same file
    assert "confirm_distinct" in response.content.decode()
    assert not Party.objects.filter(name__startswith="Qualcomm").exists()


def test_an_import_row_confirmed_distinct_creates_the_party(editor_client):
    from tests.test_import_export import confirm, csv_file, preview

    PartyFactory(name="Boeing", slug="boeing")
    text = "name,slug,country,confirm_distinct\nBoeing Inc.,boeing-gym,CN,1\nAirbus,,FR,"

    response = confirm(editor_client, "party", preview(editor_client, "party", csv_file(text)))

    assert response.status_code == 302
    assert Party.objects.get(slug="boeing-gym").country.code == "CN"
    assert Party.objects.filter(slug="airbus").exists()


def test_an_unreadable_confirm_distinct_cell_is_an_error(editor_client):
    from tests.test_import_export import csv_file, preview, problems

    text = "name,confirm_distinct\nAirbus,perhaps"
    [(row, column, message)] = problems(preview(editor_client, "party", csv_file(text)))
    assert (row, column) == (2, "confirm_distinct")
    assert "not yes or no" in message


def test_the_lookup_reads_only_the_matching_keys_unless_narrowed(db, django_assert_num_queries):
    cn = PartyFactory(name="Boeing", country="CN")
    PartyFactory(name="Boeing", country="US")
    with django_assert_num_queries(1) as queries:
        assert len(Party.objects.likely_duplicates_of(name="Boeing")) == 2
    assert " IN (SELECT" not in queries.captured_queries[0]["sql"].upper()
    narrowed = Party.objects.filter(country="CN").likely_duplicates_of(name="Boeing")
    assert [candidate.party for candidate in narrowed] == [cn]
