"""The Atom feeds: newly published deals, newest first; the newest status updates of
published deals (follow-through), of them all or of one ceremony or occasion."""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deals.models import Deal, StatusUpdate
from deals.presentation import format_day
from deals.scopes import Scope

FEED_LENGTH = 50


class DealFeed(Feed):
    feed_type = Atom1Feed
    # Lazy: each feed is written in the language of its address (/zh-hans/feeds/…).
    title = gettext_lazy("Deal Tracker: newly published deals")
    subtitle = gettext_lazy(
        "Commercial deals signed at state visits, summits and trade fairs, "
        "as they are added to the public record."
    )
    author_name = gettext_lazy("Deal Tracker")  # Atom requires an author for the feed or each entry

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
            _("{summary} Value: {value}. Status: {status}."),
            summary=deal.summary or deal.title,
            value=deal.value_display,
            status=deal.get_status_display(),
        )
        if deal.ceremony:
            text += format_html(
                _(" Ceremony: {name}, {day}."),
                name=deal.ceremony.reader_name,
                day=format_day(deal.ceremony.date, "short"),
            )
        return text

    def item_pubdate(self, deal):
        return deal.published_at

    def item_updateddate(self, deal):
        return deal.updated_at

    def item_categories(self, deal):
        return [deal.sector.name]


class FollowThroughFeed(Feed):
    """The newest status updates of published deals: what became of them, as reported.

    One entry per dated update (so an id of its own), newest first, linking to the deal's
    page; the summary carries the note, the source's words and a link to the source.
    """

    feed_type = Atom1Feed
    title = gettext_lazy("Deal Tracker: follow-through")
    subtitle = gettext_lazy(
        "What became of the deals signed at state visits, summits and trade fairs."
    )
    author_name = gettext_lazy("Deal Tracker")

    def link(self):
        return reverse("deals:list")

    def items(self):
        return self.updates(StatusUpdate.objects.all())

    @staticmethod
    def updates(updates):
        """The newest updates of published deals, with their deal and source (one query)."""
        return (
            updates.filter(deal__is_published=True)
            .select_related("deal", "source")
            .order_by("-date", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, update):
        return _("{deal}: {status}, {day}").format(
            deal=update.deal.title,
            status=update.get_status_display(),
            day=format_day(update.date, "short"),
        )

    def get_feed(self, obj, request):
        # The feed's id is its own address: the default, its alternate page, is /deals/
        # for the feed of newly published deals too.
        feed = super().get_feed(obj, request)
        feed.feed["id"] = request.build_absolute_uri(request.path)
        return feed

    def item_link(self, update):
        # The update on its deal's page (the timeline's anchor): also the entry's id,
        # so several updates of one deal are several entries.
        return f"{update.deal.get_absolute_url()}#status-update-{update.pk}"

    def item_description(self, update):
        text = format_html(
            _("{deal}: {status} on {day}."),
            deal=update.deal.title,
            status=update.get_status_display(),
            day=format_day(update.date, "short"),
        )
        if update.note:
            text += format_html(" {}", update.note)
        if update.quote:
            text += format_html(" “{}”", update.quote)
        if update.source:
            source = update.source
            text += format_html(
                _(' Source: <a href="{url}">{title}</a>.'),
                url=source.url,
                title=source.title or source.publisher,
            )
        return text

    def item_pubdate(self, update):
        # A status update is dated by day: the entry is dated at the day's start.
        return datetime.datetime.combine(update.date, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, update):
        return self.item_pubdate(update)


class ScopeFollowThroughFeed(FollowThroughFeed):
    """The newest status updates of one ceremony's or occasion's published deals; the
    subtitle is its scorecard in one line, the figures its page, the API and the CSV give.
    """

    def __init__(self, kind):
        super().__init__()
        self.kind = kind  # "ceremony" or "occasion" (deals/scopes.py)

    def get_object(self, request, slug):
        return Scope.by_address(self.kind, slug)

    def title(self, scope):
        return _("Deal Tracker: follow-through of {name}").format(name=scope.name)

    def subtitle(self, scope):
        return scope.scorecard().display

    def link(self, scope):
        return scope.page_path()

    def items(self, scope):
        return self.updates(StatusUpdate.objects.filter(deal__in=scope.deals().values("pk")))
