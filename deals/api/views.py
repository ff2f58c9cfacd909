"""The API's resources: thin viewsets that scope their querysets and fetch in a
fixed number of queries, whatever the page size."""

from django.db import transaction
from django.db.models import F, Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from deals.api import filters, record_reads, serializers
from deals.api.exceptions import PreconditionFailed, UnknownParameter
from deals.api.follow_through import (
    DESCRIPTION,
    CountrySerializer,
    FollowThroughActions,
    FollowThroughSerializer,
    PartyFollowThroughSerializer,
)
from deals.api.pagination import PageNumberOnlyPagination
from deals.api.permissions import DealPermissions
from deals.api.reads import DealReader
from deals.api.totals import DealTotalsSerializer
from deals.models import Ceremony, Deal, DealSource, Occasion, Party, Sector, StatusUpdate, Venue
from deals.scopes import Scope

FILTERED_ACTIONS = {"list", "totals"}
READ_ACTIONS = {"list", "retrieve"}


def in_stable_order(queryset):
    """The queryset's order, rows without a value last on both backends (PostgreSQL
    would put them first when descending), and ties broken by id so that pages
    never repeat or skip a row."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    order = []
    for item in ordering:
        if isinstance(item, str):
            field = F(item.removeprefix("-"))
            descending = item.startswith("-")
            item = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
        order.append(item)
    return queryset.order_by(*order, "pk")


class StrictQueryParameters:
    """A query parameter the endpoint does not know, or one given twice, is a 400."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_query_parameters(request)

    def known_query_parameters(self):
        known = {"format"}
        if self.action in FILTERED_ACTIONS:
            known |= set(self.filterset_class.base_filters)
        if self.action == "list" and self.paginator is not None:
            known |= {self.paginator.page_query_param, self.paginator.page_size_query_param}
            if getattr(self.paginator, "cursor_query_param", None):
                known.add(self.paginator.cursor_query_param)
        return known

    def check_query_parameters(self, request):
        """A parameter this endpoint does not know is a 400 naming it: a typo in a filter
        must not return the whole table as if nothing had been asked."""
        known = self.known_query_parameters()
        unknown = sorted(name for name in request.query_params if name not in known)
        if unknown:
            hint = _("Unknown parameter; this endpoint knows %(known)s.") % {
                "known": ", ".join(sorted(known))
            }
            raise UnknownParameter({name: [hint] for name in unknown})
        repeated = sorted(
            name for name in request.query_params if len(request.query_params.getlist(name)) > 1
        )
        if repeated:
            raise ValidationError({name: [_("Give this parameter once.")] for name in repeated})


class RecordViewSet(StrictQueryParameters, viewsets.ModelViewSet):
    """What every resource shares: strict query parameters, a stable order, reads made
    from values (`reader_class`: deals.api.reads, deals.api.record_reads), writes in a
    transaction answered with the record as a later GET would show it."""

    reader_class = None

    def get_queryset(self):
        records = super().get_queryset()
        if self.action in READ_ACTIONS:
            # Reads make their representation from values: the records themselves are
            # only found, filtered, ordered and paged here.
            return records.only("pk")
        return self.with_details(records)

    def with_details(self, records):
        """Everything the serializer reads of each record, for writes and their answers."""
        return records

    def filter_queryset(self, queryset):
        return in_stable_order(super().filter_queryset(queryset))

    def list(self, request, *args, **kwargs):
        records = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(records)  # every list is paged
        ids = [record.pk for record in page]
        return self.get_paginated_response(self.reader_class(request).read(ids))

    def retrieve(self, request, *args, **kwargs):
        (data,) = self.reader_class(request).read([self.get_object().pk])
        return Response(data)

    def refetch(self, instance):
        """The instance with everything its representation reads, fetched as for a GET."""
        return self.get_queryset().get(pk=instance.pk)

    def perform_create(self, serializer):
        with transaction.atomic():
            serializer.save()
        serializer.instance = self.refetch(serializer.instance)

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.save()
        serializer.instance = self.refetch(serializer.instance)

    def perform_destroy(self, instance):
        # A record still in use is refused (PROTECT): answered 409 (deals.api.exceptions).
        with transaction.atomic():
            instance.delete()


@extend_schema_view(
    list=extend_schema(summary="List deals", description="Published deals (and drafts for staff)."),
    retrieve=extend_schema(summary="A deal"),
    create=extend_schema(summary="Create a deal with its parties, value, term and sources"),
    update=extend_schema(summary="Replace a deal"),
    partial_update=extend_schema(summary="Change some of a deal's fields"),
    destroy=extend_schema(summary="Delete a deal"),
)
class DealViewSet(RecordViewSet):
    """Deals. A draft exists only for signed-in staff who may view deals."""

    serializer_class = serializers.DealSerializer
    reader_class = DealReader
    filterset_class = filters.ApiDealFilter
    permission_classes = [DealPermissions]
    queryset = Deal.objects.all()  # the model, for permissions; get_queryset scopes it

    def get_queryset(self):
        deals = Deal.objects.visible_to(self.request.user)
        if self.action == "retrieve":
            return deals.only("pk", "updated_at")  # updated_at: the ETag
        if self.action == "list":
            return deals.only("pk")
        return self.with_details(deals)

    def with_details(self, deals):
        """Everything a deal's representation reads: 6 queries for any number of deals."""
        links = Deal.objects.visible_to(self.request.user).only(
            "id", "slug", "title", "umbrella", "follows"
        )
        return (
            deals.with_related()
            .select_related("umbrella", "follows")
            .prefetch_related(
                Prefetch("status_updates", StatusUpdate.objects.select_related("source")),
                Prefetch("citations", DealSource.objects.select_related("source").order_by("pk")),
                Prefetch("components", links.order_by("title", "pk"), to_attr="visible_components"),
                Prefetch(
                    "follow_ons",
                    in_stable_order(links.order_by("signed_on", "title")),
                    to_attr="visible_follow_ons",
                ),
            )
        )

    def refetch(self, deal):
        # Not through get_queryset: a user who may write deals but not see drafts still
        # gets the draft they wrote in the answer.
        return self.with_details(Deal.objects.filter(pk=deal.pk)).get()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["can_see_drafts"] = Deal.can_see_drafts(self.request.user)
        return context

    # No lost updates: a deal is read with its ETag; a write sent with If-Match is
    # refused 412 when someone else has changed the deal since. Without If-Match a
    # write goes through, as before.

    def retrieve(self, request, *args, **kwargs):
        # get_object() first: a draft stays 404 to those who may not see it, whatever
        # If-None-Match says (no ETag leaks).
        deal = self.get_object()
        etag = deal.etag()
        if self.none_match(etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        (data,) = DealReader(request).read([deal.pk])
        return Response(data, headers={"ETag": etag})

    def none_match(self, etag):
        """True when If-None-Match names the deal's current ETag (or is *): the client's
        copy is current, answered 304 without a body."""
        wanted = self.request.headers.get("If-None-Match")
        if wanted is None:
            return False
        tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response["ETag"] = self.written.etag()
        return response

    def perform_update(self, serializer):
        with transaction.atomic():
            self.check_if_match(serializer.instance)
            super().perform_update(serializer)
        self.written = serializer.instance

    def perform_destroy(self, instance):
        with transaction.atomic():
            self.check_if_match(instance)
            super().perform_destroy(instance)

    def check_if_match(self, deal):
        wanted = self.request.headers.get("If-Match")
        if wanted is None:
            return
        # Locked until the write commits, so two writers holding the same ETag cannot
        # both pass (one query, only when If-Match is sent).
        current = Deal.objects.select_for_update().get(pk=deal.pk)
        tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
        if "*" not in tags and current.etag() not in tags:
            raise PreconditionFailed()

    @extend_schema(
        summary="Totals of the deals a filter selects",
        description=(
            "Count and US-dollar sum of the deals the same filters as the list select, "
            "never counting the same money twice (a component within its umbrella's "
            "figure is not added again). The sum is the figures it honestly states: a "
            "leading figure (`amount_usd`, `qualifier`), with up-to amounts, and estimates "
            "beside a lower bound, kept apart (`plus_up_to_usd`, `plus_about_usd`); "
            "docs/methodology.md."
        ),
        responses=DealTotalsSerializer,
        filters=True,
    )
    @action(detail=False, pagination_class=None)
    def totals(self, request):
        deals = self.filter_queryset(Deal.objects.visible_to(request.user)).order_by()
        return Response(DealTotalsSerializer(deals.remembered_totals()).data)


class CeremonyViewSet(FollowThroughActions, RecordViewSet):
    """Signing ceremonies, with their announced headline and what the record itemises
    of it (published deals only)."""

    serializer_class = serializers.CeremonySerializer
    reader_class = record_reads.CeremonyReader
    filterset_class = filters.CeremonyFilter
    queryset = Ceremony.objects.all()

    def with_details(self, ceremonies):
        return ceremonies.select_related("venue", "occasion").with_reconciliation()


class OccasionViewSet(FollowThroughActions, RecordViewSet):
    """State visits, summits and trade fairs that hold ceremonies."""

    serializer_class = serializers.OccasionSerializer
    reader_class = record_reads.OccasionReader
    filterset_class = filters.OccasionFilter
    queryset = Occasion.objects.all()


class VenueViewSet(RecordViewSet):
    serializer_class = serializers.VenueSerializer
    reader_class = record_reads.VenueReader
    filterset_class = filters.VenueFilter
    queryset = Venue.objects.all()


@extend_schema_view(
    follow_through=extend_schema(
        responses=PartyFollowThroughSerializer,
        description=DESCRIPTION + " `with_subsidiaries`: the same for its whole group, "
        "the deals of the party and of every party under it (a deal two of them signed "
        "counts once).",
    )
)
class PartyViewSet(FollowThroughActions, RecordViewSet):
    """Organisations that sign deals."""

    follow_through_serializer = PartyFollowThroughSerializer
    serializer_class = serializers.PartySerializer
    reader_class = record_reads.PartyReader
    filterset_class = filters.PartyFilter
    queryset = Party.objects.all()

    def with_details(self, parties):
        return parties.select_related("parent").prefetch_related("identifiers")


class SectorViewSet(FollowThroughActions, RecordViewSet):
    """The two-level ISIC Rev. 4 taxonomy: sections hold divisions."""

    serializer_class = serializers.SectorSerializer
    reader_class = record_reads.SectorReader
    filterset_class = filters.SectorFilter
    queryset = Sector.objects.all()

    def with_details(self, sectors):
        return sectors.select_related("parent")


COUNTRY_CODE = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    pattern="^[A-Z]{2}$",
    description="ISO 3166-1 alpha-2, in capitals (CN, US). Any other is a 404.",
)


@extend_schema_view(
    list=extend_schema(
        summary="Countries with published deals",
        description="The countries of the parties to published deals, by code.",
    ),
    retrieve=extend_schema(summary="A country", parameters=[COUNTRY_CODE]),
)
class CountryViewSet(StrictQueryParameters, viewsets.GenericViewSet):
    """Countries, by ISO 3166-1 alpha-2 code: not records of their own but the countries
    of the parties. Any country code can be read (its scorecard may be empty); the list
    holds the countries with published deals."""

    serializer_class = CountrySerializer
    pagination_class = PageNumberOnlyPagination
    lookup_field = "code"
    lookup_value_regex = "[A-Z]{2}"
    filter_backends = []

    def known_query_parameters(self):
        known = {"format"}
        if self.action == "list" and self.paginator is not None:
            known |= {self.paginator.page_query_param, self.paginator.page_size_query_param}
        return known

    def get_queryset(self):
        return Party.objects.none()  # for the schema's and permissions' sake: no model rows

    def list(self, request):
        scopes = [Scope.of_country(code) for code in Party.objects.countries_with_published_deals()]
        page = self.paginate_queryset(scopes)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, code=None):
        return Response(self.get_serializer(Scope.of_country(code)).data)

    @extend_schema(
        summary="What became of the deals of parties from this country",
        description=DESCRIPTION + " A deal counts for a country when any of its parties is "
        "from it.",
        responses=FollowThroughSerializer,
        parameters=[COUNTRY_CODE],
    )
    @action(detail=True, url_path="follow-through", url_name="follow-through")
    def follow_through(self, request, code=None):
        serializer = FollowThroughSerializer(
            Scope.of_country(code), context=self.get_serializer_context()
        )
        return Response(serializer.data)


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI at /api/docs/, served by the site (drf-spectacular-sidecar) with its
    start-up script as a file of its own, so the site's CSP (script-src 'self', no
    inline script or style) holds on this page too."""

    template_name = "api/docs.html"
