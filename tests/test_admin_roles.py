"""Editors publish; contributors add and change drafts and cannot publish by any path."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from deals.models import Ceremony, Deal
from tests.factories import CeremonyFactory, DealFactory, PartyFactory
from tests.test_admin_deals import (
    ADD_URL,
    CHANGELIST_URL,
    change_url,
    form_data,
    new_deal_data,
    post_action,
)


@pytest.fixture
def editor_form(editor):
    """The change form's data as an editor would submit it (editor_client would share
    the test client, and its login, with contributor_client)."""
    client = Client()
    client.force_login(editor)
    return lambda deal: form_data(client.get(change_url(deal)))


def revert_url(deal, version):
    return reverse("admin:deals_deal_simple_history", args=[deal.pk, version.history_id])


def test_the_roles_hold_the_permissions_the_admin_relies_on(db):
    editors = Group.objects.get(name="Editors")
    contributors = Group.objects.get(name="Contributors")

    def codenames(group):
        return set(group.permissions.values_list("codename", flat=True))

    assert {"publish_deal", "delete_deal", "change_ceremony"} <= codenames(editors)
    assert {"add_deal", "change_deal", "add_dealparty"} <= codenames(contributors)
    assert not {"publish_deal", "delete_deal", "change_ceremony"} & codenames(contributors)


def test_a_contributor_can_add_a_draft(contributor_client, contributor):
    response = contributor_client.post(ADD_URL, new_deal_data(contributor_client))

    assert response.status_code == 302
    deal = Deal.objects.get()
    assert deal.is_published is False
    assert deal.created_by == contributor


def test_a_contributor_sees_publication_read_only_on_the_add_form(contributor_client):
    response = contributor_client.get(ADD_URL)

    assert response.status_code == 200
    assert "is_published" not in response.context["adminform"].form.fields


def test_a_contributor_cannot_publish_through_the_add_form(contributor_client):
    data = new_deal_data(contributor_client, is_published="on")

    response = contributor_client.post(ADD_URL, data)

    assert response.status_code == 302
    deal = Deal.objects.get()
    assert deal.is_published is False
    assert deal.published_at is None


def test_a_contributor_can_change_a_draft_but_not_publish_it_through_the_change_form(
    contributor_client, contributor
):
    deal = DealFactory(is_published=False)
    data = form_data(contributor_client.get(change_url(deal)))
    data.update({"title": "Changed by a contributor", "is_published": "on"})

    response = contributor_client.post(change_url(deal), data)

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.title == "Changed by a contributor"
    assert deal.is_published is False
    assert deal.published_at is None
    assert deal.updated_by == contributor


def test_a_contributor_is_not_offered_the_publish_actions(contributor_client):
    DealFactory(is_published=False)

    response = contributor_client.get(CHANGELIST_URL)

    assert response.status_code == 200
    # Neither publishing nor deleting is theirs, so the changelist offers no actions.
    assert response.context["action_form"] is None
    assert b'name="action"' not in response.content


def test_an_editor_is_offered_the_publish_actions(editor_client):
    DealFactory(is_published=False)

    response = editor_client.get(CHANGELIST_URL)

    offered = {name for name, _ in response.context["action_form"].fields["action"].choices}
    assert {"publish", "unpublish", "delete_selected"} <= offered


@pytest.mark.parametrize(("action", "published"), [("publish", False), ("unpublish", True)])
def test_a_contributor_cannot_change_publication_with_a_forged_action(
    contributor_client, action, published
):
    deal = DealFactory(is_published=published)

    post_action(contributor_client, action, [deal])

    deal.refresh_from_db()
    assert deal.is_published is published


def test_a_contributor_cannot_delete_deals_with_a_forged_action(contributor_client):
    deal = DealFactory(is_published=False)

    post_action(contributor_client, "delete_selected", [deal])

    assert Deal.objects.filter(pk=deal.pk).exists()


def test_a_contributor_cannot_delete_a_deal(contributor_client):
    deal = DealFactory(is_published=False)

    response = contributor_client.post(
        reverse("admin:deals_deal_delete", args=[deal.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Deal.objects.filter(pk=deal.pk).exists()


def test_a_contributor_sees_a_published_deal_read_only(contributor_client):
    deal = DealFactory(is_published=True, title="Boeing sells 300 aircraft")

    response = contributor_client.get(change_url(deal))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert not response.context["adminform"].form.fields
    content = response.content.decode()
    assert "Boeing sells 300 aircraft" in content
    assert "only an editor can change it" in content


def test_a_contributor_cannot_change_a_published_deal(contributor_client, editor_form):
    deal = DealFactory(is_published=True, title="Published title")
    data = editor_form(deal)
    data.update({"title": "Changed by a contributor", "is_published": ""})

    response = contributor_client.post(change_url(deal), data)

    assert response.status_code == 403
    deal.refresh_from_db()
    assert (deal.title, deal.is_published) == ("Published title", True)


def test_a_contributor_cannot_publish_by_reverting_to_a_published_version(
    contributor_client, editor, contributor
):
    deal = DealFactory(is_published=True, title="As first published")
    published_version = deal.history.get()
    deal.unpublish(user=editor)
    data = form_data(contributor_client.get(revert_url(deal, published_version)))

    response = contributor_client.post(revert_url(deal, published_version), data)

    # The revert of the other fields is a contributor's right on a draft; publishing is not.
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.is_published is False
    assert deal.updated_by == contributor


def test_a_contributor_cannot_revert_a_published_deal(contributor_client):
    deal = DealFactory(is_published=True, title="First")
    first = deal.history.get()
    deal.title = "Second"
    deal.save()

    response = contributor_client.post(revert_url(deal, first), {})

    assert response.status_code == 403
    deal.refresh_from_db()
    assert (deal.title, deal.is_published) == ("Second", True)


def test_a_contributor_cannot_revert_a_record_they_may_only_view(contributor_client):
    ceremony = CeremonyFactory(name="First name")
    first = ceremony.history.get()
    ceremony.name = "Second name"
    ceremony.save()
    url = reverse("admin:deals_ceremony_simple_history", args=[ceremony.pk, first.history_id])

    response = contributor_client.post(url, {})

    assert response.status_code == 403
    assert Ceremony.objects.get(pk=ceremony.pk).name == "Second name"


def test_a_contributor_may_read_the_history_of_a_published_deal(contributor_client):
    deal = DealFactory(is_published=True)

    response = contributor_client.get(reverse("admin:deals_deal_history", args=[deal.pk]))

    assert response.status_code == 200
    assert response.context["revert_disabled"] is True


def test_a_contributor_cannot_change_the_parties_of_a_published_deal(
    contributor_client, editor_form
):
    deal = DealFactory(is_published=True)
    data = editor_form(deal)
    data.update(
        {
            "deal_parties-TOTAL_FORMS": "1",
            "deal_parties-0-party": PartyFactory().pk,
            "deal_parties-0-role": "buyer",
            "deal_parties-0-order": "0",
        }
    )

    response = contributor_client.post(change_url(deal), data)

    assert response.status_code == 403
    assert not deal.deal_parties.exists()
