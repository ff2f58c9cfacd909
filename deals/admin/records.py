"""Reference records deals point to: parties, sectors, sources, exchange rates."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Min

from deals.admin.base import HistoryAdmin, ReadOnlyInlineMixin, is_autocomplete_for, plural
from deals.admin.deals import ChoiceListFilter, DealLinkMixin
from deals.admin.imports import StaffImportExportMixin
from deals.admin.merge import MergePartiesMixin
from deals.admin.resources import PartyResource
from deals.models import Deal, DealParty, ExchangeRate, Party, PartyIdentifier, Sector, Source

# Staff paste addresses without a scheme; Django 6 will assume https, and so do we now.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class PartyDealInline(DealLinkMixin, ReadOnlyInlineMixin, admin.TabularInline):
    """The party's deals, drafts included; they are edited on their own pages."""

    model = DealParty
    fields = ["deal_link", "role", "deal_value", "deal_status", "deal_is_published"]
    readonly_fields = fields
    verbose_name = "deal"
    verbose_name_plural = "its deals"
    # The deal is the interesting link here, not the row joining party and deal.
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deal").order_by("-deal__signed_on")


class PartyIdentifierInline(admin.TabularInline):
    """Its public identifiers; each checked by PartyIdentifier.clean() (LEI check
    digits, QID pattern, a register's country) and held by one party only."""

    model = PartyIdentifier
    fields = ["scheme", "value"]
    extra = 1
    verbose_name_plural = "identifiers"


def _staff_formfield(field, **kwargs):
    # As the admin's formfield_overrides, for the form class built before the admin.
    return field.formfield(**{**URL_FIELDS.get(type(field), {}), **kwargs})


class PartyAdminForm(forms.ModelForm):
    """A new party, or a renamed one, that looks like another (same name once case,
    punctuation and legal suffixes are set aside, or a native name or alias in common:
    PartyQuerySet.likely_duplicates_of) is saved only once the editor ticks
    `confirm_distinct`; the form lists the candidates with links until then."""

    confirm_distinct = forms.BooleanField(
        required=False,
        # Hidden until there is something to confirm (see clean()).
        widget=forms.HiddenInput,
        label="These are distinct organisations",
        help_text="Tick to save although the parties listed above look like this one.",
    )

    NAME_FIELDS = ("name", "native_name", "aliases")

    class Meta:
        model = Party
        fields = ["name", "slug", "native_name", "aliases", "country", "kind", "parent", "website"]
        formfield_callback = _staff_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate_candidates = []

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not set(self.NAME_FIELDS) & set(self.changed_data):
            return cleaned
        if "name" not in cleaned:
            return cleaned  # the name's own error says what to fix first
        self.duplicate_candidates = Party.objects.likely_duplicates_of(
            name=cleaned.get("name", ""),
            native_name=cleaned.get("native_name", ""),
            aliases=cleaned.get("aliases", ""),
            exclude=[self.instance.pk],
            parent=cleaned.get("parent"),
            identifiers=self.written_identifiers(),
        )
        if self.duplicate_candidates:
            self.fields["confirm_distinct"].widget = forms.CheckboxInput()
            if not cleaned.get("confirm_distinct"):
                names = ", ".join(candidate.party.name for candidate in self.duplicate_candidates)
                self.add_error(
                    "confirm_distinct",
                    f"This looks like {names}, listed above. Use that party, or tick "
                    "this box if they are different organisations.",
                )
        return cleaned

    def written_identifiers(self):
        """(scheme, value) of the identifiers inline as submitted (checked there):
        a party with another QID or LEI is no likely duplicate."""
        prefix = "identifiers"
        try:
            total = min(int(self.data.get(f"{prefix}-TOTAL_FORMS", 0)), 1000)
        except (TypeError, ValueError):
            return []
        rows = [(f"{prefix}-{index}-", self.data) for index in range(total)]
        return [
            (str(data.get(f"{row}scheme", "")), str(data.get(f"{row}value", "")))
            for row, data in rows
            if not data.get(f"{row}DELETE")
        ]


@admin.register(Party)
class PartyAdmin(MergePartiesMixin, StaffImportExportMixin, HistoryAdmin):
    resource_classes = [PartyResource]
    form = PartyAdminForm
    inlines = [PartyIdentifierInline, PartyDealInline]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug", "native_name", "aliases"]
    list_display = ["name", "native_name", "country", "kind", "parent", "deal_count"]
    list_filter = ["country", "kind"]
    # Explicit, because the deal count's GROUP BY drops the model's default ordering.
    ordering = ["name"]
    fields = [*PartyAdminForm.Meta.fields, "confirm_distinct"]
    formfield_overrides = URL_FIELDS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            # A party may sign one deal in two roles: count the deal once.
            .annotate(deal_count=Count("deal_parties__deal", distinct=True))
        )

    @admin.display(description="deals", ordering="deal_count")
    def deal_count(self, party):
        return party.deal_count


class SectionFilter(ChoiceListFilter):
    title = "section"
    parameter_name = "section"

    def lookups(self, request, model_admin):
        return [(s.pk, str(s)) for s in Sector.objects.filter(parent=None).order_by("code")]

    def queryset(self, request, queryset):
        chosen = self.chosen()
        return queryset.filter(parent=chosen) if chosen else queryset


class LevelFilter(admin.SimpleListFilter):
    title = "level"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("section", "sections"), ("division", "divisions")]

    def queryset(self, request, queryset):
        if self.value() == "section":
            return queryset.filter(parent=None)
        if self.value() == "division":
            return queryset.exclude(parent=None)
        return queryset


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["code", "name", "slug"]
    list_display = ["code", "name", "parent", "deal_count"]
    list_display_links = ["code", "name"]
    list_filter = [LevelFilter, SectionFilter]
    ordering = ["code", "name"]
    fields = ["name", "slug", "code", "parent"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(deal_count=Count("deals", distinct=True))
        )

    @admin.display(description="deals", ordering="deal_count")
    def deal_count(self, sector):
        return sector.deal_count

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if is_autocomplete_for(request, "sector", "parent"):
            # Two levels only (Sector.clean): a parent is always a section.
            queryset = queryset.filter(parent=None)
        return queryset, may_have_duplicates


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    search_fields = ["title", "publisher", "url"]
    list_display = ["title", "publisher", "published_on", "url"]
    list_filter = ["publisher"]
    date_hierarchy = "published_on"
    fields = ["url", "publisher", "title", "published_on", "quote"]
    formfield_overrides = URL_FIELDS


@admin.register(ExchangeRate)
class ExchangeRateAdmin(HistoryAdmin):
    """Rates to US dollars. Adding, changing or deleting one converts again the deals
    it can affect: those in its currency whose conversion date is on or after it."""

    search_fields = ["currency", "note"]
    list_display = ["currency", "date", "rate_to_usd", "source", "note"]
    list_filter = ["currency", "source"]
    date_hierarchy = "date"
    fields = ["currency", "date", "rate_to_usd", "source", "note"]

    def save_model(self, request, obj, form, change):
        before = (
            ExchangeRate.objects.filter(pk=obj.pk).values_list("currency", "date").first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        affected = {obj.currency: obj.date}
        if before is not None:
            currency, day = before
            affected[currency] = min(day, affected.get(currency, day))
        self._recompute(request, affected)

    def delete_model(self, request, obj):
        affected = {obj.currency: obj.date}
        super().delete_model(request, obj)
        self._recompute(request, affected)

    def delete_queryset(self, request, queryset):
        affected = dict(queryset.values_list("currency").annotate(since=Min("date")))
        super().delete_queryset(request, queryset)
        self._recompute(request, affected)

    def _recompute(self, request, affected):
        changed = sum(
            Deal.objects.recompute_usd(currency=currency, since=since)
            for currency, since in affected.items()
        )
        if changed:
            self.message_user(request, f"{plural(changed, 'deal')} converted to US dollars again.")
