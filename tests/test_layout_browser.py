"""Nothing runs past its container: every public page and the deal form, at 1280 and 390 px.

Headless Debian Chromium (/usr/bin/chromium) driven by Playwright against the live
server with the demo data set. On each page one script measures every rendered element
against the block it sits in: an element wider than its container (a table column cut
off at a panel's edge, a long word pushing a box out) is a fault, and so is a page that
scrolls sideways. A container that scrolls (`overflow-x: auto`, the wrappers of wide
tables) may hold something wider; one that clips (`overflow: hidden`) may not, since
that is what cuts a column off.

Fast on purpose: one browser and one tab for all the public pages at both widths, one
for the admin. To check a new page, add its path to PUBLIC_PAGES; pages linked from the
footer are found and checked on their own.
"""

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from deals import demo
from deals.models import Deal
from tests.browser import chromium
from tests.conftest import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}
HEIGHT = 900

OCCASION = f"/occasions/{demo.OCCASION['slug']}/"
# Every kind of public page, with the demo record's longest cases (every deal: their
# quotes, parties tables and status timelines differ most). Add new pages here.
PUBLIC_PAGES = [
    "/",
    "/deals/",
    "/deals/?q=JD.com",
    "/deals/?status=stalled&sort=value",
    "/ceremonies/",
    *(f"/ceremonies/{ceremony['slug']}/" for ceremony in demo.CEREMONIES),
    OCCASION,
    *(f"/deals/{deal['slug']}/" for deal in demo.DEALS),
    "/parties/jd-com/",
    "/parties/qualcomm/",
    "/sectors/manufacture-of-food-products/",
    "/countries/CN/",
    "/countries/US/",
    f"/venues/{demo.VENUE['slug']}/",
]
# Footer links that are not pages to lay out (feeds, downloads, machine-readable files).
NOT_PAGES = ("/feeds/", "/api/", "/sitemap", ".xml", ".csv", ".json", "/admin/")

# The deal with most parties (the Parties inline's widest case) and status updates.
ADMIN_DEAL = "jd-com-us-beef-and-pork-2017"

pytestmark = [
    pytest.mark.browser,
    # The live server reads what the test writes, so the data must be committed;
    # serialized_rollback brings back the ISIC sectors and staff groups the migrations
    # seeded, which the flush after a transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Returns the faults found, [] when everything fits. One round trip per page.
OVERFLOWS = """() => {
  const faults = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    faults.push(`the page scrolls sideways: ${root.scrollWidth}px in ${root.clientWidth}px`);
  }
  const name = (el) => {
    const id = el.id ? `#${el.id}` : '';
    const classes = [...el.classList].slice(0, 2).map((c) => `.${c}`).join('');
    const text = (el.textContent || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${id}${classes}${text ? ` "${text}"` : ''}`;
  };
  // The block an element is laid out in: inline and `display: contents` boxes do not
  // bound their children; an absolutely placed box is bound by its offset parent.
  const containerOf = (el, style) => {
    let c = ['absolute', 'fixed'].includes(style.position) ? el.offsetParent : el.parentElement;
    while (c && c !== document.body) {
      const display = getComputedStyle(c).display;
      if (display !== 'inline' && display !== 'contents') break;
      c = c.parentElement;
    }
    return c;
  };
  // Boxes hidden from sight on purpose, and everything inside them: .visually-hidden
  // (1 px, clipped), a table head set aside on a phone, the skip link above the top edge.
  const hidden = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    if (hidden.has(el.parentElement)) {
      hidden.add(el);
      continue;
    }
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;  // drawn, scaled
    const style = getComputedStyle(el);
    if (style.position === 'fixed' || style.visibility === 'hidden') continue;
    if (style.display === 'inline' || style.display === 'contents') continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || box.bottom <= 0) {
      hidden.add(el);
      continue;
    }
    const container = containerOf(el, style);
    if (!container) continue;
    const outer = container === document.body ? root : container;
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(outer).overflowX);
    if (scrolls && outer !== root) continue;  // a scrolling wrapper may hold anything wider
    const bound = outer === root
      ? {left: 0, right: root.clientWidth}
      : outer.getBoundingClientRect();
    const past = Math.max(box.right - bound.right, bound.left - box.left);
    if (past > 1) {
      faults.push(
        `${name(el)} runs ${Math.round(past)}px past ${outer === root ? 'the page' : name(outer)}`
        + ` (${Math.round(box.width)}px wide)`
      );
    }
  }
  return faults;
}"""

INLINES_SCROLLED = """() => [...document.querySelectorAll('.inline-group .tabular fieldset.module')]
  .filter((panel) => panel.scrollWidth > panel.clientWidth + 1)
  .map((panel) => `${panel.querySelector('h2').textContent.trim()}: ${panel.scrollWidth}px`
    + ` in ${panel.clientWidth}px`)"""

FOOTER_LINKS = """() => [...document.querySelectorAll('footer a[href]')]
  .filter((a) => a.origin === location.origin)
  .map((a) => a.pathname + a.search)"""


@pytest.fixture
def demo_record(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def browser(live_server, demo_record):
    """One Chromium, started once the test's data is committed (see tests/test_browser.py
    for why a browser per test rather than per session)."""
    with chromium() as browser:
        yield browser


def open_tab(browser, width):
    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.errors = errors
    return context, page


def overflows_of(page, base_url, path):
    response = page.goto(base_url + path)
    assert response.ok, f"{path} answered {response.status}"
    page.wait_for_load_state("load")
    return [
        f"{path} at {page.viewport_size['width']} px: {fault}" for fault in page.evaluate(OVERFLOWS)
    ]


def is_page(path):
    return not any(part in path for part in NOT_PAGES)


def test_no_public_page_has_an_element_wider_than_its_container(browser, live_server):
    faults = []
    for width in WIDTHS.values():
        context, page = open_tab(browser, width)
        checked = set()
        queue = list(PUBLIC_PAGES)
        while queue:
            path = queue.pop(0)
            if path in checked:
                continue
            checked.add(path)
            faults += overflows_of(page, live_server.url, path)
            # The footer's pages (About, Methodology, …) join the list as they are linked.
            queue += [link for link in page.evaluate(FOOTER_LINKS) if is_page(link)]
        assert page.errors == []
        context.close()
        assert checked >= set(PUBLIC_PAGES)
    assert faults == []


def test_the_page_list_names_every_kind_of_public_page():
    kinds = {urlsplit(path).path.split("/")[1] for path in PUBLIC_PAGES}
    assert kinds == {
        "",
        "deals",
        "ceremonies",
        "occasions",
        "parties",
        "sectors",
        "countries",
        "venues",
    }
    assert "/deals/?q=JD.com" in PUBLIC_PAGES  # search results


def test_the_overflow_check_finds_a_column_cut_off_and_a_sideways_scroll(browser):
    """The check itself can fail: a table running past a clipping panel, a page too wide."""
    context, page = open_tab(browser, WIDTHS["phone"])
    page.set_content(
        "<main style='width:300px; overflow:hidden'><table id='cut' style='width:500px'>"
        "<tr><td>a</td></tr></table></main>"
        "<div style='overflow-x:auto; width:300px'><table style='width:500px'><tr><td>b</td>"
        "</tr></table></div><p id='wide' style='width:600px'>wide</p>"
    )
    faults = page.evaluate(OVERFLOWS)
    context.close()
    assert any(fault.startswith("the page scrolls sideways") for fault in faults), faults
    assert any("table#cut" in fault and "past main" in fault for fault in faults), faults
    assert any("p#wide" in fault and "past the page" in fault for fault in faults), faults
    # The table inside the scrolling wrapper is allowed.
    assert not any('"b"' in fault for fault in faults), faults


@pytest.fixture
def admin_deal(demo_record, superuser):
    return Deal.objects.get(slug=ADMIN_DEAL)


def test_the_admin_deal_form_fits_its_panels_at_both_widths(
    admin_deal, superuser, browser, live_server
):
    faults = []
    for label, width in WIDTHS.items():
        context, page = open_tab(browser, width)
        page.goto(f"{live_server.url}/admin/login/")
        page.get_by_label("Username").fill(superuser.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

        path = f"/admin/deals/deal/{admin_deal.pk}/change/"
        faults += overflows_of(page, live_server.url, path)
        expect(page.locator("#id_title")).to_have_value(admin_deal.title)
        if label == "desktop":
            # At a desktop width the inlines fit their panel without scrolling: the
            # Parties inline's signatory title is not past the edge.
            scrolled = page.evaluate(INLINES_SCROLLED)
            assert scrolled == [], f"inlines wider than their panel at 1280 px: {scrolled}"
            title = page.locator(".field-signatory_title input").first.bounding_box()
            panel = page.locator(".inline-group .tabular fieldset.module").first.bounding_box()
            assert title["x"] + title["width"] <= panel["x"] + panel["width"], (title, panel)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / "admin-deal-form.png", full_page=True)
        assert page.errors == []
        context.close()
    assert faults == []
