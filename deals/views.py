"""Public pages. Thin views: each fetches through the QuerySet vocabulary of deals.models.

Only published deals appear on lists and in totals; a signed-in staff member may
preview a draft's own page, and nobody else learns that it exists.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from deals.filters import DealFilter
from deals.models import (
    Ceremony,
    CeremonySource,
    Deal,
    DealParty,
    Dignitary,
    Occasion,
    Party,
    Sector,
    Venue,
)

DEALS_PER_PAGE = 50


def published_deals():
    """The published record as every list shows it, in a fixed number of queries."""
    return Deal.objects.published().with_related()


class HomeView(ListView):
    """The latest ceremonies, each with its published deals and headline figures."""

    template_name = "deals/home.html"
    context_object_name = "ceremonies"

    def get_queryset(self):
        deals = published_deals().order_by("title")
        return (
            Ceremony.objects.select_related("venue", "occasion")
            .with_itemised_totals()
            .prefetch_related(Prefetch("deals", queryset=deals, to_attr="published_deals"))
            .order_by("-date", "name")[:5]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = Deal.objects.published().totals()
        context["ceremony_count"] = Ceremony.objects.count()
        return context


class CeremonyListView(ListView):
    """All ceremonies, grouped by occasion, newest first."""

    template_name = "deals/ceremony_list.html"
    context_object_name = "ceremonies"

    def get_queryset(self):
        return (
            Ceremony.objects.select_related("venue", "occasion")
            .with_itemised_totals()
            .order_by("-occasion__start_date", "occasion__name", "-date", "name")
        )


class CeremonyDetailView(DetailView):
    template_name = "deals/ceremony_detail.html"
    context_object_name = "ceremony"

    def get_queryset(self):
        return Ceremony.objects.select_related("venue", "occasion").prefetch_related(
            Prefetch("dignitaries", queryset=Dignitary.objects.select_related("person")),
            Prefetch("citations", queryset=CeremonySource.objects.select_related("source")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ceremony = self.object
        deals = published_deals().filter(ceremony=ceremony)
        context["deals"] = deals.order_by("sector__parent__code", "sector__code", "title")
        context["reconciliation"] = ceremony.reconciliation()
        return context


class DealListView(ListView):
    """Browse the published record: filters, search and sort live in the URL."""

    template_name = "deals/deal_list.html"
    context_object_name = "deals"
    paginate_by = DEALS_PER_PAGE

    def get_queryset(self):
        self.filterset = DealFilter(self.request.GET or None, queryset=published_deals())
        if self.filterset.is_bound and not self.filterset.is_valid():
            for field, errors in self.filterset.errors.items():
                for error in errors:
                    messages.error(self.request, f"{field}: {error}")
            return published_deals().none()
        queryset = self.filterset.qs
        if not self.request.GET.get("ordering"):
            queryset = queryset.order_by("-ceremony__date", "ceremony__name", "-signed_on", "title")
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["is_grouped"] = not self.request.GET.get("ordering")
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class DealDetailView(DetailView):
    template_name = "deals/deal_detail.html"
    context_object_name = "deal"

    def get_queryset(self):
        return (
            Deal.objects.visible_to(self.request.user)
            .with_related()
            .select_related("umbrella", "follows")
            .prefetch_related("status_updates__source", "citations__source")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deal = self.object
        published = Deal.objects.published()
        context["components"] = published.filter(umbrella=deal).order_by("title")
        context["follow_ons"] = published.filter(follows=deal).order_by("signed_on", "title")
        party_ids = [link.party_id for link in deal.deal_parties.all()]
        context["related"] = (
            published_deals()
            .filter(pk__in=DealParty.objects.filter(party__in=party_ids).values("deal"))
            .exclude(pk=deal.pk)
            .order_by("-signed_on", "title")[:10]
        )
        return context


class EntityDealsView(DetailView):
    """An entity's page: its published deals with totals. Subclasses say which deals."""

    template_name = "deals/entity_detail.html"
    paginate_by = DEALS_PER_PAGE

    def deals_for(self, obj):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deals = self.deals_for(self.object)
        context["totals"] = deals.totals()
        paginator = Paginator(
            deals.with_related().order_by("-signed_on", "title"), self.paginate_by
        )
        context["page_obj"] = page = paginator.get_page(self.request.GET.get("page"))
        context["deals"] = page.object_list
        context["entity_kind"] = self.model._meta.verbose_name
        return context


class PartyDetailView(EntityDealsView):
    model = Party

    def deals_for(self, party):
        return Deal.objects.published().involving(party)


class SectorDetailView(EntityDealsView):
    model = Sector

    def deals_for(self, sector):
        return Deal.objects.published().in_sector(sector)


class VenueDetailView(EntityDealsView):
    model = Venue

    def deals_for(self, venue):
        return Deal.objects.published().filter(ceremony__venue=venue)


class OccasionDetailView(EntityDealsView):
    model = Occasion

    def deals_for(self, occasion):
        return Deal.objects.published().filter(ceremony__occasion=occasion)
