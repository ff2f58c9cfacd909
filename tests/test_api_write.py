"""Writing through /api/v1/: who may, and a deal written whole or not at all."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from deals.models import Deal, DealParty, Party, Source, StatusUpdate
from tests.factories import DealFactory, UserFactory

API = "/api/v1/"
DEALS = f"{API}deals/"


def error(response):
    return response.json()["error"]


def new_deal(**changes):
    """A deal as a client would send it: parties by slug and id, a new source by url."""
    data = {
        "title": "Boeing to sell 300 aircraft to China Aviation Supplies",
        "slug": "boeing-300-aircraft",
        "sector": "manufacture-of-other-transport-equipment",
        "ceremony": "great-hall-signings",
        "signed_on": "2017-11-09",
        # The ceremony was on 8 November: signed the day after.
        "ceremony_signing": "later",
        "instrument": "framework_agreement",
        "parties": [
            {"party": "boeing", "role": "seller", "signatory_name": "Kevin McAllister"},
            {"party": "jd-com", "role": "buyer"},
        ],
        "value": {
            "amount": "37000000000",
            "currency": "USD",
            "qualifier": "exact",
            "basis": "list_price",
            "stated_by": "company",
        },
        "term": {"months": 24},
        "sources": [
            {
                "url": "https://news.example.org/boeing-300",
                "publisher": "Reuters",
                "title": "China to buy 300 Boeing aircraft",
                "published_on": "2017-11-09",
                "quote": "300 Boeing aircraft valued at $37 billion",
            }
        ],
    }
    data.update(changes)
    return data


# --- who may write --------------------------------------------------------------------


def test_an_anonymous_write_is_a_401_asking_for_a_token(api_client, api_record):
    response = api_client.post(DEALS, new_deal(), format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert error(response)["code"] == "not_authenticated"
    assert not Deal.objects.filter(slug="boeing-300-aircraft").exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_anonymous_clients_cannot_change_or_delete(api_client, api_record, method):
    response = getattr(api_client, method)(f"{DEALS}{api_record.pledge.pk}/", {}, format="json")

    assert response.status_code == 401
    api_record.pledge.refresh_from_db()
    assert api_record.pledge.title == "JD.com food purchases"


def test_a_contributors_token_creates_a_draft(token_client, contributor, api_record):
    response = token_client(contributor).post(DEALS, new_deal(), format="json")

    assert response.status_code == 201, response.content
    deal = Deal.objects.get(slug="boeing-300-aircraft")
    assert response["Location"] == f"http://testserver{DEALS}{deal.pk}/"
    assert response.json()["id"] == deal.pk
    assert deal.is_published is False
    assert deal.published_at is None
    assert deal.created_by == contributor
    assert deal.updated_by == contributor


def test_a_contributor_cannot_publish_a_new_deal(token_client, contributor, api_record):
    response = token_client(contributor).post(DEALS, new_deal(is_published=True), format="json")

    assert response.status_code == 403
    assert error(response)["code"] == "permission_denied"
    assert list(error(response)["fields"]) == ["is_published"]
    assert not Deal.objects.filter(slug="boeing-300-aircraft").exists()


def test_a_contributor_cannot_publish_a_draft(token_client, contributor, api_record):
    url = f"{DEALS}{api_record.draft.pk}/"

    response = token_client(contributor).patch(url, {"is_published": True}, format="json")

    assert response.status_code == 403
    assert list(error(response)["fields"]) == ["is_published"]
    api_record.draft.refresh_from_db()
    assert api_record.draft.is_published is False


def test_a_contributor_can_change_a_draft(token_client, contributor, api_record):
    url = f"{DEALS}{api_record.draft.pk}/"

    response = token_client(contributor).patch(url, {"title": "Boeing jets"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Boeing jets"
    api_record.draft.refresh_from_db()
    assert api_record.draft.title == "Boeing jets"
    assert api_record.draft.updated_by == contributor


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_contributor_cannot_change_or_delete_a_published_deal(
    token_client, contributor, api_record, method
):
    url = f"{DEALS}{api_record.pledge.pk}/"

    response = getattr(token_client(contributor), method)(url, new_deal(), format="json")

    assert response.status_code == 403
    assert error(response)["code"] == "permission_denied"
    api_record.pledge.refresh_from_db()
    assert api_record.pledge.title == "JD.com food purchases"


def test_a_contributor_cannot_delete_even_a_draft(token_client, contributor, api_record):
    response = token_client(contributor).delete(f"{DEALS}{api_record.draft.pk}/")

    assert response.status_code == 403
    assert Deal.objects.filter(pk=api_record.draft.pk).exists()


def test_an_editor_publishes_a_draft(token_client, editor, api_record):
    url = f"{DEALS}{api_record.draft.pk}/"

    response = token_client(editor).patch(url, {"is_published": True}, format="json")

    assert response.status_code == 200, response.content
    api_record.draft.refresh_from_db()
    assert api_record.draft.is_published is True
    assert api_record.draft.published_at is not None
    assert api_record.draft.updated_by == editor


def test_an_editor_creates_a_published_deal(token_client, editor, api_record):
    response = token_client(editor).post(DEALS, new_deal(is_published=True), format="json")

    assert response.status_code == 201, response.content
    assert Deal.objects.published().filter(slug="boeing-300-aircraft").exists()


def test_an_editor_changes_and_deletes_a_published_deal(token_client, editor, api_record):
    client = token_client(editor)
    url = f"{DEALS}{api_record.helicopters.pk}/"

    changed = client.patch(url, {"summary": "Bell 505s"}, format="json")
    deleted = client.delete(url)

    assert changed.status_code == 200
    assert deleted.status_code == 204
    assert not Deal.objects.filter(pk=api_record.helicopters.pk).exists()
    assert client.get(url).status_code == 404


def test_a_write_needs_the_model_permission(token_client, api_record):
    staff_without_role = UserFactory(username="no-role")

    response = token_client(staff_without_role).post(DEALS, new_deal(), format="json")

    assert response.status_code == 403
    assert not Deal.objects.filter(slug="boeing-300-aircraft").exists()


def test_contributors_may_not_create_ceremonies_but_editors_may(
    token_client, contributor, editor, api_record
):
    data = {
        "name": "Trade fair signings",
        "slug": "fair-2019",
        "date": "2019-11-05",
        "venue": "great-hall",
        "announced_value": {"amount": "10000000", "currency": "EUR", "qualifier": "about"},
    }

    refused = token_client(contributor).post(f"{API}ceremonies/", data, format="json")
    created = token_client(editor).post(f"{API}ceremonies/", data, format="json")

    assert refused.status_code == 403
    assert created.status_code == 201, created.content
    assert created.json()["announced_value"]["display"] == "about EUR 10 million"
    assert created.json()["itemised"]["deal_count"] == 0


def test_a_revoked_token_is_a_401_even_for_reading(token_client, editor, api_record):
    client = token_client(editor)
    assert client.get(DEALS).status_code == 200
    Token.objects.filter(user=editor).delete()  # revoked in the admin

    response = client.get(DEALS)

    assert response.status_code == 401
    assert error(response)["code"] == "authentication_failed"
    assert client.post(DEALS, new_deal(), format="json").status_code == 401


def test_an_inactive_users_token_is_refused(token_client, editor, api_record):
    client = token_client(editor)
    editor.is_active = False
    editor.save()

    assert client.post(DEALS, new_deal(), format="json").status_code == 401


def test_a_session_write_needs_its_csrf_token(editor, api_record):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)

    refused = client.post(DEALS, new_deal(), format="json")
    page = client.get("/admin/")  # any page that sets the CSRF cookie
    token = page.cookies["csrftoken"].value
    accepted = client.post(DEALS, new_deal(), format="json", HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert "CSRF" in error(refused)["message"]
    assert accepted.status_code == 201, accepted.content


def test_a_user_granted_only_the_add_permission_may_create(token_client, api_record):
    user = UserFactory(username="importer")
    user.user_permissions.add(Permission.objects.get(codename="add_deal"))

    response = token_client(user).post(DEALS, new_deal(sources=[]), format="json")

    assert response.status_code == 201, response.content


# --- a deal written whole -------------------------------------------------------------


def test_a_deal_is_created_with_its_parties_value_term_and_sources(
    token_client, editor, api_record
):
    response = token_client(editor).post(DEALS, new_deal(), format="json")

    assert response.status_code == 201, response.content
    deal = Deal.objects.get(slug="boeing-300-aircraft")
    assert [(link.party.slug, link.role, link.order) for link in deal.deal_parties.all()] == [
        ("boeing", "seller", 0),
        ("jd-com", "buyer", 1),
    ]
    assert deal.deal_parties.first().signatory_name == "Kevin McAllister"
    assert deal.value_display == "US$37 billion at list prices"
    assert deal.value_amount_usd == 37_000_000_000
    assert deal.term_months == 24
    assert deal.ceremony == api_record.ceremony
    assert deal.is_binding is True
    citation = deal.citations.get()
    assert citation.source.publisher == "Reuters"
    assert citation.quote == "300 Boeing aircraft valued at $37 billion"
    body = response.json()
    assert body["value"]["display"] == "US$37 billion at list prices"
    assert body["term"]["display"] == "2 years"
    assert body["sources"][0]["quote"] == "300 Boeing aircraft valued at $37 billion"


def test_parties_may_be_given_by_id_and_sources_on_record_by_id_or_url(
    token_client, editor, api_record
):
    data = new_deal(
        parties=[{"party": api_record.boeing.pk, "role": "seller"}],
        sources=[{"id": api_record.report.pk, "quote": "cited"}],
    )

    response = token_client(editor).post(DEALS, data, format="json")
    again = token_client(editor).post(
        DEALS,
        new_deal(slug="again", sources=[{"url": "https://news.example.org/great-hall"}]),
        format="json",
    )

    assert response.status_code == 201, response.content
    assert again.status_code == 201, again.content
    assert Source.objects.count() == 1
    deal = Deal.objects.get(slug="boeing-300-aircraft")
    assert deal.citations.get().source == api_record.report


def test_a_bad_party_in_the_list_writes_nothing(token_client, editor, api_record):
    data = new_deal(
        parties=[
            {"party": "boeing", "role": "seller"},
            {"party": "no-such-party", "role": "buyer"},
        ]
    )
    before = (Deal.objects.count(), DealParty.objects.count(), Source.objects.count())

    response = token_client(editor).post(DEALS, data, format="json")

    assert response.status_code == 400
    assert error(response)["fields"] == {
        "parties[1].party": ["No record has the id or slug 'no-such-party'."]
    }
    assert (Deal.objects.count(), DealParty.objects.count(), Source.objects.count()) == before


def test_a_bad_party_in_a_change_leaves_the_deal_as_it_was(token_client, editor, api_record):
    url = f"{DEALS}{api_record.helicopters.pk}/"
    data = {"title": "Changed", "parties": [{"party": "bell", "role": "seller"}, {"role": "buyer"}]}

    response = token_client(editor).patch(url, data, format="json")

    assert response.status_code == 400
    assert error(response)["fields"] == {"parties[1].party": ["This field is required."]}
    api_record.helicopters.refresh_from_db()
    assert api_record.helicopters.title == "Reignwood buys Bell helicopters"
    assert api_record.helicopters.deal_parties.count() == 2


def test_a_failure_while_saving_rolls_the_whole_deal_back(
    token_client, editor, api_record, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Source, "save", fail)
    before = (Deal.objects.count(), DealParty.objects.count())

    response = token_client(editor).post(DEALS, new_deal(), format="json")

    assert response.status_code == 500
    assert error(response)["code"] == "server_error"
    assert (Deal.objects.count(), DealParty.objects.count()) == before


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"value": {"qualifier": "about"}}, "value.amount", "Give the amount"),
        ({"value": {"amount": "5", "qualifier": "undisclosed"}}, "value.amount", "Leave the"),
        ({"value": {"amount": "-5"}}, "value.amount", "cannot be negative"),
        ({"value": {"amount": "5", "currency": "XYZ"}}, "value.currency", "ISO 4217"),
        ({"term": {"months": 0}}, "term.months", ""),
        (
            {"term": {"start_date": "2020-01-01", "end_date": "2019-01-01"}},
            "term.end_date",
            "cannot end before it starts",
        ),
        ({"slug": "jd-food"}, "slug", "already exists"),
        ({"sector": "no-such-sector"}, "sector", "No record"),
        ({"parties": [{"party": "boeing", "role": "pilot"}]}, "parties[0].role", ""),
        (
            {"parties": [{"party": "jd-com", "role": "buyer"}, {"party": 1e3, "role": "buyer"}]},
            "parties[1].party",
            "Give an id",
        ),
        ({"sources": [{"url": "not a url"}]}, "sources[0].url", ""),
        ({"sources": [{"url": "https://new.example.org/x"}]}, "sources[0].publisher", "Needed"),
        ({"sources": [{"id": 999999}]}, "sources[0].id", "No source"),
        ({"umbrella": "jd-beef"}, "umbrella", "itself part of another deal"),
        ({"colour": "red"}, "colour", "Unknown field"),
        ({"value": {"amont": "5"}}, "value.amont", "Unknown field"),
    ],
)
def test_a_deal_is_checked_by_the_admins_rules_and_errors_name_the_field(
    token_client, editor, api_record, changes, path, message
):
    response = token_client(editor).post(DEALS, new_deal(**changes), format="json")

    assert response.status_code == 400, response.content
    assert error(response)["code"] == "invalid"
    assert path in error(response)["fields"], error(response)
    assert message in " ".join(error(response)["fields"][path])
    assert not Deal.objects.filter(slug="boeing-300-aircraft").exists()


def test_a_party_listed_twice_in_one_role_is_named(token_client, editor, api_record):
    twice = [
        {"party": "boeing", "role": "seller"},
        {"party": api_record.boeing.pk, "role": "seller"},
    ]

    response = token_client(editor).post(DEALS, new_deal(parties=twice), format="json")

    assert response.status_code == 400
    assert error(response)["fields"] == {"parties[1].party": ["Already listed in this role."]}


def test_a_deal_cannot_be_its_own_umbrella(token_client, editor, api_record):
    url = f"{DEALS}{api_record.pledge.pk}/"

    response = token_client(editor).patch(url, {"umbrella": api_record.pledge.pk}, format="json")

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["umbrella"]


def test_a_draft_cannot_be_linked_by_those_who_may_not_see_it(token_client, api_record):
    importer = UserFactory(username="importer", is_staff=False)
    importer.user_permissions.add(Permission.objects.get(codename="add_deal"))

    response = token_client(importer).post(
        DEALS, new_deal(follows=api_record.draft.pk, sources=[]), format="json"
    )

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["follows"]


def test_a_malformed_body_is_a_400_parse_error(token_client, editor, api_record):
    response = token_client(editor).post(DEALS, '{"title": ', content_type="application/json")

    assert response.status_code == 400
    assert error(response)["code"] == "parse_error"


def test_a_body_that_is_not_json_is_a_415(token_client, editor, api_record):
    response = token_client(editor).post(DEALS, {"title": "x"}, format="multipart")

    assert response.status_code == 415
    assert error(response)["code"] == "unsupported_media_type"


# --- changes --------------------------------------------------------------------------


def test_a_parties_list_replaces_the_deals_and_keeps_the_rows_that_stay(
    token_client, editor, api_record
):
    url = f"{DEALS}{api_record.helicopters.pk}/"
    bell_link = api_record.helicopters.deal_parties.get(party=api_record.bell)
    parties = [{"party": "bell", "role": "seller"}, {"party": "textron", "role": "guarantor"}]

    response = token_client(editor).patch(url, {"parties": parties}, format="json")

    assert response.status_code == 200, response.content
    links = list(api_record.helicopters.deal_parties.all())
    assert [(link.party.slug, link.role) for link in links] == [
        ("bell", "seller"),
        ("textron", "guarantor"),
    ]
    assert links[0].pk == bell_link.pk
    assert [p["party"]["slug"] for p in response.json()["parties"]] == ["bell", "textron"]


def test_a_change_without_lists_keeps_the_parties_and_sources(token_client, editor, api_record):
    url = f"{DEALS}{api_record.pledge.pk}/"

    response = token_client(editor).patch(url, {"value": {"amount": "2500000000"}}, format="json")

    assert response.status_code == 200, response.content
    api_record.pledge.refresh_from_db()
    assert api_record.pledge.value_display == "more than US$2.5 billion in purchase commitments"
    assert api_record.pledge.deal_parties.count() == 1
    assert api_record.pledge.citations.count() == 1


def test_a_status_changed_by_hand_records_a_dated_update(token_client, editor, api_record):
    url = f"{DEALS}{api_record.helicopters.pk}/"

    response = token_client(editor).patch(url, {"status": "stalled"}, format="json")

    assert response.status_code == 200, response.content
    update = StatusUpdate.objects.get(deal=api_record.helicopters)
    assert update.status == "stalled"
    assert update.date == timezone.localdate()
    assert response.json()["status_updates"][0]["status"] == "stalled"


def test_a_put_replaces_the_deal(token_client, editor, api_record):
    url = f"{DEALS}{api_record.fair.pk}/"
    data = new_deal(slug="boeing-fair", title="Boeing engines", is_published=True)

    response = token_client(editor).put(url, data, format="json")

    assert response.status_code == 200, response.content
    api_record.fair.refresh_from_db()
    assert api_record.fair.title == "Boeing engines"
    assert api_record.fair.deal_parties.count() == 2
    assert api_record.fair.signed_on == datetime.date(2017, 11, 9)


def test_what_a_client_reads_it_may_write_back(token_client, editor, api_record):
    client = token_client(editor)
    url = f"{DEALS}{api_record.pledge.pk}/"
    deal = client.get(url).json()
    deal["parties"] = [{**link, "party": link["party"]["id"]} for link in deal["parties"]]
    for name in ("sector", "ceremony"):
        deal[name] = deal[name]["slug"]
    deal["summary"] = "Changed"

    response = client.put(url, deal, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "Changed"


# --- the other records ----------------------------------------------------------------


def test_a_contributor_adds_a_party_with_its_group(token_client, contributor, api_record):
    data = {
        "name": "Bell Textron Asia",
        "slug": "bell-asia",
        "country": "SG",
        "parent": "bell",
        "aliases": ["Bell Asia"],
    }

    response = token_client(contributor).post(f"{API}parties/", data, format="json")

    assert response.status_code == 201, response.content
    party = Party.objects.get(slug="bell-asia")
    assert party.parent == api_record.bell
    assert party.alias_list == ["Bell Asia"]
    assert str(party.country) == "SG"


def test_a_party_cannot_belong_to_itself(token_client, editor, api_record):
    url = f"{API}parties/{api_record.textron.pk}/"

    response = token_client(editor).patch(url, {"parent": "bell"}, format="json")

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["parent"]


def test_sectors_keep_two_levels(token_client, editor, api_record):
    data = {"name": "Aircraft", "slug": "aircraft", "parent": api_record.transport.pk}

    response = token_client(editor).post(f"{API}sectors/", data, format="json")

    assert response.status_code == 400
    assert "two levels" in error(response)["fields"]["parent"][0]


def test_an_occasion_cannot_end_before_it_starts(token_client, editor, db):
    data = {"name": "Fair", "slug": "fair", "start_date": "2019-05-02", "end_date": "2019-05-01"}

    response = token_client(editor).post(f"{API}occasions/", data, format="json")

    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["end_date"]


def test_deleting_a_record_that_deals_use_is_a_409(token_client, editor, api_record):
    client = token_client(editor)

    for url in (
        f"{API}parties/{api_record.jd.pk}/",
        f"{API}sectors/{api_record.food.pk}/",
        f"{API}ceremonies/{api_record.ceremony.pk}/",
        f"{API}venues/{api_record.venue.pk}/",
        f"{API}deals/{api_record.pledge.pk}/",  # it holds the beef deal
    ):
        response = client.delete(url)

        assert response.status_code == 409, url
        assert error(response)["code"] == "protected"
    assert Party.objects.filter(pk=api_record.jd.pk).exists()


def test_an_unused_record_is_deleted(token_client, editor, db):
    party = (
        DealFactory()
        .deal_parties.create(party=Party.objects.create(name="Gone", slug="gone"), role="buyer")
        .party
    )
    party.deal_parties.all().delete()

    response = token_client(editor).delete(f"{API}parties/{party.pk}/")

    assert response.status_code == 204
    assert not Party.objects.filter(pk=party.pk).exists()


def test_a_method_a_resource_does_not_offer_is_a_405(token_client, editor, db):
    response = token_client(editor).patch(DEALS, {}, format="json")

    assert response.status_code == 405
    assert error(response)["code"] == "method_not_allowed"


def test_a_write_the_database_refuses_after_validation_is_a_409_not_a_500():
    # Two clients sending the same new slug at once both pass validation; the
    # database's unique constraint stops the second, which may simply retry.
    from django.db import IntegrityError

    from deals.api.exceptions import handle_exception

    response = handle_exception(IntegrityError("duplicate key value"), {"view": None})

    assert response.status_code == 409
    assert response.data["error"]["code"] == "conflict"
    assert "duplicate key" not in response.data["error"]["message"]
