"""The Atom feed of newly published deals, newest first."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html

from deals.models import Deal

FEED_LENGTH = 50


class DealFeed(Feed):
    feed_type = Atom1Feed
    title = "Deal Tracker: newly published deals"
    subtitle = (
        "Commercial deals signed at state visits, summits and trade fairs, "
        "as they are added to the public record."
    )
    author_name = "Deal Tracker"  # Atom requires an author for the feed or each entry

    def link(self):
        return reverse("deals:list")

    def items(self):
        # A published deal without published_at (written in bulk, bypassing save())
        # goes last, on PostgreSQL too, which would sort NULL first when descending.
        return (
            Deal.objects.published()
            .select_related("sector", "ceremony")
            .order_by(F("published_at").desc(nulls_last=True), "-pk")[:FEED_LENGTH]
        )

    def item_title(self, deal):
        return deal.title

    def item_description(self, deal):
        # Atom1Feed marks the summary type="html", so the text must be HTML-escaped.
        text = format_html(
            "{} Value: {}. Status: {}.",
            deal.summary or deal.title,
            deal.value_display,
            deal.get_status_display(),
        )
        if deal.ceremony:
            text += format_html(
                " Ceremony: {}, {}.", deal.ceremony.name, f"{deal.ceremony.date:%-d %b %Y}"
            )
        return text

    def item_pubdate(self, deal):
        return deal.published_at

    def item_updateddate(self, deal):
        return deal.updated_at

    def item_categories(self, deal):
        return [deal.sector.name]
