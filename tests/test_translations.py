"""Every public string has its Simplified Chinese translation, and the Chinese pages use it.

Two checks, each able to fail on its own:

- the catalogue is complete: Django's own extraction (`makemessages`, into a temporary
  folder) finds no msgid that locale/zh_Hans/LC_MESSAGES/django.po lacks, leaves empty
  or marks fuzzy;
- the pages read it: every public page of the demo record under /zh-hans/ shows none of
  the catalogue's English texts (a text written outside {% translate %}, or a msgid the
  compiled .mo lacks, shows in English). Data such as names and titles stays as recorded.
"""

import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from deals.models import Ceremony, Deal, Occasion, Party, Sector, Venue

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# As `make messages` runs it: the staff admin and the tests are not public.
IGNORED = [".venv/*", "bench/*", "tests/*", "templates/admin/*", "deals/admin/*", "staticfiles/*"]
# A msgid's placeholders: what is filled in is data, not its English.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
# Names that Chinese pages write as English ones do.
SAME_IN_BOTH = {"API", "CSV", "BibTeX", "ISIC", "Atom", "JSON"}


def read_catalogue(path):
    with open(path, "rb") as file:
        return read_po(file)


def extracted_catalogue(tmp_path, monkeypatch):
    """What `make messages` would extract, from a copy of the sources: makemessages writes
    beside the sources' own locale folder, which must stay as committed."""
    for folder in ("deals", "dealtracker", "templates"):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    (tmp_path / "locale").mkdir()
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command(
            "makemessages",
            locale=["zh_Hans"],
            ignore_patterns=IGNORED,
            no_location=True,
            verbosity=0,
            stdout=io.StringIO(),
        )
    return read_catalogue(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")


def test_every_extracted_msgid_has_a_chinese_translation_in_the_committed_catalogue(
    tmp_path, monkeypatch
):
    committed = read_catalogue(CATALOGUE)
    extracted = extracted_catalogue(tmp_path, monkeypatch)
    extracted_ids = [message.id for message in extracted if message.id]
    assert len(extracted_ids) > 100  # the extraction found the site's strings
    problems = []
    for message in extracted:
        if not message.id:
            continue
        found = committed.get(message.id, message.context)
        if found is None:
            problems.append(f"missing: {message.id!r}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(found.string) if isinstance(found.string, tuple) else not found.string:
            problems.append(f"untranslated: {message.id!r}")
    assert problems == [], "run `make messages` and translate:\n" + "\n".join(problems)


def test_the_catalogue_holds_no_fuzzy_or_empty_entry():
    # An entry the code no longer uses is harmless, but one that is fuzzy or empty would
    # show English the day the code uses it again.
    committed = read_catalogue(CATALOGUE)
    bad = [
        message.id
        for message in committed
        if message.id
        and (message.fuzzy or not (all(message.string) if message.pluralizable else message.string))
    ]
    assert bad == []


class VisibleText(HTMLParser):
    """The page's text as a reader meets it: text nodes, and the attributes read aloud
    or shown (title, alt, placeholder, aria-label, the description meta)."""

    SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}
    # Not prose: scripts, styles, and code (a BibTeX entry, a CSV column name).
    HIDDEN = {"script", "style", "pre", "code"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        attrs = dict(attrs)
        for name in self.SHOWN_ATTRIBUTES & attrs.keys():
            self.texts.append(attrs[name] or "")
        if tag == "meta" and attrs.get("name") == "description":
            self.texts.append(attrs.get("content") or "")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.texts.append(data)


def visible_texts(html):
    reader = VisibleText()
    reader.feed(html)
    return [" ".join(text.split()) for text in reader.texts if text.strip()]


def english_fragments(msgid):
    """The literal English of a msgid, without its tags and cut at its placeholders: what
    would show if the text were not translated. Short fragments ("of the", ", at") say
    nothing: names hold them too ("Great Hall of the People")."""
    text = msgid if isinstance(msgid, str) else msgid[0]
    text = re.sub(r"<[^>]+>", "", text)
    parts = [" ".join(part.split()) for part in PLACEHOLDER.split(text)]
    return [
        part
        for part in parts
        if part not in SAME_IN_BOTH
        and (
            len(re.findall(r"[A-Za-z]", part)) >= 8
            or (" " not in part and re.search(r"[A-Za-z]{3}", part))
        )
    ]


def is_label(fragment):
    """A short lowercase text ("memorandum of understanding", "signed"): a label, shown
    as a whole, whose words an English title or summary may also hold."""
    return fragment[:1].islower() and len(fragment.split()) <= 4 or " " not in fragment


def untranslated_on(html, catalogue_ids):
    texts = visible_texts(html)
    joined = " ".join(texts)
    found = set()
    for msgid in catalogue_ids:
        for fragment in english_fragments(msgid):
            fragment = fragment.strip()
            if is_label(fragment):
                # Only as a whole text, so that a word inside a deal's English title is
                # not taken for an untranslated label.
                if fragment in texts:
                    found.add(fragment)
            elif re.search(rf"(?<![A-Za-z]){re.escape(fragment)}(?![A-Za-z])", joined):
                found.add(fragment)
    return sorted(found)


def public_addresses():
    """The English addresses of every public page of the demo (the Chinese ones are the
    same under /zh-hans/)."""
    with translation.override("en"):
        return _public_addresses()


def _public_addresses():
    published = Deal.objects.published()
    addresses = ["/", "/ceremonies/", "/deals/", "/deals/?q=JD", "/deals/?ordering=-value"]
    addresses += [deal.get_absolute_url() for deal in published]
    related = [
        Ceremony.objects.filter(deals__in=published),
        Occasion.objects.filter(ceremonies__deals__in=published),
        Venue.objects.filter(ceremonies__deals__in=published),
        Party.objects.filter(deal_parties__deal__in=published),
        Sector.objects.filter(deals__in=published),
    ]
    for records in related:
        addresses += [record.get_absolute_url() for record in records.distinct()]
    countries = {p.country.code for p in Party.objects.filter(deal_parties__deal__in=published)}
    addresses += [f"/countries/{code.lower()}/" for code in sorted(countries)]
    return addresses


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_every_public_page_of_the_demo_answers_in_both_languages(client, demo):
    addresses = public_addresses()
    assert len(addresses) > 20
    for address in addresses:
        english = client.get(address)
        chinese = client.get("/zh-hans" + address)
        assert english.status_code == 200, address
        assert chinese.status_code == 200, address
        assert english["Content-Language"] == "en"
        assert chinese["Content-Language"] == "zh-hans"
        assert '<html lang="zh-Hans">' in chinese.content.decode()
        assert '<html lang="en">' in english.content.decode()


def test_no_public_page_under_zh_hans_shows_an_english_text_of_the_catalogue(client, demo):
    catalogue_ids = [message.id for message in read_catalogue(CATALOGUE) if message.id]
    problems = {}
    for address in public_addresses():
        response = client.get("/zh-hans" + address)
        assert response.status_code == 200, address
        found = untranslated_on(response.content.decode(), catalogue_ids)
        if found:
            problems[address] = found
    assert problems == {}


def test_the_check_finds_an_english_label_left_on_a_page():
    # The check itself can fail: an untranslated label, whole or inside a sentence.
    ids = ["Browse deals", "Home", "Signed at %(ceremony)s on %(day)s"]
    html = "<main><a>Home</a><p>Signed at 签约仪式 on 2017年11月8日</p><p>Homes for all</p></main>"
    assert untranslated_on(html, ids) == ["Home", "Signed at"]
    assert untranslated_on("<main><a>首页</a><p>浏览交易</p></main>", ids) == []


def test_feeds_answer_in_both_languages(client, demo):
    english = client.get("/feeds/deals/").content.decode()
    chinese = client.get("/zh-hans/feeds/deals/").content.decode()
    assert "Deal Tracker: newly published deals" in english
    assert "newly published deals" not in chinese
    assert "/zh-hans/deals/" in chinese  # links to the Chinese pages
    follow = client.get("/zh-hans/feeds/follow-through/")
    assert follow.status_code == 200
    assert "<title>交易追踪：落实情况</title>" in follow.content.decode()
    assert (
        "<title>Deal Tracker: follow-through</title>"
        in client.get("/feeds/follow-through/").content.decode()
    )
