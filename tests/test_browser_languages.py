"""The language switch in a real browser: the same page, and the same query, in the other
language; and the ceremony page in both languages for docs/screenshots/.

Headless Debian Chromium through Playwright, with the demo data set, as
tests/test_browser.py (whose fixtures and page checks these tests share).
"""

import pytest
from playwright.sync_api import expect

from tests.test_browser import (  # noqa: F401 (fixtures)
    CEREMONY_8_NOV,
    DESKTOP,
    Reader,
    browser,
    demo,
    reader,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def switch(page):
    return page.locator("header .language-switch a")


def test_the_language_switch_keeps_the_reader_on_the_same_page(reader):  # noqa: F811
    page = reader.visit(CEREMONY_8_NOV)
    reader.assert_accessible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(switch(page)).to_have_text("简体中文")
    reader.screenshot("ceremony-en.png")

    switch(page).click()
    expect(page).to_have_url(reader.base_url + "/zh-hans" + CEREMONY_8_NOV)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("2017年11月8日")
    expect(page.get_by_role("main")).to_contain_text("约US$90亿")
    assert reader.errors == []
    reader.screenshot("ceremony-zh-hans.png")

    switch(page).click()
    expect(page).to_have_url(reader.base_url + CEREMONY_8_NOV)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_switch_keeps_the_query_string_of_a_search(reader):  # noqa: F811
    page = reader.visit("/deals/?q=JD&ordering=-value")
    switch(page).click()
    expect(page).to_have_url(reader.base_url + "/zh-hans/deals/?q=JD&ordering=-value")
    expect(page.locator("#site-q")).to_have_attribute("placeholder", "京东、波音、JD.com…")
    switch(page).click()
    expect(page).to_have_url(reader.base_url + "/deals/?q=JD&ordering=-value")


def test_a_chinese_reader_follows_links_in_chinese(browser, live_server, demo):  # noqa: F811
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        reader = Reader(context, live_server.url)
        page = reader.visit("/zh-hans/")
        page.locator(f'main a[href$="{CEREMONY_8_NOV}"]').first.click()
        expect(page).to_have_url(live_server.url + "/zh-hans" + CEREMONY_8_NOV)
        page.get_by_role("navigation", name="主导航").get_by_role("link", name="浏览交易").click()
        expect(page).to_have_url(live_server.url + "/zh-hans/deals/")
        assert reader.errors == []
    finally:
        context.close()
