"""The deal form as an editor reads it: the value in the source's words, each source's
passage beside the citation."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from deals import demo
from deals.models import Deal, Qualifier
from deals.wording import parse_value_wording
from tests.factories import DealFactory, SourceFactory
from tests.test_admin_deals import form_data


@pytest.fixture
def demo_record(db):
    call_command("load_demo", stdout=StringIO())


def change_url(deal):
    return reverse("admin:deals_deal_change", args=[deal.pk])


def test_every_demo_deal_keeps_its_value_as_reported_and_it_reads_as_the_value(demo_record):
    deals = Deal.objects.all()
    assert deals.count() == len(demo.DEALS)
    for deal in deals:
        assert deal.value_wording, deal.slug
        parsed = parse_value_wording(deal.value_wording)
        assert parsed.qualifier == deal.value_qualifier, deal.slug
        if deal.value_qualifier != Qualifier.UNDISCLOSED:
            assert (parsed.amount, parsed.currency) == (deal.value_amount, deal.value_currency)
        if parsed.term_months:
            assert parsed.term_months == deal.term_months, deal.slug


def test_the_deal_form_shows_the_value_as_reported(demo_record, editor_client):
    deal = Deal.objects.get(slug="jd-com-us-food-purchases-2017")
    form = editor_client.get(change_url(deal)).context["adminform"].form

    assert form["value_wording"].value() == "more than $2 billion over three years"


def test_the_value_as_reported_is_saved_with_the_deal(editor_client):
    deal = DealFactory(
        is_published=False, value_amount=2_000_000_000, value_qualifier=Qualifier.MORE_THAN
    )
    payload = form_data(editor_client.get(change_url(deal)))
    assert payload["value_wording"] == ""

    payload["value_wording"] = "more than $2 billion"
    saved = editor_client.post(change_url(deal), payload)

    assert saved.status_code == 302
    deal.refresh_from_db()
    assert deal.value_wording == "more than $2 billion"


def test_the_sources_inline_shows_the_passage_kept_on_each_source(editor_client):
    source = SourceFactory(quote="Deals signed on Wednesday included a pledge by JD.com.")
    deal = DealFactory()
    deal.citations.create(source=source, quote="What it says of this deal.")

    page = editor_client.get(change_url(deal)).content.decode()

    assert "the source&#x27;s passage" in page.lower()
    assert "Deals signed on Wednesday included a pledge by JD.com." in page
    assert "What it says of this deal." in page
