"""An editor's session in a real browser: import a CSV through its preview, quick entry.

Headless Debian Chromium (/usr/bin/chromium) driven by Playwright against the live
server. A missing Chromium fails the test with a message, never skips it. Every page
is checked for console errors, which include Content-Security-Policy refusals: the
admin's extra script must load from a file and run. Writes the README's screenshots
of the staff tools to docs/screenshots/.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connections
from playwright.sync_api import expect

from deals.models import Deal, Qualifier
from tests.browser import chromium
from tests.conftest import PASSWORD
from tests.factories import CeremonyFactory, PartyFactory, UserFactory

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    # The live server reads what the test writes; serialized_rollback restores the
    # sectors and staff groups the migrations seeded after the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GOOD_CSV = (
    "title,sector,value_wording,ceremony,signed_on,parties\n"
    "JD.com buys US beef and pork,10,US$1.2 billion over three years,Great Hall signings,"
    "2017-11-08,JD.com:buyer; Smithfield Foods:seller\n"
    "Reignwood buys Bell helicopters,Manufacture of other transport equipment,undisclosed,"
    "Great Hall signings,2017-11-08,Reignwood International:buyer\n"
)
BAD_CSV = """title,sector,value_wording,signed_on,parties
Good row,10,$1bn,2017-11-08,JD.com:buyer
Bad row,10,a lot of money,08/11/2017,Acme:buyer
"""


# Started for each test, after its database is set up: with Playwright's event loop
# already running, the restore of the migrations' data (serialized_rollback) was
# skipped for the second test of a session that had run other tests first.
@pytest.fixture
def browser():
    # Playwright's sync API keeps an event loop running in this thread, so Django
    # would refuse the test's own ORM calls (its checks of what the browser saved).
    # Under the loop they get a connection object of their own (asgiref's Local keys
    # them by context), which sees the committed data of these transactional tests
    # and is closed below.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with chromium() as browser:
            yield browser
            # The ORM calls made while Playwright ran used connections of their own
            # context; close them, or PostgreSQL cannot drop the test database.
            connections.close_all()


@pytest.fixture
def editor_page(browser, live_server):
    UserFactory(username="editor", groups=["Editors"])
    assert Group.objects.filter(name="Editors").exists()
    PartyFactory(name="JD.com", slug="jd-com")
    PartyFactory(name="Smithfield Foods", slug="smithfield-foods")
    PartyFactory(name="Reignwood International", slug="reignwood-international")
    CeremonyFactory(name="Great Hall signings", slug="great-hall-signings")

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"{m.text} ({page.url})"))
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.base = live_server.url
    page.errors = errors

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Drafts awaiting review")).to_be_visible()
    yield page
    context.close()


def screenshot(target, name):
    """A page's first screen, or one element of it, for the README."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=SCREENSHOTS / name)


def upload(page, name, text):
    page.goto(f"{page.base}/admin/deals/deal/import/")
    page.get_by_label("File to import").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()


def test_an_editor_imports_a_csv_through_its_preview(editor_page):
    page = editor_page

    upload(page, "bad.csv", BAD_CSV)
    problems = page.locator("table.import-problems")
    expect(problems).to_contain_text("No party “Acme”")
    expect(problems).to_contain_text("YYYY-MM-DD")
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    assert not Deal.objects.exists()

    upload(page, "deals.csv", GOOD_CSV)
    preview = page.locator("table.import-preview")
    expect(preview).to_contain_text("created")
    expect(preview).to_contain_text("jd-com:buyer; smithfield-foods:seller")
    screenshot(page, "admin-import-preview.png")
    assert not Deal.objects.exists()  # nothing written before confirmation

    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_contain_text("Imported: 2 new")
    beef = Deal.objects.get(slug="jdcom-buys-us-beef-and-pork")
    assert beef.value_amount == 1_200_000_000
    assert beef.term_months == 36
    assert beef.history.get().history_user.username == "editor"
    assert page.errors == []


def test_an_editor_enters_a_deal_with_quick_entry(editor_page):
    page = editor_page
    page.goto(f"{page.base}/admin/deals/deal/add/")

    page.get_by_label("Title").fill("JD.com purchase pledge")
    # The sector is an autocomplete: open it, type, pick.
    page.locator("#id_sector").locator("xpath=..").locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("food products")
    page.locator(".select2-results__option", has_text="10 Manufacture of food products").click()
    page.get_by_label("Signed on").fill("2017-11-08")

    page.get_by_label("Value as reported").fill("more than $2 billion over three years")
    page.get_by_role("button", name="Fill value and term").click()
    status = page.locator(".quick-entry-status")
    expect(status).to_contain_text("Read as “more than US$2 billion, 3 years”")
    expect(page.locator("#id_value_amount")).to_have_value("2000000000")
    expect(page.locator("#id_value_qualifier")).to_have_value("more_than")
    expect(page.locator("#id_term_months")).to_have_value("36")
    screenshot(page.locator("fieldset", has_text="Value as reported"), "admin-quick-entry.png")

    # What cannot be read is said, and fills nothing.
    page.get_by_label("Value as reported").fill("$1-2 billion")
    page.get_by_role("button", name="Fill value and term").click()
    expect(status).to_contain_text("is a range")
    expect(page.locator("#id_value_amount")).to_have_value("2000000000")

    page.get_by_label("Value as reported").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    deal = Deal.objects.get(title="JD.com purchase pledge")
    assert (deal.value_amount, deal.value_qualifier, deal.term_months) == (
        2_000_000_000,
        Qualifier.MORE_THAN,
        36,
    )
    assert deal.sector.code == "10"
    assert page.errors == []
