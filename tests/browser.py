"""Debian's Chromium for the browser tests, started one way everywhere.

Never `playwright install`: the tests drive the system's /usr/bin/chromium (set
CHROMIUM to use another path). A missing browser fails the test, it never skips.
"""

import os
from contextlib import contextmanager

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    # Without these Chromium calls home at start, and this network refuses it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@contextmanager
def chromium():
    """A headless Chromium for one test; closed however the test ends."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. The browser tests need Debian's chromium and "
            "fonts-wqy-zenhei: `make test` installs them (bin/ensure-browser), or run "
            "`sudo apt-get install chromium fonts-wqy-zenhei`, or set CHROMIUM to its path. "
            "Do not run `playwright install`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
