"""The API's FilterSets: deals reuse the site's DealFilter; the other resources have
their own, in the same style (each filter names its field and lookup, or calls a
QuerySet method). A value a filter cannot understand is a 400 naming it."""

import django_filters
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from deals.api.identifiers import IdentifierField
from deals.filters import DealFilter, IntegerFilter
from deals.models import Ceremony, Occasion, Party, Sector, Venue

SEARCH_MAX_LENGTH = 200


def search_filter(field_name=None, method=None, help_text=""):
    return django_filters.CharFilter(
        field_name=field_name,
        lookup_expr="icontains",
        method=method,
        max_length=SEARCH_MAX_LENGTH,
        label=f"Search {help_text}".strip(),
    )


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """true or false, and nothing else: django-filter's BooleanFilter quietly ignores
    a value it does not understand ("yes please"), which would return everything."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(**kwargs)


IDENTIFIER_SCHEMA = {
    "type": "string",
    "description": "A party's identifier as scheme:id: qid:Q66, lei:<20 characters>, "
    "register:us-sec-cik:0000012927, ticker:NYSE:BA.",
    "pattern": r"^(qid|lei|register|ticker):.+$",
}


@extend_schema_field(IDENTIFIER_SCHEMA)
class IdentifierFilter(django_filters.Filter):
    """`?identifier=scheme:id`, read by IdentifierField (a 400 when it cannot be)."""

    field_class = IdentifierField


class ApiDealFilter(DealFilter):
    """The site's filters, and two more: `identifier` (deals the party holding it
    signed) and, for staff who see drafts, `is_published`."""

    is_published = StrictBooleanFilter(field_name="is_published", lookup_expr="exact")
    identifier = IdentifierFilter(method="involving_identifier", label="Party identifier")

    def involving_identifier(self, queryset, name, value):
        return queryset.involving_any(Party.objects.holding_identifier(*value))


# DealFilter finds these through QuerySet methods, which hides their types from
# drf-spectacular: state them, for the schema only.
extend_schema_field({"type": "string", "description": "A party's slug."})(
    ApiDealFilter.base_filters["party"]
)
extend_schema_field({"type": "string", "enum": [code for code, _ in countries]})(
    ApiDealFilter.base_filters["country"]
)


class CeremonyFilter(django_filters.FilterSet):
    q = search_filter("name", help_text="in names")
    occasion = django_filters.ModelChoiceFilter(
        field_name="occasion", queryset=Occasion.objects.all(), to_field_name="slug"
    )
    venue = django_filters.ModelChoiceFilter(
        field_name="venue", queryset=Venue.objects.all(), to_field_name="slug"
    )
    country = django_filters.ChoiceFilter(
        field_name="venue__country", lookup_expr="exact", choices=countries, label="Venue country"
    )
    year = IntegerFilter(field_name="date", lookup_expr="year", min_value=1900, max_value=2200)
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(fields=(("date", "date"), ("name", "name")))

    class Meta:
        model = Ceremony
        fields = []


class OccasionFilter(django_filters.FilterSet):
    q = search_filter("name", help_text="in names")
    host_country = django_filters.ChoiceFilter(
        field_name="host_country", lookup_expr="exact", choices=countries
    )
    year = IntegerFilter(
        field_name="start_date", lookup_expr="year", min_value=1900, max_value=2200
    )
    started_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    started_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(fields=(("start_date", "start"), ("name", "name")))

    class Meta:
        model = Occasion
        fields = []


class VenueFilter(django_filters.FilterSet):
    q = search_filter("name", help_text="in names")
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact", max_length=100)
    country = django_filters.ChoiceFilter(
        field_name="country", lookup_expr="exact", choices=countries
    )
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("city", "city")))

    class Meta:
        model = Venue
        fields = []


class PartyFilter(django_filters.FilterSet):
    q = search_filter(method="search", help_text="in names, native names and aliases")
    country = django_filters.ChoiceFilter(
        field_name="country", lookup_expr="exact", choices=countries
    )
    kind = django_filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=Party.Kind.choices
    )
    parent = django_filters.ModelChoiceFilter(
        field_name="parent", queryset=Party.objects.all(), to_field_name="slug", label="Group"
    )
    identifier = IdentifierFilter(method="holding_identifier", label="Identifier")
    ordering = django_filters.OrderingFilter(fields=(("name", "name"), ("country", "country")))

    class Meta:
        model = Party
        fields = []

    def search(self, queryset, name, value):
        return queryset.search(value)

    def holding_identifier(self, queryset, name, value):
        return queryset.holding_identifier(*value)


class SectorFilter(django_filters.FilterSet):
    q = search_filter("name", help_text="in names")
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact", max_length=10)
    parent = django_filters.ModelChoiceFilter(
        field_name="parent", queryset=Sector.objects.all(), to_field_name="slug", label="Section"
    )
    level = django_filters.ChoiceFilter(
        method="at_level", choices=[("section", "section"), ("division", "division")]
    )
    ordering = django_filters.OrderingFilter(fields=(("code", "code"), ("name", "name")))

    class Meta:
        model = Sector
        fields = []

    def at_level(self, queryset, name, value):
        return queryset.filter(parent__isnull=value == "section")
