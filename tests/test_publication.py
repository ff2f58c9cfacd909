"""What publication needs: a deal goes public only naming a party and citing a source.

The rule is Deal.publication_errors(); the admin form, its publish action, the API and
the import (tests/test_import_export.py) each count what they are about to save.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deals.models import Deal
from tests.factories import DealFactory, PublishableDealFactory, UserFactory
from tests.test_admin_deals import CHANGELIST_URL, change_url, form_data
from tests.test_api_write import DEALS, error, new_deal

NEEDS_PARTY = Deal.PUBLICATION_NEEDS["parties"]
NEEDS_SOURCE = Deal.PUBLICATION_NEEDS["sources"]


def test_the_rule_names_each_missing_list(db):
    assert Deal.publication_errors(party_count=0, source_count=0) == {
        "parties": [NEEDS_PARTY],
        "sources": [NEEDS_SOURCE],
    }
    assert Deal.publication_errors(party_count=1, source_count=0) == {"sources": [NEEDS_SOURCE]}
    assert Deal.publication_errors(party_count=2, source_count=1) == {}


def test_publishing_a_deal_without_a_source_is_refused_and_changes_nothing(db):
    deal = DealFactory(is_published=False)

    with pytest.raises(ValidationError) as refused:
        deal.publish(user=UserFactory())

    assert refused.value.message_dict == {"parties": [NEEDS_PARTY], "sources": [NEEDS_SOURCE]}
    deal.refresh_from_db()
    assert deal.is_published is False
    assert deal.published_at is None


# --- the admin -----------------------------------------------------------------------


def test_the_change_form_refuses_to_publish_a_deal_without_parties_or_sources(editor_client):
    deal = DealFactory(is_published=False)
    data = form_data(editor_client.get(change_url(deal)))
    data["is_published"] = "on"

    response = editor_client.post(change_url(deal), data)

    assert response.status_code == 200
    inline_errors = {
        inline.formset.prefix: list(inline.formset.non_form_errors())
        for inline in response.context["inline_admin_formsets"]
    }
    assert inline_errors["deal_parties"] == [NEEDS_PARTY]
    assert inline_errors["citations"] == [NEEDS_SOURCE]
    deal.refresh_from_db()
    assert deal.is_published is False


def test_the_change_form_refuses_to_remove_the_last_source_of_a_published_deal(editor_client):
    deal = PublishableDealFactory()
    data = form_data(editor_client.get(change_url(deal)))
    data["citations-0-DELETE"] = "on"

    response = editor_client.post(change_url(deal), data)

    assert response.status_code == 200
    assert NEEDS_SOURCE in response.content.decode()
    assert deal.citations.count() == 1


def test_a_draft_without_parties_or_sources_saves(editor_client):
    deal = DealFactory(is_published=False)
    data = form_data(editor_client.get(change_url(deal)))
    data["summary"] = "Still being checked"

    response = editor_client.post(change_url(deal), data)

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.summary == "Still being checked"


def test_the_publish_action_publishes_the_ready_and_names_the_others(editor_client):
    ready = PublishableDealFactory(is_published=False)
    unready = DealFactory(is_published=False, title="Unsourced pledge")

    response = editor_client.post(
        CHANGELIST_URL,
        {"action": "publish", "_selected_action": [ready.pk, unready.pk]},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert "1 deal published." in messages
    assert any(
        "1 deal not published." in m and "“Unsourced pledge”" in m and NEEDS_SOURCE in m
        for m in messages
    )
    ready.refresh_from_db()
    unready.refresh_from_db()
    assert (ready.is_published, unready.is_published) == (True, False)


# --- the API -------------------------------------------------------------------------


def test_the_api_refuses_a_published_deal_without_parties_and_sources_naming_both(
    token_client, editor, api_record
):
    data = new_deal(is_published=True, parties=[], sources=[])

    response = token_client(editor).post(DEALS, data, format="json")

    assert response.status_code == 400
    fields = error(response)["fields"]
    assert fields["parties"] == [NEEDS_PARTY]
    assert fields["sources"] == [NEEDS_SOURCE]
    assert not Deal.objects.filter(slug=data["slug"]).exists()


def test_the_api_reports_publication_and_field_errors_in_one_answer(
    token_client, editor, api_record
):
    data = new_deal(is_published=True, sources=[])
    data["term"] = {"start_date": "2018-01-01", "end_date": "2017-01-01"}

    response = token_client(editor).post(DEALS, data, format="json")

    assert response.status_code == 400
    fields = error(response)["fields"]
    assert fields["sources"] == [NEEDS_SOURCE]
    assert "term.end_date" in fields


def test_publishing_a_stored_draft_counts_its_stored_lists(token_client, editor, api_record):
    draft = api_record.draft
    draft.citations.all().delete()

    refused = token_client(editor).patch(
        f"{DEALS}{draft.pk}/", {"is_published": True}, format="json"
    )
    cited = token_client(editor).patch(
        f"{DEALS}{draft.pk}/",
        {
            "is_published": True,
            "sources": [{"id": api_record.pledge.citations.get().source_id}],
        },
        format="json",
    )

    assert refused.status_code == 400
    assert error(refused)["fields"] == {"sources": [NEEDS_SOURCE]}
    assert cited.status_code == 200, cited.content
    draft.refresh_from_db()
    assert draft.is_published is True


def test_a_published_deal_cannot_lose_its_last_party_through_the_api(
    token_client, editor, api_record
):
    pledge = api_record.pledge

    response = token_client(editor).patch(f"{DEALS}{pledge.pk}/", {"parties": []}, format="json")

    assert response.status_code == 400
    assert error(response)["fields"] == {"parties": [NEEDS_PARTY]}
    assert pledge.deal_parties.count() == 1


def test_the_admin_changelist_still_lists_the_unready_drafts(editor_client):
    DealFactory(is_published=False, title="Unready")
    response = editor_client.get(reverse("admin:deals_deal_changelist"))
    assert "Unready" in response.content.decode()
