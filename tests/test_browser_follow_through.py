"""The follow-through pages in a real browser: chart, legend and timeline render, no errors.

Headless Debian Chromium against the live server, with the demo data loaded and, beside
it, the hand-built record of tests/test_pages_follow_through.py (a ceremony whose deals
have every outcome, dated updates, quotes and sources), so most of these tests do not
depend on the demo's figures. The screenshots are of the demo, whose outcomes are real
and dated: its 9 November 2017 ceremony (docs/screenshots/ceremony-follow-through.png)
and its occasion (docs/screenshots/occasion-follow-through.png), full pages 1280 wide.
"""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser import chromium
from tests.test_browser import DESKTOP, PHONE, SCREENSHOTS, Reader
from tests.test_pages_follow_through import build_record

CEREMONY = "/ceremonies/follow-through-signings/"
DEMO_CEREMONY = "/ceremonies/us-china-signing-ceremony-2017-11-09/"
DEMO_OCCASION = "/occasions/trump-state-visit-china-2017-11/"

pytestmark = [
    pytest.mark.browser,
    # As in tests/test_browser.py: the live server reads committed data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def record(transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    return build_record(ceremony_slug="follow-through-signings", party_prefix="ft")


@pytest.fixture
def browser(live_server, record):
    """Started once the data is made (tests/test_browser.py's `browser` says why)."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def reader(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    yield Reader(context, live_server.url)
    context.close()


@pytest.fixture
def phone_reader(browser, live_server):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1, locale="en-GB"
    )
    yield Reader(context, live_server.url)
    context.close()


def test_the_ceremony_page_draws_the_follow_through_chart_and_timeline_without_errors(reader):
    page = reader.visit(CEREMONY)
    reader.assert_accessible()
    main = page.get_by_role("main")

    chart = main.locator("figure.chart-follow-through svg[role=img]")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 80, box
    # Every segment is filled by a pattern the page defines: none is left unpainted.
    assert unpainted_segments(page) == []
    expect(main.locator(".chart-legend li")).to_have_count(6)
    expect(main.locator(".chart-legend")).to_contain_text("2 deals (29%); US$500 million (24%)")
    expect(main.locator("table.outcomes tfoot")).to_contain_text("US$2.1 billion")

    timeline = main.locator("ol.timeline-ceremony > li")
    expect(timeline).to_have_count(5)
    expect(timeline.first).to_contain_text("Deal G")
    expect(main.locator("ol.timeline-ceremony blockquote").first).to_be_visible()
    expect(main.locator("ol.timeline-ceremony")).not_to_contain_text("Draft news")
    assert reader.errors == []


def unpainted_segments(page):
    """Ids of the patterns the follow-through chart's segments name but the page lacks."""
    return page.evaluate(
        """() => [...document.querySelectorAll('figure.chart-follow-through rect[fill^="url"]')]
          .map((rect) => rect.getAttribute('fill').slice(5, -1))
          .filter((id) => !document.getElementById(id))"""
    )


def test_the_demo_9_november_ceremony_shows_its_scorecard_chart_and_timeline(reader):
    page = reader.visit(DEMO_CEREMONY)
    reader.assert_accessible()
    main = page.get_by_role("main")

    expect(main.locator("figure.chart-follow-through svg[role=img]")).to_be_visible()
    assert unpainted_segments(page) == []
    # Six deals: Goldman Sachs–CIC in progress; Boeing and Qualcomm signed, nothing since;
    # Cheniere–CNPC superseded; West Virginia stalled; Alaska LNG cancelled. Of the
    # US$180.7 billion, West Virginia's 83.7 is 46%.
    expect(main.locator(".chart-legend li")).to_have_count(5)
    expect(main.locator(".chart-legend")).to_contain_text("1 deal (17%); US$83.7 billion (46%)")
    expect(main.locator("table.outcomes tfoot")).to_contain_text(
        "more than US$132.7 billion plus up to US$48 billion"
    )
    expect(
        main.get_by_role("heading", name="What became of these deals", exact=True)
    ).to_be_visible()
    # The four dated updates, newest first: the fund's 2021 progress report leads.
    timeline = main.locator("ol.timeline-ceremony > li")
    expect(timeline).to_have_count(4)
    expect(timeline.first).to_contain_text("Goldman Sachs and CIC")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "ceremony-follow-through.png", full_page=True)
    assert reader.errors == []


def test_the_demo_occasion_shows_the_scorecard_of_both_ceremonies(reader):
    page = reader.visit(DEMO_OCCASION)
    reader.assert_accessible()
    main = page.get_by_role("main")

    expect(main.locator("figure.chart-follow-through svg[role=img]")).to_be_visible()
    assert unpainted_segments(page) == []
    # The nine deals of the two ceremonies; JD.com's stalled meat deal joins West
    # Virginia's, its money counted within JD.com's pledge.
    expect(main.locator(".chart-legend li")).to_have_count(5)
    expect(main.locator(".chart-legend")).to_contain_text("2 deals (22%); US$83.7 billion (46%)")
    expect(main.locator("table.outcomes tfoot")).to_contain_text(
        "more than US$134.7 billion plus up to US$48 billion"
    )

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "occasion-follow-through.png", full_page=True)
    assert reader.errors == []


def test_the_follow_through_pages_are_accessible_and_fit_a_phone(phone_reader):
    reader = phone_reader
    pages = (
        CEREMONY,
        "/deals/follow-through-signings-deal-b/",  # no news since …
        "/deals/follow-through-signings-deal-d/",  # superseded
        "/parties/ft-holdings/",  # itself and with subsidiaries
        "/countries/cn/",
        "/occasions/follow-through-signings-visit/",
        "/sectors/manufacture-of-food-products/",
    )
    for path in pages:
        page = reader.visit(path)
        reader.assert_accessible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways: {width}px"
        overflowing = page.evaluate(
            """(limit) => [...document.querySelectorAll('main *')]
              .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
              .map((el) => el.tagName + '.' + el.className)""",
            PHONE["width"],
        )
        assert overflowing == [], f"{path}: {overflowing[:5]}"
        if path == CEREMONY:
            page.screenshot(path=SCREENSHOTS / "phone-ceremony-follow-through.png", full_page=True)
    assert reader.errors == []
