"""One FilterSet for deals, shared by the browse page, its CSV download and the API.

Every filter names its field and lookup, or calls a DealQuerySet method. A value
that cannot be understood is a form error naming the parameter; the page shows it
as a message and the API answers 400 with it.
"""

import django_filters
from django import forms
from django_countries import countries

from deals.models import Ceremony, Deal, Occasion, Party, Sector
from deals.models.figure_sums import ALL
from deals.scopes import Scope

# Deals grouped by ceremony, the newest first (ceremonies of one day in the order they
# were entered); deals signed at none come last. Read in this order from an index.
CEREMONY_ORDER = ("-ceremony_date", "ceremony", "-signed_on")

ORDERING_FIELDS = (
    ("signed_on", "signed"),
    ("value_amount_usd", "value"),
    ("title", "title"),
    ("published_at", "published"),
)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number: NumberFilter takes decimals, and "2017.5" is no year."""

    field_class = forms.IntegerField


# The site writes dates "8 Nov 2017" (deals/presentation.py, format_day); the date
# filters read that style, with the month in full too, and ISO 8601 as links and
# clients write them.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%d %b, %Y", "%d %B, %Y"]


class SiteDateField(forms.DateField):
    """A date as the site writes it ("8 Nov 2017", "8 November 2017") or ISO ("2017-11-08")."""

    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": "Enter a valid date. Write it as 8 Nov 2017, or 2017-11-08.",
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = " ".join(value.replace(".", " ").split())  # "8 Nov. 2017", spaces
        return super().to_python(value)


class SiteDateFilter(django_filters.DateFilter):
    field_class = SiteDateField


class DealFilterForm(forms.Form):
    """Checks that need two parameters at once."""

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_value_usd"), cleaned.get("max_value_usd")
        if low is not None and high is not None and low > high:
            self.add_error("max_value_usd", "The maximum is below the minimum.")
        after, before = cleaned.get("signed_after"), cleaned.get("signed_before")
        if after and before and after > before:
            self.add_error("signed_before", "This date is before the 'signed after' date.")
        return cleaned


# The filters whose selection, alone, is a scope of the kept figures.
SCOPE_FILTERS = {"ceremony", "occasion", "party", "sector", "country"}


class DealFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search", max_length=200)
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(), to_field_name="slug", method="in_sector"
    )
    party = django_filters.ModelChoiceFilter(
        queryset=Party.objects.all(), to_field_name="slug", method="involving"
    )
    country = django_filters.ChoiceFilter(
        choices=countries, method="from_country", label="Party country"
    )
    ceremony = django_filters.ModelChoiceFilter(
        field_name="ceremony", queryset=Ceremony.objects.all(), to_field_name="slug"
    )
    occasion = django_filters.ModelChoiceFilter(
        field_name="ceremony__occasion", queryset=Occasion.objects.all(), to_field_name="slug"
    )
    year = IntegerFilter(field_name="signed_on", lookup_expr="year", min_value=1900, max_value=2200)
    status = django_filters.ChoiceFilter(
        field_name="status", lookup_expr="exact", choices=Deal.Status.choices
    )
    instrument = django_filters.ChoiceFilter(
        field_name="instrument", lookup_expr="exact", choices=Deal.Instrument.choices
    )
    signed_after = SiteDateFilter(
        field_name="signed_on", lookup_expr="gte", label="Signed on or after"
    )
    signed_before = SiteDateFilter(
        field_name="signed_on", lookup_expr="lte", label="Signed on or before"
    )
    min_value_usd = django_filters.NumberFilter(
        field_name="value_amount_usd", lookup_expr="gte", min_value=0, label="Minimum US$"
    )
    max_value_usd = django_filters.NumberFilter(
        field_name="value_amount_usd", lookup_expr="lte", min_value=0, label="Maximum US$"
    )
    ordering = django_filters.OrderingFilter(fields=ORDERING_FIELDS, label="Sort by")

    class Meta:
        model = Deal
        fields = []
        form = DealFilterForm

    def filter_queryset(self, queryset):
        """The filters in force; with a search and no sort asked for, best matches first."""
        queryset = super().filter_queryset(queryset)
        search = self.form.cleaned_data.get("q")
        if search and not self.form.cleaned_data.get("ordering"):
            queryset = queryset.ranked(search)
        return queryset

    def figure_key(self):
        """The scope of the kept figures that holds exactly this selection's totals
        (deals/scopes.py): the whole record when nothing is filtered, a ceremony's,
        occasion's, party's, sector's or country's deals when that is the one filter
        (a sort changes no total); None when the totals must be computed live."""
        if self.is_bound and not self.is_valid():
            return None
        cleaned = self.form.cleaned_data if self.is_bound else {}
        given = {
            name: value
            for name, value in cleaned.items()
            if value not in (None, "", []) and name != "ordering"  # a minimum of 0 filters
        }
        if not given:
            return ALL
        if len(given) > 1 or not given.keys() & SCOPE_FILTERS:
            return None
        ((name, value),) = given.items()
        scope = Scope.of_country(value) if name == "country" else Scope.of(value)
        return scope.figure_key

    def in_page_order(self):
        """The selection in the order /deals/ shows it (and its CSV): the sort asked
        for; else, with a search, the best matches first; else ceremony by ceremony."""
        cleaned = self.form.cleaned_data if self.is_bound else {}
        if cleaned.get("ordering"):
            sort = self.filters["ordering"]
            return self.qs.sorted_by(*(sort.get_ordering_value(o) for o in cleaned["ordering"]))
        if cleaned.get("q"):
            return self.qs  # ranked by filter_queryset()
        return self.qs.sorted_by(*CEREMONY_ORDER)

    def search(self, queryset, name, value):
        return queryset.search(value)

    def in_sector(self, queryset, name, value):
        return queryset.in_sector(value)

    def involving(self, queryset, name, value):
        return queryset.involving(value)

    def from_country(self, queryset, name, value):
        return queryset.from_country(value)
