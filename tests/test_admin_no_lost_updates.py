"""No lost updates in the admin: a deal's change form remembers the version it showed,
and saving it after someone else saved the deal is refused instead of undoing their
changes."""

from deals.models import Deal
from tests.factories import DealFactory
from tests.test_admin_deals import change_url, form_data


def test_the_change_form_carries_the_version_it_shows_as_a_hidden_field(editor_client):
    deal = DealFactory(summary="As read")
    response = editor_client.get(change_url(deal))
    page = response.content.decode()
    assert f'type="hidden" name="seen_version" value="{deal.etag()}"' in page.replace("&quot;", '"')


def test_saving_an_unchanged_version_goes_through(editor_client):
    deal = DealFactory(summary="As read")
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
    deal = DealFactory(summary="As read")
    stale = form_data(editor_client.get(change_url(deal)))
    Deal.objects.filter(pk=deal.pk).get().save()
    assert editor_client.post(change_url(deal), stale).status_code == 200

    fresh = form_data(editor_client.get(change_url(deal)))
    fresh["summary"] = "Second try"
    assert editor_client.post(change_url(deal), fresh).status_code == 302
    deal.refresh_from_db()
    assert deal.summary == "Second try"
