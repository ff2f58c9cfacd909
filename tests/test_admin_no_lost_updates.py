"""No lost updates in the admin: a deal's change form remembers the version it showed,
and saving it after someone else saved the deal is refused instead of undoing their
changes."""

from decimal import Decimal

from deals.models import Deal
from tests.factories import DealFactory, DealPartyFactory, PublishableDealFactory
from tests.test_admin_deals import change_url, form_data


def test_the_change_form_carries_the_version_it_shows_as_a_hidden_field(editor_client):
    deal = DealFactory(summary="As read")
    response = editor_client.get(change_url(deal))
    page = response.content.decode()
    assert f'type="hidden" name="seen_version" value="{deal.etag()}"' in page.replace("&quot;", '"')


def test_saving_an_unchanged_version_goes_through(editor_client):
    deal = PublishableDealFactory(summary="As read")
    data = form_data(editor_client.get(change_url(deal)))
    data["summary"] = "Changed here"

    response = editor_client.post(change_url(deal), data)

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.summary == "Changed here"


def test_saving_after_someone_else_saved_is_refused_and_keeps_their_change(editor_client):
    deal = DealFactory(summary="As read")
    data = form_data(editor_client.get(change_url(deal)))
    other = Deal.objects.get(pk=deal.pk)
    other.summary = "Saved by a colleague"
    other.save()
    data["summary"] = "Saved by me"

    response = editor_client.post(change_url(deal), data)

    assert response.status_code == 200
    assert "Someone else saved this deal after you opened it" in response.content.decode()
    deal.refresh_from_db()
    assert deal.summary == "Saved by a colleague"


def test_after_opening_the_deal_again_the_change_can_be_saved(editor_client):
    deal = PublishableDealFactory(summary="As read")
    stale = form_data(editor_client.get(change_url(deal)))
    Deal.objects.filter(pk=deal.pk).get().save()
    assert editor_client.post(change_url(deal), stale).status_code == 200

    fresh = form_data(editor_client.get(change_url(deal)))
    fresh["summary"] = "Second try"
    assert editor_client.post(change_url(deal), fresh).status_code == 302
    deal.refresh_from_db()
    assert deal.summary == "Second try"


def test_a_refused_save_shows_both_versions_and_keeps_the_first_change(editor_client):
    deal = DealFactory(title="Opened title", value_amount=Decimal("1000000"))
    data = form_data(editor_client.get(change_url(deal)))
    other = Deal.objects.get(pk=deal.pk)
    other.title = "Colleague's title"
    other.value_amount = Decimal("2500000")
    other.save()
    data["title"] = "My title"
    data["value_amount"] = "7000000"

    response = editor_client.post(change_url(deal), data)

    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert "Both versions" in page
    assert "Colleague's title" in page
    assert "My title" in page
    assert "2500000" in page
    assert "7000000" in page
    deal.refresh_from_db()
    assert deal.title == "Colleague's title"
    assert deal.value_amount == Decimal("2500000")


def test_resubmitting_the_refused_form_saves_the_second_version(editor_client):
    deal = PublishableDealFactory(title="Opened title")
    data = form_data(editor_client.get(change_url(deal)))
    other = Deal.objects.get(pk=deal.pk)
    other.title = "Colleague's title"
    other.save()
    data["title"] = "My title"
    refused = editor_client.post(change_url(deal), data)
    assert refused.status_code == 200

    again = form_data(refused)
    assert again["title"] == "My title"
    response = editor_client.post(change_url(deal), again)

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.title == "My title"


def test_the_comparison_lists_the_parties(editor_client):
    deal = DealFactory(title="Opened title")
    data = form_data(editor_client.get(change_url(deal)))
    DealPartyFactory(deal=deal)
    other = Deal.objects.get(pk=deal.pk)
    other.save()

    response = editor_client.post(change_url(deal), data)

    assert response.status_code == 200
    assert response.context["version_conflict"]["rows"][-1][0] == "parties"
