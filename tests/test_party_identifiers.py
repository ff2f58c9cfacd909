"""Party identifiers (issue 14, point 2): Wikidata QID, LEI, company register, stock
ticker, each checked by its scheme's rules in the model, the database, the admin, the
API and the import; shown on the party page as links; filterable; kept by backups; used
by the duplicate finder."""

import io

import pytest
import tablib
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from deals.admin.resources import PartyResource
from deals.models import Party, PartyIdentifier, lei_check_digits, parse_identifier
from deals.models.identifiers import lei_check
from tests.factories import DealFactory, DealPartyFactory, PartyFactory, PublishableDealFactory

API = "/api/v1/"
ADD = "/admin/deals/party/add/"
# A made-up LEI prefix: LOU code 5493, 12 characters of entity code; its check digits
# are computed by the function under test, then checked against the standard's rule.
PREFIX = "5493001KJTIIGC8Y1R"
LEI = PREFIX + lei_check_digits(PREFIX)
BAD_LEI = PREFIX + f"{(int(LEI[-2:]) + 1) % 100:02d}"


def identify(party, scheme, value):
    return PartyIdentifier.objects.create(party=party, scheme=scheme, value=value)


# --- the model: schemes, check digits, normalisation ----------------------------------


def test_the_check_digits_make_the_whole_lei_leave_1_modulo_97():
    assert len(LEI) == 20
    assert lei_check(LEI) == 1
    assert lei_check(BAD_LEI) != 1
    # The standard's own reading: letters as 10..35, the number mod 97.
    digits = "".join(str(int(c, 36)) for c in LEI)
    assert int(digits) % 97 == 1


@pytest.mark.parametrize(
    ("scheme", "value", "stored"),
    [
        ("qid", "Q66", "Q66"),
        ("qid", " q544847 ", "Q544847"),
        ("lei", LEI.lower(), LEI),
        ("lei", f" {LEI[:10]} {LEI[10:]} ", LEI),
        ("register", "US-SEC-CIK:12927", "us-sec-cik:0000012927"),
        ("register", "gb-coh: 00445790", "gb-coh:00445790"),
        ("register", "de-hrb:HRB 6324", "de-hrb:HRB6324"),
        ("ticker", " nyse:ba ", "NYSE:BA"),
        ("ticker", "HKEX:1810", "HKEX:1810"),
        ("ticker", "NYSE:brk.b", "NYSE:BRK.B"),
    ],
)
def test_a_good_identifier_is_stored_normalised(db, scheme, value, stored):
    identifier = PartyIdentifier(party=PartyFactory(), scheme=scheme, value=value)
    identifier.full_clean()
    identifier.save()
    identifier.refresh_from_db()
    assert identifier.value == stored


@pytest.mark.parametrize(
    ("scheme", "value", "message"),
    [
        ("qid", "Q0", "Not a Wikidata QID"),
        ("qid", "Q066", "Not a Wikidata QID"),
        ("qid", "P31", "Not a Wikidata QID"),
        ("qid", "Q66a", "Not a Wikidata QID"),
        ("lei", BAD_LEI, "check digits of this LEI are wrong"),
        ("lei", LEI[:19], "Not a LEI"),
        ("lei", LEI[:18] + "AB", "Not a LEI"),
        ("register", "0000012927", "Not a company register"),
        ("register", "xx-nowhere:123", "“xx” is none"),
        ("register", "us-sec-cik:12A", "us-sec-cik number has 10 digits"),
        ("register", "cn-uscc:9111", "cn-uscc number has 18 letters and digits"),
        ("ticker", "BA", "Not a stock ticker"),
        ("ticker", "NYSE:B_A", "Not a stock ticker"),
    ],
)
def test_a_bad_identifier_is_a_field_error_saying_why(db, scheme, value, message):
    identifier = PartyIdentifier(party=PartyFactory(), scheme=scheme, value=value)

    with pytest.raises(ValidationError) as raised:
        identifier.full_clean()

    assert list(raised.value.message_dict) == ["value"]
    assert message in raised.value.message_dict["value"][0]


# --- the database: patterns and one holder per identifier ----------------------------


@pytest.mark.parametrize(
    ("scheme", "value"),
    [("qid", "Q0"), ("qid", "Q66\n"), ("lei", "lowercase0000000000"), ("ticker", "nyse:ba")],
)
def test_the_database_refuses_an_identifier_off_its_pattern(db, scheme, value):
    identifier = identify(PartyFactory(), "qid", "Q66")

    with pytest.raises(IntegrityError), transaction.atomic():
        # update(): past save() and clean(), as a bulk load would be.
        PartyIdentifier.objects.filter(pk=identifier.pk).update(scheme=scheme, value=value)


def test_the_database_refuses_one_identifier_for_two_parties(db):
    identify(PartyFactory(), "lei", LEI)

    with pytest.raises(IntegrityError), transaction.atomic():
        PartyIdentifier.objects.bulk_create(
            [PartyIdentifier(party=PartyFactory(), scheme="lei", value=LEI)]
        )


def test_the_database_refuses_a_second_qid_for_one_party_but_not_a_second_ticker(db):
    party = PartyFactory()
    identify(party, "qid", "Q66")
    identify(party, "ticker", "NYSE:BABA")
    identify(party, "ticker", "HKEX:9988")

    with pytest.raises(IntegrityError), transaction.atomic():
        PartyIdentifier.objects.bulk_create(
            [PartyIdentifier(party=party, scheme="qid", value="Q7")]
        )
    assert party.identifiers.count() == 3


def test_the_same_id_in_two_schemes_is_two_identifiers(db):
    identify(PartyFactory(), "ticker", "HKEX:1810")
    identify(PartyFactory(), "register", "hk-cr:00001810")
    assert PartyIdentifier.objects.count() == 2


def test_an_identifier_held_by_another_party_is_a_certain_duplicate_named(db):
    boeing = PartyFactory(name="Boeing", slug="boeing")
    identify(boeing, "qid", "Q66")
    copy = PartyIdentifier(party=PartyFactory(name="Boeing Co"), scheme="qid", value="q66")

    with pytest.raises(ValidationError) as raised:
        copy.full_clean()

    [message] = raised.value.message_dict["value"]
    assert "Boeing (slug boeing) holds this Wikidata QID already" in message


# --- the admin --------------------------------------------------------------------------


def party_form(identifiers=(), **changes):
    data = {
        "name": "Airbus",
        "slug": "airbus",
        "native_name": "",
        "aliases": "",
        "country": "FR",
        "kind": "company",
        "parent": "",
        "website": "",
        "deal_parties-TOTAL_FORMS": "0",
        "deal_parties-INITIAL_FORMS": "0",
        "identifiers-TOTAL_FORMS": str(len(identifiers)),
        "identifiers-INITIAL_FORMS": "0",
    }
    for index, (scheme, value) in enumerate(identifiers):
        data[f"identifiers-{index}-scheme"] = scheme
        data[f"identifiers-{index}-value"] = value
    return {**data, **changes}


def inline_errors(response):
    [formset] = [
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "identifiers"
    ]
    return [form.errors for form in formset.forms]


def test_the_admin_refuses_bad_lei_check_digits_with_a_field_error(editor_client):
    response = editor_client.post(ADD, party_form([("qid", "Q67"), ("lei", BAD_LEI)]))

    assert response.status_code == 200
    errors = inline_errors(response)
    assert errors[0] == {}
    assert "check digits of this LEI are wrong" in errors[1]["value"][0]
    assert not Party.objects.filter(slug="airbus").exists()
    assert not PartyIdentifier.objects.exists()


def test_the_admin_saves_good_identifiers_normalised(editor_client):
    response = editor_client.post(ADD, party_form([("lei", LEI.lower()), ("ticker", "epa:air")]))

    assert response.status_code == 302
    party = Party.objects.get(slug="airbus")
    assert [str(i) for i in party.identifiers.all()] == [f"lei:{LEI}", "ticker:EPA:AIR"]


def test_the_admin_names_the_party_that_holds_an_identifier_already(editor_client):
    identify(PartyFactory(name="Airbus SE", slug="airbus-se"), "qid", "Q67")

    response = editor_client.post(ADD, party_form([("qid", "Q67")]))

    assert response.status_code == 200
    assert "Airbus SE (slug airbus-se) holds this" in inline_errors(response)[0]["value"][0]
    assert not Party.objects.filter(slug="airbus").exists()


def test_the_admin_duplicate_list_shows_the_candidates_identifiers(editor_client):
    held = PartyFactory(name="Airbus", slug="airbus-group")
    identify(held, "qid", "Q67")

    response = editor_client.post(ADD, party_form())

    assert response.status_code == 200
    assert "<td>qid:Q67</td>" in response.content.decode()


# --- the API ----------------------------------------------------------------------------


def test_the_api_refuses_bad_lei_check_digits_naming_the_field(token_client, editor):
    client = token_client(editor)
    body = {
        "name": "Airbus",
        "slug": "airbus",
        "identifiers": [{"scheme": "qid", "value": "Q67"}, {"scheme": "lei", "value": BAD_LEI}],
    }

    response = client.post(f"{API}parties/", body, format="json")

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert list(fields) == ["identifiers[1].value"]
    assert "check digits of this LEI are wrong" in fields["identifiers[1].value"][0]
    assert not Party.objects.filter(name="Airbus").exists()


def test_the_api_refuses_a_bad_qid_and_an_unknown_scheme(token_client, editor):
    client = token_client(editor)
    body = {
        "name": "Airbus",
        "slug": "airbus",
        "identifiers": [{"scheme": "qid", "value": "Q0"}, {"scheme": "duns", "value": "1"}],
    }

    fields = client.post(f"{API}parties/", body, format="json").json()["error"]["fields"]

    assert set(fields) == {"identifiers[0].value", "identifiers[1].scheme"}


def test_the_api_writes_reads_and_replaces_identifiers(token_client, editor):
    client = token_client(editor)
    body = {
        "name": "Boeing",
        "slug": "boeing",
        "identifiers": [
            {"scheme": "qid", "value": "q66"},
            {"scheme": "register", "value": "us-sec-cik:12927"},
        ],
    }

    created = client.post(f"{API}parties/", body, format="json")

    assert created.status_code == 201, created.content
    assert created.json()["identifiers"] == [
        {"scheme": "qid", "value": "Q66", "url": "https://www.wikidata.org/wiki/Q66"},
        {
            "scheme": "register",
            "value": "us-sec-cik:0000012927",
            "url": "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=0000012927",
        },
    ]
    party = Party.objects.get(name="Boeing")
    url = f"{API}parties/{party.pk}/"
    # What a client reads it may write back unchanged.
    again = client.patch(url, {"identifiers": created.json()["identifiers"]}, format="json")
    assert again.status_code == 200, again.content

    replaced = client.patch(
        url, {"identifiers": [{"scheme": "ticker", "value": "nyse:ba"}]}, format="json"
    )

    assert replaced.status_code == 200
    assert [str(i) for i in party.identifiers.all()] == ["ticker:NYSE:BA"]
    renamed = client.patch(url, {"website": "https://www.boeing.com"}, format="json")
    assert renamed.status_code == 200
    assert [str(i) for i in party.identifiers.all()] == ["ticker:NYSE:BA"]


def test_the_api_refuses_an_identifier_another_party_holds(token_client, editor):
    identify(PartyFactory(name="Boeing", slug="boeing"), "qid", "Q66")
    body = {
        "name": "Reignwood",
        "slug": "reignwood",
        "identifiers": [{"scheme": "qid", "value": "q66"}],
    }

    response = token_client(editor).post(f"{API}parties/", body, format="json")

    assert response.status_code == 400
    [message] = response.json()["error"]["fields"]["identifiers[0].value"]
    assert "Boeing (slug boeing) holds this" in message
    assert not Party.objects.filter(name="Reignwood").exists()


def test_the_api_refuses_two_leis_for_one_party(token_client, editor):
    other = LEI[:17] + "X"
    other += lei_check_digits(other)
    body = {
        "name": "Reignwood",
        "slug": "reignwood",
        "identifiers": [{"scheme": "lei", "value": LEI}, {"scheme": "lei", "value": other}],
    }

    response = token_client(editor).post(f"{API}parties/", body, format="json")

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields == {
        "identifiers[1].scheme": ["A party has one Wikidata QID and one LEI at most."]
    }
    assert not Party.objects.filter(name="Reignwood").exists()


def test_a_likely_duplicate_409_lists_the_candidates_identifiers(token_client, editor):
    identify(PartyFactory(name="Boeing", slug="boeing"), "qid", "Q66")

    response = token_client(editor).post(
        f"{API}parties/", {"name": "Boeing Inc.", "slug": "boeing-inc"}, format="json"
    )

    assert response.status_code == 409
    [candidate] = response.json()["error"]["candidates"]
    assert candidate["identifiers"] == ["qid:Q66"]


def test_parties_filter_by_identifier(api_client, db):
    boeing = PartyFactory(slug="boeing")
    identify(boeing, "lei", LEI)
    identify(PartyFactory(slug="other"), "qid", "Q1")

    found = api_client.get(f"{API}parties/", {"identifier": f"lei:{LEI.lower()}"})
    none = api_client.get(f"{API}parties/", {"identifier": "qid:Q66"})

    assert [p["slug"] for p in found.json()["results"]] == ["boeing"]
    assert none.json()["results"] == []


def test_deals_filter_by_a_partys_identifier_and_never_show_a_draft(api_client, db):
    boeing = PartyFactory(slug="boeing")
    identify(boeing, "ticker", "NYSE:BA")
    signed = PublishableDealFactory(slug="signed", party=boeing)
    draft = DealFactory(slug="draft", is_published=False)
    DealPartyFactory(deal=draft, party=boeing)
    PublishableDealFactory(slug="someone-else")

    response = api_client.get(f"{API}deals/", {"identifier": "ticker:nyse:ba"})

    assert response.status_code == 200
    assert [d["slug"] for d in response.json()["results"]] == [signed.slug]


@pytest.mark.parametrize("written", ["lei", "duns:123", ":Q1", "qid:", "x" * 200])
def test_an_identifier_filter_that_cannot_be_read_is_a_400_naming_it(api_client, db, written):
    for resource in ("parties", "deals"):
        response = api_client.get(f"{API}{resource}/", {"identifier": written})

        assert response.status_code == 400
        assert list(response.json()["error"]["fields"]) == ["identifier"]


def test_parse_identifier_splits_at_the_first_colon_only():
    assert parse_identifier("register:US-SEC-CIK:12927") == ("register", "us-sec-cik:0000012927")
    assert parse_identifier("Ticker:hkex:1810") == ("ticker", "HKEX:1810")


def test_the_schema_documents_the_identifier_filter_and_field(api_client, db):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/parties/"]["get"]["parameters"]}
    deal_parameters = {p["name"] for p in schema["paths"]["/api/v1/deals/"]["get"]["parameters"]}

    assert "identifier" in parameters
    assert "identifier" in deal_parameters
    assert "identifiers" in schema["components"]["schemas"]["Party"]["properties"]


# --- the party page ---------------------------------------------------------------------


def test_the_party_page_links_its_identifiers(client, db):
    boeing = PartyFactory(name="Boeing", slug="boeing")
    PublishableDealFactory(party=boeing)
    for scheme, value in [
        ("qid", "Q66"),
        ("lei", LEI),
        ("register", "us-sec-cik:0000012927"),
        ("ticker", "NYSE:BA"),
    ]:
        identify(boeing, scheme, value)

    html = client.get("/parties/boeing/").content.decode()

    assert '<a href="https://www.wikidata.org/wiki/Q66"' in html
    assert f'<a href="https://search.gleif.org/#/record/{LEI}"' in html
    assert (
        '<a href="https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&amp;CIK=0000012927"'
        in html
    )
    assert '<span class="identifier">NYSE:BA</span>' in html
    assert "Stock ticker: " in html


def queries_for(client, path, **params):
    cache.clear()  # with the public cache on, measure the answer made, not remembered
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(queries)


def test_the_party_page_costs_the_same_queries_for_1_and_12_identifiers(client, db):
    party = PartyFactory(slug="many")
    PublishableDealFactory(party=party)
    identify(party, "qid", "Q66")
    client.get("/parties/many/")  # the kept figures made once
    one = queries_for(client, "/parties/many/")
    for number in range(11):
        identify(party, "ticker", f"X{number:02d}:BA")

    assert queries_for(client, "/parties/many/") == one


def test_the_party_api_list_costs_the_same_queries_for_3_and_30_parties(api_client, db):
    def add(count):
        for _ in range(count):
            party = PartyFactory()
            identify(party, "ticker", f"NYSE:P{party.pk}")
            identify(party, "qid", f"Q{party.pk}")

    add(3)
    few = queries_for(api_client, f"{API}parties/", page_size=100)
    add(27)
    assert queries_for(api_client, f"{API}parties/", page_size=100) == few


# --- import, export and backups ----------------------------------------------------------


def test_parties_export_and_import_their_identifiers(db):
    boeing = PartyFactory(name="Boeing", slug="boeing")
    identify(boeing, "qid", "Q66")
    identify(boeing, "ticker", "NYSE:BA")

    exported = PartyResource().export()
    [row] = exported.dict
    assert row["identifiers"] == "qid:Q66; ticker:NYSE:BA"

    boeing.delete()
    result = PartyResource().import_data(exported, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    restored = Party.objects.get(slug="boeing")
    assert [str(i) for i in restored.identifiers.all()] == ["qid:Q66", "ticker:NYSE:BA"]


def test_an_import_row_with_a_bad_identifier_is_an_error_on_its_row(db):
    dataset = tablib.Dataset(headers=["name", "slug", "identifiers"])
    dataset.append(["Airbus", "airbus", f"qid:Q67; lei:{BAD_LEI}"])
    dataset.append(["Boeing", "boeing", "duns:123"])

    result = PartyResource().import_data(dataset, dry_run=False)

    [airbus, boeing] = result.invalid_rows
    assert "check digits of this LEI are wrong" in " ".join(airbus.error_dict["identifiers"])
    assert "“duns:123”" in " ".join(boeing.error_dict["identifiers"])
    assert not Party.objects.exists()
    assert not PartyIdentifier.objects.exists()


def test_an_import_row_changing_only_identifiers_updates_them(db):
    boeing = PartyFactory(name="Boeing", slug="boeing", country="US")
    identify(boeing, "qid", "Q66")
    exported = PartyResource().export()
    dataset = tablib.Dataset(headers=exported.headers)
    dataset.append(
        [
            {"identifiers": "ticker:NYSE:BA"}.get(h, v)
            for h, v in zip(exported.headers, exported[0], strict=True)
        ]
    )

    result = PartyResource().import_data(dataset, dry_run=False)

    assert result.totals["update"] == 1
    assert [str(i) for i in boeing.identifiers.all()] == ["ticker:NYSE:BA"]


def test_a_backup_round_trip_keeps_identifiers(db, tmp_path):
    from tests.test_backups import remove_record, snapshot

    boeing = PartyFactory(name="Boeing", slug="boeing")
    identify(boeing, "lei", LEI)
    before = snapshot()
    call_command("export_dataset", str(tmp_path), stdout=io.StringIO())
    remove_record()
    assert not PartyIdentifier.objects.exists()

    call_command("import_dataset", str(tmp_path), stdout=io.StringIO())

    assert snapshot() == before
    assert [str(i) for i in Party.objects.get(slug="boeing").identifiers.all()] == [f"lei:{LEI}"]


# --- the duplicate finder -----------------------------------------------------------------


def test_a_party_with_another_qid_is_no_likely_duplicate_however_alike_the_name(db):
    bank = PartyFactory(name="Bank of China", slug="boc")
    identify(bank, "qid", "Q790068")
    plain = PartyFactory(name="Bank of China Ltd", slug="boc-ltd")  # no identifiers

    found = Party.objects.likely_duplicates_of(name="Bank of China", identifiers=[("qid", "Q1")])
    same = Party.objects.likely_duplicates_of(
        name="Bank of China", identifiers=[("qid", "q790068")]
    )

    assert [c.party for c in found] == [plain]
    assert {c.party for c in same} == {bank, plain}


def test_the_api_creates_a_party_alike_in_name_but_with_another_lei(token_client, editor):
    held = PartyFactory(name="Boeing", slug="boeing")
    identify(held, "lei", LEI)
    other = LEI[:17] + "X"
    other += lei_check_digits(other)
    body = {"name": "Boeing Inc.", "slug": "boeing-inc"}

    alike = token_client(editor).post(f"{API}parties/", body, format="json")
    distinct = token_client(editor).post(
        f"{API}parties/",
        {**body, "identifiers": [{"scheme": "lei", "value": other}]},
        format="json",
    )

    assert alike.status_code == 409
    assert distinct.status_code == 201, distinct.content
    assert Party.objects.get(slug="boeing-inc").identifiers.get().value == other


def test_the_admin_saves_a_party_alike_in_name_but_with_another_qid(editor_client):
    identify(PartyFactory(name="Airbus", slug="airbus-group"), "qid", "Q67")

    alike = editor_client.post(ADD, party_form([("qid", "Q67")]))
    distinct = editor_client.post(ADD, party_form([("qid", "Q2311")]))

    assert alike.status_code == 200
    assert distinct.status_code == 302
    assert Party.objects.get(slug="airbus").identifiers.get().value == "Q2311"


def test_the_demo_gives_boeing_its_wikidata_item_and_reloads_without_a_second(db):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    assert [str(i) for i in Party.objects.get(slug="boeing").identifiers.all()] == ["qid:Q66"]
    assert PartyIdentifier.objects.count() == 1


def test_merging_parties_moves_their_identifiers_to_the_one_that_stays(db, editor):
    from deals.services import merge_parties

    boeing = PartyFactory(name="Boeing", slug="boeing")
    twin = PartyFactory(name="Boeing Co", slug="boeing-co")
    identify(boeing, "qid", "Q66")
    identify(twin, "ticker", "NYSE:BA")

    result = merge_parties(boeing, [twin], user=editor)

    assert result.moved_identifiers == 1
    assert [str(i) for i in boeing.identifiers.all()] == ["qid:Q66", "ticker:NYSE:BA"]


def test_parties_with_different_qids_are_not_merged(db, editor_client):
    one = PartyFactory(name="Bank of China", slug="boc")
    two = PartyFactory(name="Bank of China (Hong Kong)", slug="boc-hk")
    identify(one, "qid", "Q790068")
    identify(two, "qid", "Q1")
    DealPartyFactory(party=two)

    response = editor_client.post(
        "/admin/deals/party/merge/",
        {"ids": f"{one.pk},{two.pk}", "survivor": one.pk},
        follow=True,
    )

    assert response.status_code == 200
    assert "they are distinct organisations, so they were not merged" in response.content.decode()
    assert Party.objects.filter(pk=two.pk).exists()
    assert two.identifiers.get().value == "Q1"
    assert two.deal_parties.count() == 1
