from django.db.models import Prefetch
from django.views.generic import ListView

from deals.models import Ceremony, Deal


class HomeView(ListView):
    """The latest ceremonies, each with its published deals and headline figures."""

    template_name = "deals/home.html"
    context_object_name = "ceremonies"

    def get_queryset(self):
        deals = Deal.objects.published().with_related().order_by("title")
        return (
            Ceremony.objects.select_related("venue", "occasion")
            .with_itemised_totals()
            .prefetch_related(Prefetch("deals", queryset=deals, to_attr="published_deals"))
            .order_by("-date")[:10]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = Deal.objects.published().totals()
        return context
