"""Sitemap sections: the public pages a search engine should know about.

Drafts stay out, and so do parties, sectors, venues and occasions whose only deals
are drafts: their pages would be empty. Each section costs two queries (count and page),
whatever the number of rows. Past 50,000 deals, serve these through a sitemap index.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from deals.models import Ceremony, Deal, Occasion, Party, Sector, Venue


class PageSitemap(Sitemap):
    """The pages that are not about one object."""

    def items(self):
        return ["deals:home", "deals:ceremony_list", "deals:list"]

    def location(self, name):
        return reverse(name)


class CeremonySitemap(Sitemap):
    """Every ceremony: its page shows what was announced, even before deals are itemised.

    No lastmod: the page changes when its deals do, which the ceremony's own
    timestamp does not record, and a lastmod too old would put crawlers off.
    """

    def items(self):
        return Ceremony.objects.order_by("-date", "pk")


class DealSitemap(Sitemap):
    def items(self):
        return Deal.objects.published().order_by("pk")

    def lastmod(self, deal):
        return deal.updated_at


class PartySitemap(Sitemap):
    def items(self):
        return Party.objects.having_published_deals().order_by("pk")


class SectorSitemap(Sitemap):
    def items(self):
        # Sections too: a section's page lists its divisions' deals.
        return Sector.objects.having_published_deals().order_by("pk")


class VenueSitemap(Sitemap):
    def items(self):
        published_here = Deal.objects.published().filter(ceremony__venue=OuterRef("pk"))
        return Venue.objects.filter(Exists(published_here)).order_by("pk")


class OccasionSitemap(Sitemap):
    def items(self):
        return Occasion.objects.having_published_deals().order_by("pk")


class CountrySitemap(Sitemap):
    """Countries with a party to a published deal: the others have no page (404)."""

    def items(self):
        return list(Party.objects.countries_with_published_deals())

    def location(self, code):
        return reverse("deals:country", args=[code.lower()])


SITEMAPS = {
    "pages": PageSitemap,
    "ceremonies": CeremonySitemap,
    "deals": DealSitemap,
    "parties": PartySitemap,
    "sectors": SectorSitemap,
    "venues": VenueSitemap,
    "occasions": OccasionSitemap,
    "countries": CountrySitemap,
}
