"""Safe deletes: a deleted deal comes back from its history with its parties, sources
and status updates."""

import datetime

import pytest
from django.urls import reverse

from deals.models import Deal, DealParty, DealSource, StatusUpdate
from deals.services import RestoreError, restore_deal
from tests.factories import DealFactory, DealPartyFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal():
    deal = DealFactory(title="Port concession", slug="port-concession", summary="Kept")
    DealPartyFactory(
        deal=deal,
        role=DealParty.Role.BUYER,
        signatory_name="A. Buyer",
        signatory_title="Chair",
        order=1,
    )
    DealPartyFactory(deal=deal, role=DealParty.Role.SELLER, signatory_name="B. Seller", order=2)
    DealSource.objects.create(deal=deal, source=SourceFactory(), quote="They signed.")
    StatusUpdate.objects.create(
        deal=deal, status=Deal.Status.SIGNED, date=datetime.date(2017, 11, 9), note="Signed"
    )
    return deal


def snapshot(deal_id):
    deal = Deal.objects.get(pk=deal_id)
    return {
        "deal": (deal.title, deal.slug, deal.summary, deal.value_amount, deal.is_published),
        "parties": sorted(
            DealParty.objects.filter(deal_id=deal_id).values_list(
                "id", "party_id", "role", "signatory_name", "signatory_title", "order"
            )
        ),
        "sources": sorted(
            DealSource.objects.filter(deal_id=deal_id).values_list("id", "source_id", "quote")
        ),
        "updates": sorted(
            StatusUpdate.objects.filter(deal_id=deal_id).values_list("id", "status", "date", "note")
        ),
    }


def delete_in_admin(client, deal):
    response = client.post(reverse("admin:deals_deal_delete", args=[deal.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Deal.objects.filter(pk=deal.pk).exists()
    assert not DealParty.objects.filter(deal_id=deal.pk).exists()
    return Deal.history.get(id=deal.pk, history_type="-").history_id


def test_a_deal_deleted_in_the_admin_is_restored_from_the_recover_page(editor_client, editor, deal):
    before = snapshot(deal.pk)
    history_id = delete_in_admin(editor_client, deal)

    page = editor_client.get(reverse("admin:deals_deal_recoverlist"))
    assert page.status_code == 200
    assert "Port concession" in page.content.decode()
    response = editor_client.post(reverse("admin:deals_deal_recover", args=[history_id]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:deals_deal_change", args=[deal.pk])
    assert snapshot(deal.pk) == before
    assert len(before["parties"]) == 2 and before["sources"] and before["updates"]
    restored = Deal.history.filter(id=deal.pk).latest("history_date")
    assert restored.history_type == "+"
    assert restored.history_user == editor
    assert "Restored" in restored.history_change_reason
    party_record = DealParty.history.filter(deal_id=deal.pk).latest("history_date")
    assert party_record.history_type == "+" and party_record.history_user == editor


def test_a_row_removed_before_the_deletion_stays_removed(editor, deal):
    removed = deal.deal_parties.get(role=DealParty.Role.SELLER)
    removed_id = removed.pk
    removed.delete()
    # Removed well before the deal was deleted, not by the deletion's cascade.
    for record in DealParty.history.filter(id=removed_id):
        year = 2020 if record.history_type == "-" else 2019
        DealParty.history.filter(history_id=record.history_id).update(
            history_date=datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
        )
    deal_id = deal.pk
    deal.delete()

    restore_deal(Deal.history.get(id=deal_id, history_type="-").history_id, user=editor)

    assert list(DealParty.objects.filter(deal_id=deal_id).values_list("role", flat=True)) == [
        DealParty.Role.BUYER
    ]


def test_a_taken_slug_is_refused_with_a_clear_message_and_nothing_written(editor_client, deal):
    history_id = delete_in_admin(editor_client, deal)
    DealFactory(slug="port-concession", title="Another deal")
    counts = (Deal.objects.count(), DealParty.objects.count(), Deal.history.count())

    response = editor_client.post(
        reverse("admin:deals_deal_recover", args=[history_id]), follow=True
    )

    assert "Not restored" in response.content.decode()
    assert "port-concession" in response.content.decode()
    assert (Deal.objects.count(), DealParty.objects.count(), Deal.history.count()) == counts
    assert not Deal.objects.filter(pk=deal.pk).exists()


def test_a_party_gone_since_is_refused(editor, deal):
    deal_id = deal.pk
    party = deal.deal_parties.first().party
    deal.delete()
    party.delete()

    with pytest.raises(RestoreError, match="party"):
        restore_deal(Deal.history.get(id=deal_id, history_type="-").history_id, user=editor)
    assert not Deal.objects.filter(pk=deal_id).exists()


def test_a_contributor_restores_a_published_deal_as_a_draft(client, editor, contributor, deal):
    assert deal.is_published
    client.force_login(editor)
    history_id = delete_in_admin(client, deal)
    client.force_login(contributor)

    response = client.post(reverse("admin:deals_deal_recover", args=[history_id]), follow=True)

    assert response.status_code == 200
    assert "as a draft" in response.content.decode()
    restored = Deal.objects.get(pk=deal.pk)
    assert not restored.is_published
    assert restored.published_at is None
    assert DealParty.objects.filter(deal=restored).count() == 2
    assert Deal.history.filter(id=deal.pk).latest("history_date").history_user == contributor


def test_the_deal_list_links_to_the_recover_page(editor_client):
    response = editor_client.get(reverse("admin:deals_deal_changelist"))

    assert response.status_code == 200
    assert reverse("admin:deals_deal_recoverlist") in response.content.decode()
