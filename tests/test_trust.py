"""The pages a reader checks the record by (deals/trust.py): about, methodology,
corrections and its form, data licence; last updated, Cite this page; browse's Refine."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from deals import trust
from deals.models import CorrectionReport, Deal
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    OccasionFactory,
    PartyFactory,
)
from tests.html_pages import read

LAST_UPDATED = 'Last updated <time datetime="2024-03-05T12:00:00+00:00">5 Mar 2024</time>'
TRUST_PAGES = ["/about/", "/methodology/", "/corrections/", "/licence/"]
FOOTER_LINKS = {
    "/about/",
    "/methodology/",
    "/corrections/",
    "/licence/",
    "/api/docs/",
    "/feeds/deals/",
}
PUBLIC_PAGES = [
    "/",
    "/ceremonies/",
    "/ceremonies/great-hall/",
    "/occasions/visit/",
    "/deals/",
    "/deals/?q=Beef",
    "/deals/food-pledge/",
    "/parties/jd/",
    "/sectors/manufacturing/",
    "/countries/cn/",
    *TRUST_PAGES,
]


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    occasion = OccasionFactory(name="State visit", slug="visit")
    ceremony = CeremonyFactory(name="Great Hall", slug="great-hall", occasion=occasion)
    deal = DealFactory(
        title="Food pledge {beef}",
        slug="food-pledge",
        summary="Beef and pork.",
        ceremony=ceremony,
        signed_on=datetime.date(2017, 11, 8),
    )
    DealPartyFactory(
        deal=deal, party=PartyFactory(name="JD.com", slug="jd", country="CN"), role="buyer"
    )
    Deal.objects.filter(pk=deal.pk).update(
        updated_at=datetime.datetime(2024, 3, 5, 12, tzinfo=datetime.UTC)
    )
    deal.refresh_from_db()
    return deal


def old_token():
    return trust.make_token(at=time.time() - 60)


def post(client, **fields):
    data = {
        "page": "",
        "message": "The value is wrong: see the filing.",
        "email": "",
        "website": "",
    }
    data.update(token=old_token())
    data.update(fields)
    return client.post("/corrections/", data, REMOTE_ADDR=fields.pop("ip", "10.0.0.1"))


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_links_the_trust_pages_and_says_when_it_was_last_updated(
    client, world, url
):
    response = client.get(url)

    assert response.status_code == 200, url
    page = read(response)
    assert {href for href, _text in page.links} >= FOOTER_LINKS
    assert LAST_UPDATED in response.content.decode()


@pytest.mark.parametrize("url", TRUST_PAGES)
def test_each_trust_page_answers_with_the_sites_look(client, db, url):
    response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="site-header"' in content and 'class="site-footer"' in content


def test_the_methodology_explains_the_words_with_worked_examples(client, db):
    text = read(client.get("/methodology/")).main_text

    for words in ("Announced", "Itemised", "up to", "about", "US dollars", "counting money twice"):
        assert words.lower() in text.lower()
    assert "more than US$132.7 billion plus up to US$48 billion" in text


def test_the_licence_page_names_cc_by_4(client, db):
    content = client.get("/licence/").content.decode()

    assert "CC BY 4.0" in content
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in content


def test_a_draft_does_not_move_last_updated(client, world):
    draft = DealFactory(title="Secret draft", is_published=False)
    assert draft.updated_at > world.updated_at

    content = client.get("/").content.decode()

    assert LAST_UPDATED in content
    assert "Secret draft" not in content


def test_a_report_is_filed_and_listed_on_the_dashboard(client, editor_client, world):
    response = post(client, page="http://testserver/deals/food-pledge/", email="me@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/corrections/?sent=1"
    report = CorrectionReport.objects.get()
    assert (report.deal, report.status, report.email) == (world, "open", "me@example.org")
    assert "your report was received" in client.get(response["Location"]).content.decode()
    dashboard = editor_client.get(reverse("admin:index")).content.decode()
    assert (
        "Readers&#x27; correction reports" in dashboard
        or "Readers' correction reports" in dashboard
    )
    assert reverse("admin:deals_correctionreport_change", args=[report.pk]) in dashboard
    assert editor_client.get(reverse("admin:deals_correctionreport_changelist")).status_code == 200


def test_a_report_naming_no_deal_keeps_the_page_it_names(client, db):
    post(client, page="/ceremonies/")

    report = CorrectionReport.objects.get()
    assert (report.page_url, report.deal) == ("/ceremonies/", None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"website": "http://spam.example"}, "could not be accepted"),
        ({"token": "just made"}, "within seconds"),
        ({"token": old_token()[:-2] + "xx"}, "could not be checked"),
        ({"token": ""}, "could not be checked"),
        ({"token": trust.make_token(at=time.time() - trust.MAX_SECONDS - 5)}, "too long ago"),
    ],
)
def test_honeypot_too_fast_old_and_forged_tokens_are_refused_keeping_the_input(
    client, db, fields, message
):
    if fields.get("token") == "just made":
        fields = {"token": trust.make_token(at=time.time() + 60)}  # however slow the test
    response = post(
        client, message="Boeing's order is 300 aircraft.", email="me@example.org", **fields
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "Boeing&#x27;s order is 300 aircraft." in content
    assert 'value="me@example.org"' in content
    assert not CorrectionReport.objects.exists()


def test_bad_input_gets_form_errors_and_loses_nothing(client, db):
    response = post(client, message="short", email="not an address", page="/deals/x/")

    assert response.status_code == 400
    content = response.content.decode()
    assert "Ensure this value has at least 10 characters" in content
    assert "Enter a valid email address." in content
    assert 'value="/deals/x/"' in content and "short</textarea>" in content
    assert 'aria-invalid="true"' in content
    assert not CorrectionReport.objects.exists()


def test_the_form_needs_its_csrf_token(db):
    client = Client(enforce_csrf_checks=True)

    response = post(client)

    assert response.status_code == 403
    assert not CorrectionReport.objects.exists()


def test_too_many_reports_from_one_address_are_refused_with_429_keeping_the_report(client, db):
    for _ in range(trust.REPORTS_PER_WINDOW):
        assert post(client).status_code == 302

    response = post(client, message="One more report, kept for later.")

    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many reports from your connection" in content
    assert "One more report, kept for later." in content
    assert CorrectionReport.objects.count() == trust.REPORTS_PER_WINDOW
    assert client.post("/corrections/", {}, REMOTE_ADDR="10.9.9.9").status_code == 400  # others


def test_the_contact_email_is_never_shown_publicly(client, world):
    post(client, page="/deals/food-pledge/", email="secret-reader@example.org")

    for url in [*PUBLIC_PAGES, "/api/v1/deals/food-pledge/", "/feeds/deals/", "/deals/csv/"]:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"secret-reader@example.org" not in body, url


def test_the_form_is_never_kept_by_a_cache(client, db):
    assert "no-store" in client.get("/corrections/")["Cache-Control"]


def test_cite_this_page_gives_text_and_bibtex_with_the_canonical_url(client, world):
    today = datetime.date.today()

    content = client.get("/deals/food-pledge/?utm_source=x").content.decode()

    assert "Cite this page" in content
    assert (
        "Deal Tracker, “Food pledge {beef}”, last updated 5 Mar 2024, "
        "http://testserver/deals/food-pledge/ (accessed "
    ) in content
    assert "@misc{dealtracker-deal-food-pledge," in content
    assert "title        = {{Food pledge \\{beef\\}}}," in content
    assert "url          = {http://testserver/deals/food-pledge/}," in content
    assert f"urldate      = {{{today.isoformat()}}}," in content


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/ceremonies/great-hall/", "dealtracker-ceremony-great-hall"),
        ("/occasions/visit/", "dealtracker-occasion-visit"),
        ("/parties/jd/", "dealtracker-party-jd"),
        ("/countries/cn/", "dealtracker-country-cn"),
    ],
)
def test_cite_this_page_is_on_ceremony_occasion_and_entity_pages(client, world, url, key):
    assert f"@misc{{{key}," in client.get(url).content.decode()


@pytest.mark.parametrize("url", ["/", "/deals/", "/about/"])
def test_pages_about_nothing_citable_have_no_cite_box(client, world, url):
    assert "Cite this page" not in client.get(url).content.decode()


@pytest.mark.parametrize("url", ["/deals/", "/ceremonies/", "/parties/jd/"])
def test_every_list_links_the_api_and_the_feed(client, world, url):
    content = client.get(url).content.decode()

    assert 'This list as data: <a href="/api/docs/">' in content
    assert 'href="/feeds/deals/">Atom feed of newly published deals' in content


# --- browse: Refine, dates, one result ------------------------------------------------------


def test_after_a_search_the_filters_are_folded_behind_refine(client, world):
    content = client.get("/deals/?q=Beef").content.decode()

    assert '<details class="refine">' in content
    assert "1 deal matches “Beef”" in read(client.get("/deals/?q=Beef")).main_text


def test_without_a_search_the_filters_are_open(client, world):
    assert '<details class="refine" open>' in client.get("/deals/").content.decode()


def test_a_wrong_filter_after_a_search_opens_refine(client, world):
    assert '<details class="refine" open>' in client.get("/deals/?q=Beef&year=x").content.decode()


@pytest.mark.parametrize("value", ["8 Nov 2017", "8 November 2017", "2017-11-08", "8 nov. 2017"])
def test_date_filters_accept_the_site_style_and_iso_and_show_the_site_style(client, world, value):
    DealFactory(title="Later deal", slug="later", signed_on=datetime.date(2018, 1, 1))

    response = client.get("/deals/", {"signed_before": value})

    page = read(response)
    assert "Food pledge {beef}" in page.main_text
    assert "Later deal" not in page.main_text
    assert 'name="signed_before" value="8 Nov 2017"' in response.content.decode()


def test_a_date_that_cannot_be_read_says_how_to_write_it(client, world):
    content = read(client.get("/deals/?signed_after=yesterday")).main_text

    assert "Write it as 8 Nov 2017, or 2017-11-08." in content
