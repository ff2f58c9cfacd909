"""Read a rendered page as a reader and a screen reader would: text, headings, names.

The standard library's HTML parser is enough for server-rendered pages of our own;
the tests of public pages (tests/test_pages*.py) use these helpers to assert what a
page says rather than how its markup happens to be spelled.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
CONTROLS = {"input", "select", "textarea"}


@dataclass
class Page:
    title: str = ""
    description: str | None = None
    main_text: str = ""
    headings: list = field(default_factory=list)  # (level, text)
    unnamed_tables: list = field(default_factory=list)
    unlabelled_controls: list = field(default_factory=list)
    links: list = field(default_factory=list)  # (href, text)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.in_main = self.in_title = False
        self.main, self.title = [], []
        self.heading = None  # (level, [text]) while inside a heading
        self.link = None
        self.tables = []  # [attrs, has_caption] of open tables
        self.controls, self.label_targets = [], set()
        self.label_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "title" and not self.in_main:  # a chart's <title> is not the page's
            self.in_title = True
        elif tag == "meta" and attrs.get("name") == "description":
            self.page.description = attrs.get("content")
        elif re.fullmatch(r"h[1-6]", tag):
            self.heading = (int(tag[1]), [])
        elif tag == "a":
            self.link = (attrs.get("href"), [])
        elif tag == "table":
            self.tables.append([attrs, False])
        elif tag == "caption" and self.tables:
            self.tables[-1][1] = True
        elif tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_targets.add(attrs["for"])
        elif tag in CONTROLS and attrs.get("type") not in ("hidden", "submit", "button"):
            self.controls.append((attrs, self.label_depth > 0))
        if self.in_main and tag in ("br", "p", "li", "td", "th", "dt", "dd", "tr", "div"):
            self.main.append(" ")

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif tag == "title":
            self.in_title = False
        elif re.fullmatch(r"h[1-6]", tag) and self.heading:
            level, text = self.heading
            self.page.headings.append((level, _squash("".join(text))))
            self.heading = None
        elif tag == "a" and self.link:
            href, text = self.link
            self.page.links.append((href, _squash("".join(text))))
            self.link = None
        elif tag == "table" and self.tables:
            attrs, has_caption = self.tables.pop()
            named = attrs.get("aria-label") or attrs.get("aria-labelledby") or has_caption
            if not named:
                self.page.unnamed_tables.append(attrs)
        elif tag == "label":
            self.label_depth -= 1
        if self.in_main and tag in ("p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3"):
            self.main.append(" ")

    def handle_data(self, data):
        if self.in_main:
            self.main.append(data)
        if self.in_title:
            self.title.append(data)
        if self.heading:
            self.heading[1].append(data)
        if self.link:
            self.link[1].append(data)

    def close(self):
        super().close()
        self.page.main_text = _squash("".join(self.main))
        self.page.title = _squash("".join(self.title))
        for attrs, wrapped in self.controls:
            named = (
                wrapped
                or attrs.get("id") in self.label_targets
                or attrs.get("aria-label")
                or attrs.get("aria-labelledby")
            )
            if not named:
                self.page.unlabelled_controls.append(attrs.get("name"))
        return self.page


def _squash(text):
    return re.sub(r"\s+", " ", text).strip()


def read(response):
    """The page a response holds, as a `Page`."""
    reader = _Reader()
    reader.feed(response.content.decode())
    return reader.close()


def skipped_heading_levels(page):
    """Headings that jump more than one level down, e.g. an h3 straight after an h1."""
    skipped, previous = [], 0
    for level, text in page.headings:
        if level > previous + 1:
            skipped.append((level, text))
        previous = level
    return skipped
