"""What a follow-through scorecard is about: a ceremony, an occasion, a party (itself, or
with its subsidiaries), a sector or a country, and which published deals that holds.

One place says it, so that the API, the CSV downloads and the feeds count the same deals
and give the same figures (`Scope.scorecard()`, through the public cache). Drafts never
count, whoever asks: a scorecard is a public figure.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_countries import countries

from deals.models import Ceremony, Deal, FigureRow, Occasion, Party, Sector

MODELS = {"ceremony": Ceremony, "occasion": Occasion, "party": Party, "sector": Sector}
KINDS = (*MODELS, "country")
# Scopes with a follow-through feed of their own (/ceremonies/<slug>/follow-through/feed/).
FEED_KINDS = ("ceremony", "occasion")


def country_name(code):
    """The English name of an ISO 3166-1 alpha-2 code written in capitals, else Http404."""
    if not (isinstance(code, str) and len(code) == 2 and code.isascii() and code.isupper()):
        raise Http404("Not an ISO 3166-1 alpha-2 country code.")
    name = countries.name(code)
    if not name:
        raise Http404("Not an ISO 3166-1 alpha-2 country code.")
    return name


class Scope:
    """The published deals a scorecard counts, and the addresses that show it."""

    def __init__(self, kind, record=None, *, code="", group_ids=None):
        self.kind = kind
        self.record = record  # a Ceremony, Occasion, Party or Sector; None for a country
        self.code = code  # a country's ISO 3166-1 alpha-2 code
        self.group_ids = group_ids  # a party with its subsidiaries: every party's id
        self.name = country_name(code) if kind == "country" else record.name
        if group_ids is not None:
            self.name = f"{record.name} with subsidiaries"

    @classmethod
    def of(cls, record):
        """The scope of a ceremony, occasion, party (itself) or sector."""
        kind = next(kind for kind, model in MODELS.items() if isinstance(record, model))
        return cls(kind, record)

    @classmethod
    def of_country(cls, code):
        """The scope of a country (Http404 for anything but a capitalised ISO code)."""
        return cls("country", code=code)

    @classmethod
    def by_address(cls, kind, key):
        """The scope a public address names: the record's slug, or a country's code;
        Http404 when there is none (one query, none for a country)."""
        if kind == "country":
            return cls.of_country(key)
        return cls(kind, get_object_or_404(MODELS[kind], slug=key))

    def with_subsidiaries(self):
        """A party's scope widened to its whole group below it (one query per level)."""
        assert self.kind == "party" and self.group_ids is None
        return Scope("party", self.record, group_ids=self.record.with_subsidiaries_ids())

    @property
    def subsidiary_count(self):
        return len(self.group_ids) - 1 if self.group_ids is not None else 0

    @property
    def key(self):
        """What the public addresses name it by: the slug, or the country code."""
        return self.code if self.kind == "country" else self.record.slug

    def deals(self):
        """The published deals of the scope (drafts never count, even for staff)."""
        published = Deal.objects.published()
        if self.kind == "ceremony":
            return published.filter(ceremony=self.record)
        if self.kind == "occasion":
            return published.filter(ceremony__occasion=self.record)
        if self.kind == "party" and self.group_ids is not None:
            return published.involving_any(self.group_ids)
        if self.kind == "party":
            return published.involving(self.record)
        if self.kind == "sector":
            return published.in_sector(self.record)
        return published.from_country(self.code)

    @property
    def figure_key(self):
        """The scope's key among the kept figures (deals/models/figures.py)."""
        if self.kind == "country":
            return f"country:{self.code}"
        if self.group_ids is not None:
            return f"group:{self.record.pk}"
        return f"{self.kind}:{self.record.pk}"

    def summary(self):
        """(Totals, Scorecard) of the scope's published deals, read from the kept
        figures: two queries (one when nothing changed since, none when cached)."""
        return FigureRow.objects.remembered_summary(self.figure_key)

    def scorecard(self):
        """The Scorecard of the scope's published deals (see `summary()`)."""
        return self.summary()[1]

    # --- addresses (paths; callers make them absolute) -------------------------------

    def page_path(self):
        """The public page of the scope."""
        if self.kind == "country":
            return reverse("deals:country", args=[self.code.lower()])
        return self.record.get_absolute_url()

    def csv_path(self):
        return reverse(f"deals:{self.kind}_follow_through_csv", args=[self.key])

    def feed_path(self):
        """The scope's follow-through feed, or None for kinds that have none."""
        if self.kind not in FEED_KINDS:
            return None
        return reverse(f"deals:{self.kind}_follow_through_feed", args=[self.key])

    def api_path(self):
        return reverse(f"api:{self.kind}-detail", args=[self.code or self.record.pk])

    def api_follow_through_path(self):
        return reverse(f"api:{self.kind}-follow-through", args=[self.code or self.record.pk])
