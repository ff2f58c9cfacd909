"""Public pages. Thin views: each fetches through the QuerySet vocabulary of deals.models.

Only published deals appear on lists and in totals; a signed-in staff member may
preview a draft's own page, and nobody else learns that it exists. Every list costs
the same number of queries however many rows it shows (tests/test_pages_queries.py).
"""

from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView
from django_countries import countries
from django_countries.fields import Country

from deals import charts
from deals.caching import remembered
from deals.filters import CEREMONY_ORDER, DealFilter
from deals.follow_through_chart import follow_through_chart
from deals.models import (
    Ceremony,
    CeremonySource,
    Deal,
    DealSource,
    Dignitary,
    FigureRow,
    FigureSum,
    Occasion,
    Party,
    Sector,
    StatusUpdate,
    Venue,
)
from deals.models.figures import ALL
from deals.models.status import Outcome
from deals.pagination import IdsFirstPaginator
from deals.presentation import format_day, format_money
from deals.scopes import Scope

DEALS_PER_PAGE = 50
CEREMONIES_PER_PAGE = 100
HOME_CEREMONIES = 5
HOME_DEALS_PER_CEREMONY = 10
# The home page sets the newest occasions' announced headlines beside the record's figures.
HOME_OCCASIONS = 3
RELATED_DEALS = 10
# A ceremony's "what became of these deals" shows its latest status updates; each deal's
# own page has all of its own.
CEREMONY_STATUS_UPDATES = 100
# The party box suggests the parties most active lately: a list of every party would be too
# long to use (or to send); any party's slug still works, and search finds by name.
PARTY_SUGGESTIONS = 300
# Likewise the newest ceremonies and occasions (a form of every one would be megabytes).
CEREMONY_SUGGESTIONS = 300
OCCASION_SUGGESTIONS = 300


# The browse form's labels, also used by its messages and its list of filters in force.
FILTER_LABELS = {
    "q": _("Words in the title, summary or a party’s name"),
    "sector": _("Sector"),
    "party": _("Party"),
    "country": _("Country of a party"),
    "ceremony": _("Ceremony"),
    "occasion": _("Occasion"),
    "year": _("Year signed"),
    "status": _("Status"),
    "instrument": _("Instrument"),
    "signed_after": _("Signed on or after"),
    "signed_before": _("Signed on or before"),
    "min_value_usd": _("Value at least (US$)"),
    "max_value_usd": _("Value at most (US$)"),
    "ordering": _("Sort by"),
}
# Filters that name a record by its slug.
SLUG_FILTERS = {"sector", "party", "ceremony", "occasion"}

# The browse page's sort orders in a reader's words: DealFilter's `ordering` values.
SORT_CHOICES = [
    ("", _("Ceremony, newest first")),
    ("-signed", _("Signing date, newest first")),
    ("signed", _("Signing date, oldest first")),
    ("-value", _("Value in US$, highest first")),
    ("value", _("Value in US$, lowest first")),
    ("title", _("Title, A to Z")),
    ("-title", _("Title, Z to A")),
    ("-published", _("Most recently published")),
]


def published_deals():
    """The published record as every list shows it, in a fixed number of queries."""
    return Deal.objects.published().with_related()


def follow_through(scorecard, *, chart_id="follow-through"):
    """A follow-through scorecard and its chart, as includes/follow_through.html shows
    them."""
    return {
        "scorecard": scorecard,
        "chart": follow_through_chart(scorecard, chart_id=chart_id),
        "id": chart_id,
    }


def get_page(request, queryset, per_page=DEALS_PER_PAGE, *, count=None):
    """The page asked for; a page number out of range or not a number gives the nearest page.

    Its ids are read first, then its rows by id (deals/pagination.py): page 500 costs
    what page 1 does. `count`, when the caller knows it already (a scope's kept totals),
    spares the COUNT: 1.3 s for a country's deals at a million."""
    paginator = IdsFirstPaginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def query_string(params, *, without=()):
    """The URL's parameters minus the page number (and `without`), for links that keep the view."""
    kept = params.copy()
    for name in ("page", *without):
        kept.pop(name, None)
    return kept.urlencode()


class ForgivingPaginationMixin:
    """Pagination that never answers 404 for a stale or mistyped page number."""

    def paginate_queryset(self, queryset, page_size):
        page = get_page(self.request, queryset, page_size)
        return page.paginator, page, page.object_list, page.has_other_pages()


class HomeView(TemplateView):
    """The latest ceremonies, each with its largest published deals, and headline figures."""

    template_name = "deals/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        largest_first = published_deals().sorted_by("-value_amount_usd")
        context["ceremonies"] = (
            Ceremony.objects.select_related("venue", "occasion")
            .with_reconciliation()
            .prefetch_related(
                Prefetch(
                    "deals",
                    queryset=largest_first[:HOME_DEALS_PER_CEREMONY],
                    to_attr="largest_deals",
                )
            )
            .order_by("-date", "name")[:HOME_CEREMONIES]
        )
        # The record's figures, read from the kept sums (deals/models/figure_sums.py):
        # a few hundred of them, however large the record.
        kept = FigureSum.objects.of(ALL)
        context["totals"] = kept_totals(ALL)
        context["ceremony_count"] = Ceremony.objects.count()
        context["deals_by_period"], context["value_by_period"] = remembered(
            "deals_over_time", kept, lambda: charts.deals_over_time(kept.current())
        )
        context["occasions"] = Occasion.objects.having_published_deals()[
            :HOME_OCCASIONS
        ].reconciled()
        context["deals_by_country"] = kept_deals_by_country(FigureSum.objects.all(), {})
        return context


class CeremonyListView(ForgivingPaginationMixin, ListView):
    """All ceremonies, grouped by occasion, newest first."""

    template_name = "deals/ceremony_list.html"
    context_object_name = "ceremonies"
    paginate_by = CEREMONIES_PER_PAGE

    def get_queryset(self):
        return (
            Ceremony.objects.select_related("venue", "occasion")
            .with_reconciliation()
            .order_by(
                F("occasion__start_date").desc(nulls_last=True),
                "occasion__name",
                "occasion",
                "-date",
                "name",
                "pk",
            )
        )


class CeremonyDetailView(DetailView):
    template_name = "deals/ceremony_detail.html"
    context_object_name = "ceremony"

    def get_queryset(self):
        return (
            Ceremony.objects.select_related("venue", "occasion")
            .with_reconciliation()
            .prefetch_related(
                Prefetch("dignitaries", queryset=Dignitary.objects.select_related("person")),
                Prefetch("citations", queryset=CeremonySource.objects.select_related("source")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ceremony = self.object
        # Sections in ISIC order, each division's deals together, so the page can group them.
        context["deals"] = (
            published_deals()
            .filter(ceremony=ceremony)
            .select_related("sector__parent")
            .sorted_by("sector__parent__code", "sector__code", "sector__name", "sector")
        )
        context["reconciliation"] = ceremony.reconciliation()
        scope = Scope.of(ceremony)
        context["value_by_sector"] = kept_value_by_sector(scope, {"ceremony": ceremony.slug})
        context["follow_through"] = follow_through(scope.scorecard())
        # What became of its deals, newest news first, in one query however many.
        updates = list(
            StatusUpdate.objects.filter(deal__ceremony=ceremony, deal__is_published=True)
            .select_related("deal", "source")
            .order_by("-date", "-id")[: CEREMONY_STATUS_UPDATES + 1]
        )
        context["status_updates"] = updates[:CEREMONY_STATUS_UPDATES]
        context["more_status_updates"] = len(updates) > CEREMONY_STATUS_UPDATES
        return context


class DealListView(ForgivingPaginationMixin, ListView):
    """Browse the published record: filters, search and sort live in the URL.

    A parameter that cannot be understood is named on the page and left out; the
    other filters still apply, so one typo does not empty the page.
    """

    template_name = "deals/deal_list.html"
    context_object_name = "deals"
    paginate_by = DEALS_PER_PAGE

    def get(self, request, *args, **kwargs):
        # The form sends every field, filled or not; the address to share holds only
        # the filters in force ("?sector=c", not "?q=&sector=c&party=&...").
        filled = request.GET.copy()
        for name, values in request.GET.lists():
            kept = [value for value in values if value.strip()]
            if kept:
                filled.setlist(name, kept)
            else:
                del filled[name]
        if filled != request.GET:
            query = filled.urlencode()
            return redirect(f"{request.path}?{query}" if query else request.path)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.GET
        self.filterset = DealFilter(params or None, queryset=published_deals())
        self.applied, self.applied_params = self.filterset, params
        if self.filterset.is_bound and not self.filterset.is_valid():
            understood = params.copy()
            for name in self.filterset.errors:
                understood.pop(name, None)
            self.applied_params = understood
            self.applied = DealFilter(understood or None, queryset=published_deals())
            if self.applied.is_bound and not self.applied.is_valid():
                self.cleaned = {}
                return Deal.objects.none()
        self.cleaned = self.applied.form.cleaned_data if self.applied.is_bound else {}
        return self.applied.in_page_order()

    def paginate_queryset(self, queryset, page_size):
        # The totals first: when they are kept, their count spares the page a COUNT.
        self.totals = self.selection_totals(queryset)
        page = get_page(self.request, queryset, page_size, count=self.totals.count)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def selection_totals(self, deals):
        """The selection's totals: read from the kept sums when the selection is one of
        their scopes (DealFilter.figure_key), else computed once per change."""
        key = self.applied.figure_key()
        return kept_totals(key) if key else deals.remembered_totals()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        problems = self.problems()
        searching = bool(self.cleaned.get("q"))
        # With a search and no sort asked for, the best matches come first, ungrouped.
        sort_choices = (
            [("", gettext("Best match first")), *SORT_CHOICES[1:]] if searching else SORT_CHOICES
        )
        context.update(
            filter=self.filterset,
            labels=FILTER_LABELS,
            problems=problems,
            field_errors={problem["name"]: problem["messages"] for problem in problems},
            applied_filter=self.applied,
            applied_query_string=query_string(self.applied_params),
            active_filters=self.active_filters(),
            choices=self.choices(),
            sort_choices=sort_choices,
            current_ordering=params.get("ordering", ""),
            totals=self.totals,
            is_grouped=not self.cleaned.get("ordering") and not searching,
            search_text=self.cleaned.get("q", ""),
            query_string=query_string(params),
        )
        return context

    def problems(self):
        """What could not be understood, parameter by parameter, in a reader's words."""
        if not self.filterset.is_bound:
            return []
        problems = []
        for name, errors in self.filterset.form.errors.as_data().items():
            value = self.request.GET.get(name, "")
            problems.append(
                {
                    "name": name,
                    "label": FILTER_LABELS.get(name),
                    "value": value,
                    "messages": [explain(name, value, error) for error in errors],
                }
            )
        return problems

    def active_filters(self):
        """The filters in force, each with a link that removes it (and keeps the rest)."""
        active = []
        for name, value in self.cleaned.items():
            if name == "ordering" or value in (None, "", []):
                continue
            active.append(
                {
                    "label": gettext("Search") if name == "q" else FILTER_LABELS[name],
                    "value": self.describe(name, value),
                    "remove": query_string(self.request.GET, without=[name]),
                }
            )
        return active

    @staticmethod
    def describe(name, value):
        if name == "country":
            return countries.name(value)
        if name == "status":
            return Deal.Status(value).label
        if name == "instrument":
            return Deal.Instrument(value).label
        if name in ("signed_after", "signed_before"):
            return format_day(value, "short")
        if name in ("min_value_usd", "max_value_usd"):
            return format_money(value, "USD")
        if name == "year":
            return str(int(value))
        if name == "q":
            return f"“{value}”"
        return str(value)

    def choices(self):
        """Options of the filter form: only what the published record holds."""
        selected = self.cleaned
        options = remembered("filter_choices", Deal.objects.published(), filter_choices)
        return {
            **options,
            "sectors": with_selected(options["sectors"], selected.get("sector")),
            "ceremonies": with_selected(options["ceremonies"], selected.get("ceremony")),
            "occasions": with_selected(options["occasions"], selected.get("occasion")),
            "statuses": Deal.Status.choices,
            "instruments": Deal.Instrument.choices,
        }


def filter_choices():
    """The browse form's lists, the same for every reader (so kept by the public cache).

    Long lists are cut to suggestions: the newest ceremonies and occasions, the most
    active parties. Any other one is still a filter by its slug, which its own page
    links to, and the ceremony list and search find it.
    """
    country_codes = Party.objects.countries_with_published_deals()
    return {
        "sectors": list(Sector.objects.having_published_deals().in_tree_order()),
        "parties": sorted(
            Party.objects.most_active()[:PARTY_SUGGESTIONS], key=lambda p: p.name.casefold()
        ),
        "countries": sorted(
            ((code, countries.name(code)) for code in country_codes), key=lambda c: c[1]
        ),
        "ceremonies": list(
            Ceremony.objects.having_published_deals().order_by("-date", "name")[
                :CEREMONY_SUGGESTIONS
            ]
        ),
        "occasions": list(
            Occasion.objects.having_published_deals().order_by("-start_date", "name")[
                :OCCASION_SUGGESTIONS
            ]
        ),
        "years": Deal.objects.signing_years(),
    }


def explain(name, value, error):
    """A filter's error as the browse page says it."""
    if error.code == "invalid_choice" and name in SLUG_FILTERS:
        return gettext(
            "There is no %(kind)s “%(value)s” in the record; choose one from the list."
        ) % {"kind": FILTER_LABELS[name].lower(), "value": value}
    if error.code == "invalid_choice":
        return gettext("“%(value)s” is not one of the choices.") % {"value": value}
    return " ".join(error.messages)


def with_selected(options, selected):
    """`options` as a list, holding `selected` too, so the form shows the filter in force."""
    options = list(options)
    if selected is not None and selected not in options:
        options.insert(0, selected)
    return options


class DealDetailView(DetailView):
    template_name = "deals/deal_detail.html"
    context_object_name = "deal"

    def get_queryset(self):
        return (
            Deal.objects.visible_to(self.request.user)
            .with_related()
            .select_related("sector__parent", "umbrella", "follows")
            .prefetch_related(
                Prefetch(
                    "status_updates",
                    queryset=StatusUpdate.objects.select_related("source").order_by("date", "id"),
                ),
                Prefetch("citations", queryset=DealSource.objects.select_related("source")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deal = self.object
        published = Deal.objects.published()
        context["umbrella"] = (
            deal.umbrella if deal.umbrella and deal.umbrella.is_published else None
        )
        context["follows"] = deal.follows if deal.follows and deal.follows.is_published else None
        context["components"] = published.filter(umbrella=deal).sorted_by("-value_amount_usd")
        follow_ons = list(published.filter(follows=deal).sorted_by("signed_on"))
        context["follow_ons"] = follow_ons
        # Whether a published follow-on continues it is known now: no query for either.
        context["outcome"] = Outcome(deal.outcome(superseded=bool(follow_ons)))
        context["no_news_since"] = deal.no_news_since(superseded=bool(follow_ons))
        context["related"] = (
            published_deals().sharing_parties_with(deal).sorted_by("-signed_on")[:RELATED_DEALS]
        )
        context["unnamed_counterparts"] = unnamed_counterparts(deal.deal_parties.all())
        return context


# The other side of a party's role, in the plural, for a deal whose sources name one party.
COUNTERPARTS = {
    "buyer": _("Sellers"),
    "seller": _("Buyers"),
    "investor": _("Investees"),
    "investee": _("Investors"),
    "lender": _("Borrowers"),
    "borrower": _("Lenders"),
    "licensor": _("Licensees"),
    "licensee": _("Licensors"),
    "partner": _("Other partners"),
}


def unnamed_counterparts(links):
    """ "Sellers not named in the sources." for a deal with one party (a buyer); "" else."""
    links = list(links)  # prefetched by with_related()
    if len(links) != 1:
        return ""
    other = COUNTERPARTS.get(links[0].role, _("Other parties"))
    return gettext("%(parties)s not named in the sources.") % {"parties": other}


def kept_totals(key):
    """A scope's totals from the kept sums (remembered until a change)."""
    kept = FigureSum.objects.of(key)
    return remembered("totals", kept, lambda: kept.current().totals())


def kept_value_by_sector(scope, filters):
    """The scope's sector chart, from the kept figures (remembered until a change)."""
    rows = FigureRow.objects.of(scope.figure_key)
    return remembered(
        "value_by_sector", rows, lambda: charts.value_by_sector(rows.current(), scope=filters)
    )


def kept_deals_by_country(rows, filters):
    """The deals-by-country chart of these kept rows (remembered until a change)."""
    return remembered(
        "deals_by_country", rows, lambda: charts.deals_by_country(rows.current(), scope=filters)
    )


class EntityDealsView(DetailView):
    """An entity's page: its published deals with their totals. Subclasses say which deals,
    and which scope of the kept figures holds their totals (None: computed live)."""

    deal_order = ("-signed_on",)
    # Entities whose deals come from their ceremonies show them ceremony by ceremony.
    groups_by_ceremony = False

    def deals_for(self, obj):
        raise NotImplementedError

    def scope_for(self, obj):
        return Scope.of(obj)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deals = self.deals_for(self.object)
        scope = self.scope_for(self.object)
        if scope is None:
            totals, scorecard = deals.remembered_totals(), deals.remembered_follow_through()
        else:
            totals, scorecard = scope.summary()
        listed = deals.with_related().sorted_by(*self.deal_order)
        page = get_page(self.request, listed, count=totals.count)
        context.update(
            totals=totals,
            follow_through=follow_through(scorecard),
            page_obj=page,
            deals=page.object_list,
            groups_by_ceremony=self.groups_by_ceremony,
            query_string=query_string(self.request.GET),
        )
        return context


class PartyDetailView(EntityDealsView):
    template_name = "deals/party_detail.html"
    context_object_name = "party"

    def get_queryset(self):
        return Party.objects.select_related("parent").prefetch_related(
            Prefetch("subsidiaries", queryset=Party.objects.order_by("name")), "identifiers"
        )

    def deals_for(self, party):
        return Deal.objects.published().involving(party)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        party = self.object
        if party.subsidiaries.all():  # prefetched
            # Its group, shown beside its own, kept as its own scope.
            group = Scope.of(party).with_subsidiaries().scorecard()
            context["group_follow_through"] = follow_through(group, chart_id="follow-through-group")
        return context


class SectorDetailView(EntityDealsView):
    template_name = "deals/sector_detail.html"
    context_object_name = "sector"

    def get_queryset(self):
        # The divisions' counts come from the kept figures: current before they are read.
        FigureRow.objects.current()
        divisions = Sector.objects.with_kept_deal_count().order_by("code", "name")
        return Sector.objects.select_related("parent").prefetch_related(
            Prefetch("children", queryset=divisions)
        )

    def deals_for(self, sector):
        return Deal.objects.published().in_sector(sector).select_related("sector")


class VenueDetailView(EntityDealsView):
    template_name = "deals/venue_detail.html"
    context_object_name = "venue"
    deal_order = CEREMONY_ORDER
    groups_by_ceremony = True

    def get_queryset(self):
        ceremonies = (
            Ceremony.objects.select_related("occasion").with_reconciliation().order_by("-date")
        )
        return Venue.objects.prefetch_related(Prefetch("ceremonies", queryset=ceremonies))

    def deals_for(self, venue):
        return Deal.objects.published().filter(ceremony__venue=venue)

    def scope_for(self, venue):
        return None  # not a scope of the kept figures: its few deals are summed live


class OccasionDetailView(EntityDealsView):
    template_name = "deals/occasion_detail.html"
    context_object_name = "occasion"
    deal_order = CEREMONY_ORDER
    groups_by_ceremony = True

    def get_queryset(self):
        ceremonies = (
            Ceremony.objects.select_related("venue").with_reconciliation().order_by("date", "name")
        )
        return Occasion.objects.prefetch_related(Prefetch("ceremonies", queryset=ceremonies))

    def deals_for(self, occasion):
        return Deal.objects.published().filter(ceremony__occasion=occasion)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        occasion = self.object
        filters = {"occasion": occasion.slug}
        context["value_by_sector"] = kept_value_by_sector(Scope.of(occasion), filters)
        context["deals_by_country"] = kept_deals_by_country(
            FigureRow.objects.filter(deal__ceremony__occasion=occasion), filters
        )
        context["reconciliation"] = occasion.reconciliation(
            totals=context["totals"], ceremonies=occasion.ceremonies.all()
        )
        return context


class CountryDetailView(EntityDealsView):
    """A country's page: the published deals with at least one party from it.

    At /countries/<ISO 3166-1 alpha-2 code>/, in lower case (an upper-case code is sent
    there). An unknown code, or a country without published deals, is a 404: there is
    nothing to show, and a draft must not make a country's page exist.
    """

    template_name = "deals/country_detail.html"
    context_object_name = "country"

    def get(self, request, *args, **kwargs):
        code = kwargs["code"]
        if code != code.lower():
            return redirect("deals:country", code=code.lower(), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        code = self.kwargs["code"].upper()
        # countries also knows alpha-3 and numeric codes: the URL takes alpha-2 only.
        if len(code) != 2 or not code.isalpha() or code not in countries:
            raise Http404("No such country code.")
        return Country(code)

    def deals_for(self, country):
        return Deal.objects.published().from_country(country.code)

    def scope_for(self, country):
        return Scope.of_country(country.code)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["totals"].count:
            raise Http404("No published deals of this country.")
        return context
