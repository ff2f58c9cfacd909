"""English at /, Simplified Chinese at /zh-hans/: addresses, the language switch, hreflang,
names in the reader's script, figures per locale, and the API in its Accept-Language."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from deals import caching
from deals.presentation import format_day, format_figures, format_term, format_value
from tests.factories import (
    CeremonyFactory,
    DealFactory,
    DealPartyFactory,
    DealSourceFactory,
    PartyFactory,
    VenueFactory,
)


@pytest.fixture
def record(db):
    venue = VenueFactory(name="Great Hall of the People", native_name="人民大会堂", slug="hall")
    ceremony = CeremonyFactory(name="Great Hall signing", slug="great-hall", venue=venue)
    deal = DealFactory(
        title="JD.com food purchases",
        slug="jd-food",
        ceremony=ceremony,
        value_amount=Decimal("2000000000"),
        value_currency="USD",
        value_qualifier="more_than",
    )
    party = PartyFactory(name="JD.com", native_name="京东", slug="jd-com")
    DealPartyFactory(deal=deal, party=party)
    DealSourceFactory(deal=deal)
    return deal


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switch_links(html):
    return re.findall(r'<li class="language-switch"><a href="([^"]+)" hreflang="([^"]+)"', html)


# --- addresses ----------------------------------------------------------------------------


def test_english_is_unprefixed_and_chinese_is_under_zh_hans(client, record):
    english = client.get("/deals/jd-food/")
    chinese = client.get("/zh-hans/deals/jd-food/")
    assert english.status_code == chinese.status_code == 200
    assert english["Content-Language"] == "en"
    assert chinese["Content-Language"] == "zh-hans"
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="zh-Hans">' in chinese.content.decode()


def test_an_unprefixed_page_is_english_whatever_the_browser_asks(client, record):
    # The language is the address's: a shared link reads the same for everyone, and the
    # public cache can key pages by address alone.
    response = client.get("/deals/jd-food/", HTTP_ACCEPT_LANGUAGE="zh-Hans,zh;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "浏览交易" not in response.content.decode()


def test_an_unknown_language_prefix_is_a_404_not_a_guess(client, record):
    assert client.get("/fr/deals/jd-food/").status_code == 404
    assert client.get("/en/deals/jd-food/").status_code == 404  # English has no prefix


@pytest.mark.parametrize(
    "address", ["/healthz", "/sitemap.xml", "/robots.txt", "/api/v1/deals/", "/admin/login/"]
)
def test_the_api_admin_health_and_sitemap_stay_unprefixed(client, record, address):
    assert client.get(address).status_code == 200
    assert client.get("/zh-hans" + address).status_code == 404


def test_pages_link_to_pages_of_their_own_language(client, record):
    html = client.get("/zh-hans/ceremonies/great-hall/").content.decode()
    assert 'href="/zh-hans/deals/jd-food/"' in html
    assert 'href="/zh-hans/parties/jd-com/"' in html
    assert 'href="/deals/jd-food/"' not in html


# --- the switch and hreflang --------------------------------------------------------------


def test_the_switch_links_to_the_same_page_and_query_in_the_other_language(client, record):
    english = client.get("/deals/?q=JD&ordering=-value").content.decode()
    assert switch_links(english) == [("/zh-hans/deals/?q=JD&amp;ordering=-value", "zh-Hans")]
    chinese = client.get("/zh-hans/deals/?q=JD&ordering=-value").content.decode()
    assert switch_links(chinese) == [("/deals/?q=JD&amp;ordering=-value", "en")]


def test_every_page_names_its_versions_in_both_languages_and_english_as_the_default(client, record):
    for address in ["/", "/ceremonies/great-hall/", "/parties/jd-com/", "/venues/hall/"]:
        for prefix in ["", "/zh-hans"]:
            html = client.get(prefix + address + "?page=1").content.decode()
            assert alternates(html) == {
                "en": f"http://testserver{address}",
                "zh-Hans": f"http://testserver/zh-hans{address}",
                "x-default": f"http://testserver{address}",
            }, prefix + address


def test_the_404_page_is_in_the_language_of_its_address(client, record):
    response = client.get("/zh-hans/deals/no-such-deal/")
    assert response.status_code == 404
    assert "未找到页面" in response.content.decode()
    assert "Page not found" in client.get("/deals/no-such-deal/").content.decode()


# --- names in the reader's script ---------------------------------------------------------


def test_a_chinese_reader_sees_the_native_name_first_and_the_english_one_second(client, record):
    english = client.get("/parties/jd-com/").content.decode()
    chinese = client.get("/zh-hans/parties/jd-com/").content.decode()
    assert re.search(r"<h1>JD\.com <span class=\"native-name\">京东</span></h1>", english)
    assert re.search(r"<h1>京东 <span class=\"native-name\">JD\.com</span></h1>", chinese)
    venue = client.get("/zh-hans/venues/hall/").content.decode()
    assert re.search(r"<h1>人民大会堂 <span class=\"native-name\">Great Hall of the People", venue)


def test_a_record_without_a_native_name_keeps_its_english_name_in_chinese(client, record):
    chinese = client.get("/zh-hans/ceremonies/").content.decode()
    assert "Great Hall signing" in chinese


def test_native_names_are_read_in_the_active_language(record):
    party = record.parties.get()
    with translation.override("en"):
        assert (party.reader_name, party.reader_other_name) == ("JD.com", "京东")
    with translation.override("zh-hans"):
        assert (party.reader_name, party.reader_other_name) == ("京东", "JD.com")
    party.native_name = ""
    with translation.override("zh-hans"):
        assert (party.reader_name, party.reader_other_name) == ("JD.com", "")


# --- figures per locale -------------------------------------------------------------------


def test_figures_are_written_per_locale_with_babel():
    billions = Decimal("2000000000")
    assert format_value(billions, "USD", "more_than", locale="en") == "more than US$2 billion"
    assert format_value(billions, "USD", "more_than", locale="zh-hans") == "超过US$20亿"
    assert format_value(Decimal("12500000"), "EUR", "about", locale="zh-hans") == "约EUR 1250万"
    assert (
        format_value(
            Decimal("5000000000"), "CNY", "exact", "list_price", Decimal("756123456"), "zh-hans"
        )
        == "¥50亿（按目录价格）（约合US$7.56亿）"
    )
    # Not exact in the compact form: every digit, grouped.
    assert format_value(Decimal("1234567891"), "USD", "exact", locale="zh-hans") == (
        "US$1,234,567,891"
    )
    assert format_value(None, "USD", "undisclosed", locale="zh-hans") == "未披露"
    assert format_figures([("more_than", billions), ("up_to", billions)], "zh-hans") == (
        "超过US$20亿，另加最多US$20亿"
    )


def test_terms_and_dates_are_written_per_locale():
    assert format_day(date(2017, 11, 8), locale="zh-hans") == "2017年11月8日"
    assert format_day(date(2017, 11, 8), "long", locale="en") == "8 November 2017"
    assert format_day(date(2017, 11, 8), locale="en") == "8 Nov 2017"
    assert format_term(36, date(2018, 1, 1), date(2020, 12, 31), "zh-hans") == (
        "3年（2018年1月1日至2020年12月31日）"
    )
    assert format_term(18, locale="zh-hans") == "18个月"
    assert format_term(start_date=date(2018, 1, 1), locale="zh-hans") == "自2018年1月1日起"


def test_figures_follow_the_active_language_when_none_is_given():
    with translation.override("zh-hans"):
        assert format_value(Decimal("2000000000"), "USD", "about") == "约US$20亿"
    with translation.override("en"):
        assert format_value(Decimal("2000000000"), "USD", "about") == "about US$2 billion"


def test_a_chinese_page_writes_its_figures_in_chinese(client, record):
    html = client.get("/zh-hans/deals/").content.decode()
    assert '<td class="num">超过US$20亿</td>' in html
    assert '<td class="num">more than US$2 billion</td>' not in html
    english = client.get("/deals/").content.decode()
    assert '<td class="num">more than US$2 billion</td>' in english


# --- the API ------------------------------------------------------------------------------


def test_api_errors_are_in_chinese_when_the_client_asks_for_zh_hans(client, record):
    response = client.get("/api/v1/deals/?sectr=x", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert response.status_code == 400
    assert response["Content-Language"] == "zh-hans"
    error = response.json()["error"]
    assert error["code"] == "unknown_parameter"
    assert error["fields"]["sectr"][0].startswith("未知参数；此端点接受的参数为")
    english = client.get("/api/v1/deals/?sectr=x").json()["error"]
    assert english["fields"]["sectr"][0].startswith("Unknown parameter; this endpoint knows")


@pytest.mark.parametrize("header", ["zh-Hans", "zh-CN,zh;q=0.9,en;q=0.8", "zh", "zh-hans"])
def test_any_simplified_chinese_accept_language_gives_chinese_api_messages(client, record, header):
    response = client.get("/api/v1/deals/999999/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "未找到。"


@pytest.mark.parametrize("header", ["", "fr-FR", "en-US,zh;q=0.5", "*"])
def test_api_messages_are_english_otherwise(client, record, header):
    response = client.get("/api/v1/deals/999999/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Not found."
    assert response["Content-Language"] == "en"


def test_drf_own_messages_are_in_chinese_too(client, record):
    response = client.post(
        "/api/v1/deals/", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-Hans"
    )
    assert response.status_code in (401, 403)
    message = response.json()["error"]["message"]
    assert re.search(r"[\u4e00-\u9fff]", message), message


def test_the_public_cache_keeps_each_language_apart(client, record, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    try:
        for _ in range(2):
            english = client.get("/deals/")
            chinese = client.get("/zh-hans/deals/")
            api_zh = client.get("/api/v1/deals/", HTTP_ACCEPT_LANGUAGE="zh-Hans")
            api_en = client.get("/api/v1/deals/")
        assert english[caching.HIT_HEADER] == chinese[caching.HIT_HEADER] == "hit"
        assert api_zh[caching.HIT_HEADER] == api_en[caching.HIT_HEADER] == "hit"
        assert "more than US$2 billion" in english.content.decode()
        assert "超过US$20亿" in chinese.content.decode()
        assert api_en.json()["results"][0]["value"]["display"] == "more than US$2 billion"
        assert api_zh.json()["results"][0]["value"]["display"] == "超过US$20亿"
    finally:
        cache.clear()


def test_feeds_link_to_pages_in_their_language(client, record):
    chinese = client.get(reverse("deals:feed").replace("/feeds/", "/zh-hans/feeds/"))
    assert chinese.status_code == 200
    body = chinese.content.decode()
    assert "http://testserver/zh-hans/deals/jd-food/" in body
    assert "超过US$20亿" in body
