"""Drafts appear on no public page and in no total; only staff see a draft's own page."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from deals.models import Ceremony, Deal, DealParty, Party, Qualifier, Sector, StatusUpdate
from tests.factories import DealFactory, DealPartyFactory, PartyFactory, UserFactory
from tests.html_pages import read

DRAFT_TITLE = "Secret draft: JD.com to buy the Moon"
DRAFT_URL = "/deals/secret-draft-moon/"
JD_DEAL = "/deals/jd-com-us-food-purchases-2017/"

# Every public page a draft of JD.com's at the 8 November ceremony could show up on.
PAGES = [
    "/",
    "/ceremonies/",
    "/ceremonies/us-china-signing-ceremony-2017-11-08/",
    "/deals/",
    "/deals/?q=Moon",
    "/deals/?q=京东",
    "/deals/?party=jd-com",
    "/deals/?sector=manufacturing",
    "/deals/?ordering=-value",
    "/deals/?min_value_usd=5000000000",
    JD_DEAL,
    "/deals/reignwood-bell-helicopters-2017/",
    "/parties/jd-com/",
    "/parties/bell-helicopter/",
    "/sectors/manufacture-of-food-products/",
    "/sectors/manufacturing/",
    "/venues/great-hall-of-the-people/",
    "/occasions/trump-state-visit-china-2017-11/",
]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def create_drafts():
    """A US$7.777 billion draft of JD.com and Bell, plus draft links to JD.com's deal."""
    jd_deal = Deal.objects.get(slug="jd-com-us-food-purchases-2017")
    draft = Deal.objects.create(
        title=DRAFT_TITLE,
        slug="secret-draft-moon",
        summary="Nobody outside the newsroom may read this yet.",
        sector=Sector.objects.get(code="10"),
        ceremony=Ceremony.objects.get(slug="us-china-signing-ceremony-2017-11-08"),
        signed_on=datetime.date(2017, 11, 8),
        value_amount=Decimal("7777000000"),
        value_qualifier=Qualifier.EXACT,
        status=Deal.Status.SIGNED,
        is_published=False,
    )
    for slug, role in [("jd-com", "buyer"), ("bell-helicopter", "seller")]:
        DealParty.objects.create(deal=draft, party=Party.objects.get(slug=slug), role=role)
    StatusUpdate.objects.create(deal=draft, status="signed", date=datetime.date(2017, 11, 8))
    # A draft part of JD.com's pledge, and a draft that follows it.
    DealFactory(title="Secret draft component", umbrella=jd_deal, is_published=False, ceremony=None)
    DealFactory(title="Secret draft follow-on", follows=jd_deal, is_published=False, ceremony=None)
    return draft


def test_a_draft_changes_no_public_page_and_no_total(client, demo):
    before = {url: client.get(url).content for url in PAGES}

    create_drafts()

    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Secret draft" not in response.content, url
        assert b"to buy the Moon" not in response.content, url
        assert b"7.777" not in response.content and b"7,777" not in response.content, url
        assert response.content == before[url], f"{url} changed when a draft was added"


def test_a_search_for_a_draft_finds_nothing(client, demo):
    create_drafts()

    page = read(client.get("/deals/?q=Moon"))

    assert "0 deals match “Moon”" in page.main_text
    assert "No published deals match these filters." in page.main_text


def test_the_draft_page_is_not_found_for_anonymous_readers(client, demo):
    create_drafts()

    assert client.get(DRAFT_URL).status_code == 404


def test_the_draft_page_is_not_found_for_a_signed_in_reader_who_is_not_staff(client, demo):
    create_drafts()
    client.force_login(UserFactory(username="reader", is_staff=False))

    assert client.get(DRAFT_URL).status_code == 404


def test_staff_preview_a_draft_under_a_draft_banner(editor_client, demo):
    draft = create_drafts()

    response = editor_client.get(DRAFT_URL)

    assert response.status_code == 200
    page = read(response)
    assert page.headings[0] == (1, DRAFT_TITLE)
    assert page.title.startswith("Draft: ")
    assert "Draft — not published. Only signed-in staff can see this page." in page.main_text
    assert (f"/admin/deals/deal/{draft.pk}/change/", "Edit it in the admin") in page.links
    assert b'<meta name="robots" content="noindex, nofollow">' in response.content


def test_a_published_page_shows_staff_no_draft_banner(editor_client, demo):
    page = read(editor_client.get(JD_DEAL))

    assert "Draft" not in page.main_text


def test_an_inactive_staff_account_does_not_see_drafts(client, editor, demo):
    create_drafts()
    client.force_login(editor)
    editor.is_active = False
    editor.save(update_fields=["is_active"])

    assert client.get(DRAFT_URL).status_code == 404


def test_a_staff_account_without_permission_to_view_deals_does_not_see_drafts(client, demo):
    create_drafts()
    client.force_login(UserFactory(username="receptionist", is_staff=True))

    assert client.get(DRAFT_URL).status_code == 404


# --- links between deals -----------------------------------------------------------------


def test_related_deals_are_the_published_deals_of_the_same_parties(client, db):
    shared, other = PartyFactory(name="Shared Co"), PartyFactory(name="Other Co")
    deal = DealPartyFactory(party=shared, deal__title="The deal").deal
    DealPartyFactory(party=shared, deal__title="Sibling published")
    DealPartyFactory(party=shared, deal__title="Sibling draft", deal__is_published=False)
    DealPartyFactory(party=other, deal__title="Unrelated published")

    page = read(client.get(deal.get_absolute_url()))

    assert (2, "Other deals of these parties") in page.headings
    assert "Sibling published" in page.main_text
    assert "Sibling draft" not in page.main_text
    assert "Unrelated published" not in page.main_text
    assert page.main_text.count("The deal") == 1  # its own title, not a related row


def test_only_published_components_and_follow_ons_are_linked(client, db):
    umbrella = DealFactory(title="Umbrella pledge", value_amount=Decimal("2000000000"))
    DealFactory(title="Published component", umbrella=umbrella)
    DealFactory(title="Draft component", umbrella=umbrella, is_published=False)
    DealFactory(title="Published follow-on", follows=umbrella)
    DealFactory(title="Draft follow-on", follows=umbrella, is_published=False)

    text = read(client.get(umbrella.get_absolute_url())).main_text

    assert "Includes Published component (US$1 million), counted within this deal." in text
    assert "Led to Published follow-on" in text
    assert "Draft component" not in text
    assert "Draft follow-on" not in text


def test_a_draft_umbrella_or_predecessor_is_not_named_on_a_published_deal(client, db):
    umbrella = DealFactory(title="Draft umbrella", is_published=False)
    earlier = DealFactory(title="Draft memorandum", is_published=False)
    deal = DealFactory(title="Published contract", umbrella=umbrella, follows=earlier)

    page = read(client.get(deal.get_absolute_url()))

    assert "Draft umbrella" not in page.main_text
    assert "Draft memorandum" not in page.main_text
    assert (2, "Linked deals") not in page.headings


def test_a_published_umbrella_and_predecessor_are_named(client, db):
    umbrella = DealFactory(title="Published umbrella")
    earlier = DealFactory(title="Earlier memorandum", signed_on=datetime.date(2017, 5, 1))
    deal = DealFactory(title="Published contract", umbrella=umbrella, follows=earlier)

    text = read(client.get(deal.get_absolute_url())).main_text

    assert "Part of Published umbrella (US$1 million); its money is counted there" in text
    assert "Follows Earlier memorandum (1 May 2017)." in text
