"""A reader's walk through the public site, and a staff sign-in, in a real browser.

Headless Debian Chromium (/usr/bin/chromium, installed by .ci/run) driven by
Playwright against pytest-django's live server with the demo data set. Playwright's
own browser downloads are never used: a missing Chromium fails these tests with a
message saying how to install it, rather than skipping them and passing in silence.

Every page visited is checked for what a reader of any ability needs: no console
errors (which include Content-Security-Policy refusals and missing static files),
one h1 and no skipped heading levels, the page landmarks, a label on every form
control, a text alternative on every image and chart, and text contrast of at least
WCAG AA. The walk also writes the README's screenshots to docs/screenshots/.
"""

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser import chromium
from tests.conftest import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Screenshots stop here: enough to show a page's top in the README, small enough to commit.
SCREENSHOT_MAX_HEIGHT = 1600

CEREMONY_8_NOV = "/ceremonies/us-china-signing-ceremony-2017-11-08/"
JD_DEAL = "/deals/jd-com-us-food-purchases-2017/"
JD_DEAL_TITLE = "JD.com to buy more than US$2 billion of U.S. food products over three years"
BELL_DEAL_TITLE = "Reignwood International to buy additional Bell helicopters"
# The demo's stalled deals: JD.com's meat purchases and China Energy's West Virginia plan.
STALLED_DEALS = (
    "JD.com to buy more than US$1.2 billion of U.S. beef and pork over three years",
    "China Energy to invest US$83.7 billion in West Virginia shale gas and chemicals",
)

pytestmark = [
    pytest.mark.browser,
    # The live server reads what the test writes, so the data must be committed;
    # serialized_rollback brings back the ISIC sectors and staff groups that the
    # migrations seeded, which the flush after a transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def browser(live_server, demo):
    """A headless Chromium, started only once the test's database and data are ready.

    One per test rather than per module, because Playwright's sync API keeps an
    asyncio event loop running in this thread, and while one runs Django's
    `connections` (an asgiref Local) hands out per-context connection objects: set
    up under a running loop, the test's database skipped the serialized_rollback
    restore, so the ISIC sectors and staff groups that the migrations seed were
    gone after another module's transactional test. Starting Chromium costs well
    under a second.

    The same per-context connections are why data is made before the browser
    starts (each test's fixtures ask for it first) and no test touches the ORM
    while it runs: Django refuses that with SynchronousOnlyOperation, rightly, and
    setting DJANGO_ALLOW_ASYNC_UNSAFE would only hide a second connection object.
    """
    with chromium() as browser:
        yield browser


class Reader:
    """One browser tab on the live server, keeping every error the browser reports."""

    def __init__(self, context, base_url):
        # A missing element fails in seconds, not after Playwright's default 30.
        context.set_default_timeout(5_000)
        self.page = context.new_page()
        self.base_url = base_url
        self.errors = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        self.page.on("requestfailed", lambda request: self.errors.append(f"failed: {request.url}"))

    def _on_console(self, message):
        # Chromium reports CSP refusals and 4xx/5xx subresources as console errors.
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({self.page.url})")

    def visit(self, path):
        response = self.page.goto(self.base_url + path)
        assert response.ok, f"{path} answered {response.status}"
        return self.page

    def query(self):
        return parse_qs(urlsplit(self.page.url).query)

    def assert_accessible(self):
        """The checks every public page must pass; call after each page is shown."""
        page = self.page
        page.wait_for_load_state("load")
        assert self.errors == [], f"{page.url}: {self.errors}"
        expect(page.get_by_role("banner")).to_have_count(1)
        expect(page.get_by_role("main")).to_have_count(1)
        expect(page.get_by_role("contentinfo")).to_have_count(1)
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        expect(page.get_by_role("search").first).to_be_visible()
        problems = page.evaluate(ACCESSIBILITY_PROBLEMS)
        assert problems == [], f"{page.url}: {problems}"

    def screenshot(self, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        width = self.page.viewport_size["width"]
        height = min(
            self.page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT
        )
        self.page.screenshot(
            path=SCREENSHOTS / name,
            full_page=True,
            clip={"x": 0, "y": 0, "width": width, "height": height},
        )


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


# Returns a list of problems (empty when the page is fine). Kept in one script so a
# page is checked in one round trip.
ACCESSIBILITY_PROBLEMS = """() => {
  const problems = [];
  const visible = (el) => el.getClientRects().length > 0 && !el.closest('[aria-hidden="true"]');

  // Headings: exactly one h1, and no level skipped on the way down.
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible);
  const h1s = headings.filter((h) => h.tagName === 'H1');
  if (h1s.length !== 1) problems.push(`${h1s.length} h1 headings`);
  let previous = 0;
  for (const h of headings) {
    const level = Number(h.tagName[1]);
    if (level > previous + 1) {
      problems.push(`h${level} "${h.textContent.trim()}" follows h${previous}`);
    }
    previous = level;
  }

  // Every form control has a name a screen reader can read out.
  const named = (el) => (el.labels && el.labels.length) || el.getAttribute('aria-label')
    || el.getAttribute('aria-labelledby') || el.getAttribute('title');
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    if (['submit', 'button', 'reset'].includes(el.type)) {
      if (!el.value && !named(el)) problems.push(`button input without text: ${el.outerHTML}`);
    } else if (!named(el)) {
      problems.push(`unlabelled ${el.tagName.toLowerCase()} "${el.name}"`);
    }
  }
  for (const el of document.querySelectorAll('button')) {
    if (!el.textContent.trim() && !named(el)) problems.push(`button without text: ${el.outerHTML}`);
  }

  // Images and charts say what they show, or are hidden from assistive technology.
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(`img without alt: ${img.src}`);
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.closest('[aria-hidden="true"]') || svg.parentElement.closest('svg')) continue;
    const title = svg.querySelector(':scope > title');
    if (!svg.getAttribute('aria-label') && !svg.getAttribute('aria-labelledby')
        && !(title && title.textContent.trim())) {
      problems.push(`svg without a text alternative: ${svg.outerHTML.slice(0, 80)}`);
    }
  }

  // Text contrast (WCAG 2 AA): 4.5:1, or 3:1 for large text.
  const rgba = (value) => {
    const parts = value.match(/[\\d.]+/g).map(Number);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const backgroundOf = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const colour = rgba(getComputedStyle(e).backgroundColor);
      if (colour.a > 0) layers.push(colour);
      if (colour.a >= 1) break;
    }
    const paper = {r: 255, g: 255, b: 255, a: 1};
    return layers.reverse().reduce((bottom, top) => over(top, bottom), paper);
  };
  const luminance = ({r, g, b}) => {
    const channel = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const checked = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || checked.has(el) || !visible(el)) continue;
    checked.add(el);
    const style = getComputedStyle(el);
    const background = backgroundOf(el);
    const text = over(rgba(style.color), background);
    const [light, dark] = [luminance(text), luminance(background)].sort((x, y) => y - x);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push(`contrast ${ratio.toFixed(2)}:1 for "${node.textContent.trim().slice(0, 40)}"`);
    }
  }
  return problems;
}"""


def test_a_reader_walks_from_the_home_page_to_a_ceremony_a_deal_and_a_party(reader):
    page = reader.visit("/")
    reader.assert_accessible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=JD_DEAL_TITLE)).to_be_visible()
    reader.screenshot("home.png")

    page.locator(f'main a[href$="{CEREMONY_8_NOV}"]').first.click()
    expect(page).to_have_url(reader.base_url + CEREMONY_8_NOV)
    reader.assert_accessible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("signing ceremony")
    expect(page.get_by_role("main")).to_contain_text("8 November 2017")
    expect(page.get_by_role("main")).to_contain_text("Great Hall of the People")
    expect(page.get_by_role("main")).to_contain_text("about US$9 billion")
    reader.screenshot("ceremony.png")

    page.get_by_role("main").get_by_role("link", name=JD_DEAL_TITLE).first.click()
    expect(page).to_have_url(reader.base_url + JD_DEAL)
    reader.assert_accessible()
    expect(page.get_by_role("heading", level=1)).to_have_text(JD_DEAL_TITLE)
    expect(page.get_by_role("main")).to_contain_text("more than US$2 billion")
    expect(page.get_by_role("main")).to_contain_text("3 years")
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()

    page.get_by_role("main").get_by_role("link", name="JD.com", exact=True).first.click()
    expect(page).to_have_url(reader.base_url + "/parties/jd-com/")
    reader.assert_accessible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("JD.com")
    expect(page.get_by_role("heading", level=1)).to_contain_text("京东")
    expect(page.get_by_role("main").get_by_role("link", name=JD_DEAL_TITLE)).to_be_visible()


def test_a_filter_chosen_in_the_form_narrows_the_deals_and_stays_in_the_url(reader):
    page = reader.visit("/deals/")
    reader.assert_accessible()
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=JD_DEAL_TITLE)).to_be_visible()

    page.get_by_label("Status", exact=True).select_option(label="stalled")
    page.get_by_role("button", name="Apply").click()

    page.wait_for_url(re.compile(r"/deals/\?.*\bstatus=stalled\b"))
    assert reader.query()["status"] == ["stalled"]
    reader.assert_accessible()
    expect(page.get_by_label("Status", exact=True)).to_have_value("stalled")
    for title in STALLED_DEALS:
        expect(main.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(main.get_by_role("link", name=JD_DEAL_TITLE)).to_have_count(0)
    expect(main.get_by_role("link", name=BELL_DEAL_TITLE)).to_have_count(0)


def test_the_site_search_box_finds_a_deal_by_a_party_name_in_any_script(reader):
    searches = [("京东", JD_DEAL_TITLE, BELL_DEAL_TITLE), ("Bell", BELL_DEAL_TITLE, JD_DEAL_TITLE)]
    for text, found, not_found in searches:
        page = reader.visit("/")
        box = page.get_by_role("searchbox", name="Search deals")
        box.fill(text)
        box.press("Enter")

        page.wait_for_url(re.compile(r"/deals/\?"))
        assert reader.query()["q"] == [text]
        reader.assert_accessible()
        main = page.get_by_role("main")
        expect(main.get_by_role("link", name=found)).to_be_visible()
        expect(main.get_by_role("link", name=not_found)).to_have_count(0)


def test_the_csv_download_holds_the_filtered_deals(reader):
    page = reader.visit("/deals/?status=stalled")
    reader.assert_accessible()

    with page.expect_download() as download_info:
        page.get_by_role("main").get_by_role("link", name=re.compile(r"\bCSV\b", re.I)).click()
    download = download_info.value

    parts = urlsplit(download.url)
    assert parts.path == "/deals/csv/"
    assert parse_qs(parts.query)["status"] == ["stalled"]
    assert download.suggested_filename.endswith(".csv")
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf"), "no byte order mark: Excel would misread 京东"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert any("title" in column.lower() for column in header), header
    title = header.index("title")
    assert sorted(row[title] for row in body) == sorted(STALLED_DEALS)
    text = content.decode("utf-8-sig")
    assert JD_DEAL_TITLE not in text  # the pledge is signed, though its meat deal is stalled
    assert BELL_DEAL_TITLE not in text


def test_the_skip_link_is_the_first_tab_stop_and_focus_is_visible(reader):
    page = reader.visit("/")

    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to content")
    assert_focus_is_visible(page)

    page.keyboard.press("Enter")
    # The fragment changes after the key's default action runs: wait for it, not race it.
    expect(page).to_have_url(re.compile(r"#main$"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), (
        "after the skip link, Tab should move into the main content"
    )
    assert_focus_is_visible(page)


def assert_focus_is_visible(page):
    focus = page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                  inView: box.width > 0 && box.left >= 0 && box.top >= 0
                    && box.right <= innerWidth && box.bottom <= innerHeight};
        }"""
    )
    assert focus["outline"] != "none" and focus["width"] >= 2, focus
    assert focus["inView"], f"the focused element is off screen: {focus}"


def test_on_a_phone_pages_fit_the_screen_and_the_navigation_works(phone_reader):
    reader = phone_reader
    for path in ("/", CEREMONY_8_NOV, JD_DEAL, "/deals/", "/parties/jd-com/", "/ceremonies/"):
        page = reader.visit(path)
        reader.assert_accessible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= PHONE["width"], f"{path} scrolls sideways: {scroll_width}px"
        tables = page.evaluate(
            """() => [...document.querySelectorAll('main table')].map((table) => ({
                right: table.getBoundingClientRect().right,
                font: Math.min(...[...table.querySelectorAll('td')]
                  .map((cell) => parseFloat(getComputedStyle(cell).fontSize))),
            }))"""
        )
        for table in tables:
            assert table["right"] <= PHONE["width"], f"{path}: a table overflows: {table}"
            assert table["font"] >= 14, f"{path}: table text too small to read: {table}"
        if path == CEREMONY_8_NOV:
            reader.screenshot("phone-ceremony.png")

    navigation = page.get_by_role("navigation", name="Main")
    link = navigation.get_by_role("link", name="Ceremonies")
    expect(link).to_be_in_viewport()
    box = link.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 24, f"tap target too small: {box}"
    link.tap()
    page.wait_for_url(re.compile(r"/ceremonies/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_staff_sign_in_to_the_admin_and_open_the_deal_form_without_csp_errors(superuser, reader):
    page = reader.visit("/admin/")
    page.get_by_label("Username").fill(superuser.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page).to_have_url(reader.base_url + "/admin/")

    page = reader.visit("/admin/deals/deal/add/")
    expect(page.get_by_role("heading", name="Add deal")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert reader.errors == []

    page = reader.visit("/admin/deals/deal/")
    expect(page.get_by_role("link", name=JD_DEAL_TITLE)).to_be_visible()
    assert reader.errors == []


OCCASION = "/occasions/trump-state-visit-china-2017-11/"
CEREMONY_9_NOV = "/ceremonies/us-china-signing-ceremony-2017-11-09/"
BOEING_DEAL = "/deals/boeing-casc-300-aircraft-2017/"
# Every chart SVG and reconciliation bar inside its container: [] when none runs past.
OVERFLOWING_CHARTS = """() => [...document.querySelectorAll('figure.chart svg, svg.meter')]
  .filter((svg) => {
    const box = svg.getBoundingClientRect();
    const parent = svg.parentElement.getBoundingClientRect();
    return box.right > parent.right + 1 || box.left < parent.left - 1;
  })
  .map((svg) => svg.closest('figure, div').textContent.trim().slice(0, 60))"""


@pytest.mark.parametrize(
    ("path", "charts", "screenshot"),
    [
        ("/", ["Published deals by year", "Published deals by country of a party"], None),
        (
            OCCASION,
            ["Disclosed value by sector", "Published deals by country of a party"],
            "occasion.png",
        ),
        (CEREMONY_9_NOV, ["Disclosed value by sector"], None),
    ],
)
def test_the_demo_pages_draw_their_charts_and_the_visit_s_bars(reader, path, charts, screenshot):
    page = reader.visit(path)
    reader.assert_accessible()

    for title in charts:
        expect(page.locator('figure.chart svg[role="img"]', has_text=title)).to_be_visible()
    assert page.evaluate(OVERFLOWING_CHARTS) == []
    main = page.get_by_role("main")
    if path == "/":
        expect(main).to_contain_text("itemised deal by deal, not a visit’s size")
        expect(main).to_contain_text("of about US$262")
    else:
        expect(page.locator("svg.meter").first).to_be_visible()
        expect(main).to_contain_text("of the value announced")
    if screenshot:
        reader.screenshot(screenshot)


def test_the_deal_page_sets_its_known_facts_in_one_row(reader):
    page = reader.visit(BOEING_DEAL)
    reader.assert_accessible()

    boxes = page.locator("dl.deal-facts > div").evaluate_all(
        "(divs) => divs.map((div) => Math.round(div.getBoundingClientRect().top))"
    )
    assert len(boxes) == 4 and len(set(boxes)) == 1, f"facts on more than one row: {boxes}"
    expect(page.locator("dl.unknown-facts")).to_contain_text("Instrumentnot known")
    expect(page.locator(".isic-code").first).to_have_attribute("title", "ISIC Rev. 4 code 30")
    reader.screenshot("deal.png")
