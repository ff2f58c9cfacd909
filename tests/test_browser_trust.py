"""The trust pages in a real browser: linked from every page's footer, and the
corrections form (its screenshot: docs/screenshots/corrections.png)."""

import pytest
from playwright.sync_api import expect

from tests.test_browser import browser, demo, reader  # noqa: F401  (the walk's fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_corrections_form_is_reached_from_the_footer_and_refuses_a_hasty_post(reader):  # noqa: F811
    reader.page.set_default_timeout(30_000)  # a loaded machine: the home page may take seconds
    page = reader.visit("/")
    footer = page.get_by_role("contentinfo")
    for name in ("About", "Methodology", "Corrections", "Data licence (CC BY 4.0)", "API"):
        expect(footer.get_by_role("link", name=name, exact=True)).to_be_visible()
    footer.get_by_role("link", name="Corrections", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Corrections")
    reader.assert_accessible()
    expect(page.locator("#id_website")).not_to_be_in_viewport()
    page.get_by_label("Which page or deal").fill("/deals/jd-com-us-food-purchases-2017/")
    page.get_by_label("What is wrong").fill("The pledge was signed on 8 Nov 2017, not 9 Nov.")
    page.get_by_role("button", name="Send the report").click()  # within seconds: refused
    expect(page.get_by_role("alert")).to_contain_text("within seconds")
    expect(page.get_by_label("What is wrong")).to_have_value(
        "The pledge was signed on 8 Nov 2017, not 9 Nov."
    )
    page.goto(reader.base_url + "/corrections/")
    page.get_by_label("Which page or deal").fill("/deals/jd-com-us-food-purchases-2017/")
    page.get_by_label("What is wrong").fill("The pledge was signed on 8 Nov 2017, not 9 Nov.")
    reader.screenshot("corrections.png")
