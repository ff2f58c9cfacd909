"""Ceremonies and what holds them: occasions, venues and the people who attend."""

from django.contrib import admin

from deals.admin.base import (
    AutocompleteInlineMixin,
    HistoryAdmin,
    ReadOnlyInlineMixin,
    change_link,
    plural,
)
from deals.admin.deals import DealLinkMixin
from deals.admin.imports import StaffImportExportMixin
from deals.admin.resources import CeremonyResource
from deals.models import Ceremony, CeremonySource, Deal, Dignitary, Occasion, Person, Venue


def itemised_summary(ceremony):
    """What the organisers announced set against what is itemised here, drafts included.

    "Announced: about US$9 billion, 19 deals. Itemised here: 2 published deals
    (2 drafts), more than US$2 billion; 17 deals not yet itemised." (a few queries)
    """
    totals = ceremony.itemised_totals()
    drafts = ceremony.deals.drafts().count()

    announced = []
    if ceremony.announced_value_amount is not None:
        announced.append(ceremony.announced_value_display)
    if ceremony.announced_deal_count is not None:
        announced.append(plural(ceremony.announced_deal_count, "deal"))
    text = f"Announced: {', '.join(announced) or 'no headline figures'}. "

    text += f"Itemised here: {plural(totals.count, 'published deal')}"
    if drafts:
        text += f" ({plural(drafts, 'draft')})"
    if totals.amount_usd is not None:
        text += f", {totals.display}"
    if ceremony.announced_deal_count is not None and ceremony.announced_deal_count > totals.count:
        missing = ceremony.announced_deal_count - totals.count
        text += f"; {plural(missing, 'deal')} not yet itemised"
    text += "."

    gaps = []
    if totals.undisclosed_count:
        gaps.append(f"{totals.undisclosed_count} with an undisclosed value")
    if totals.unconverted_count:
        gaps.append(f"{totals.unconverted_count} without an exchange rate to US dollars")
    if gaps:
        text += f" Not in the sum: {' and '.join(gaps)}."
    return text


class DignitaryInline(AutocompleteInlineMixin, admin.TabularInline):
    model = Dignitary
    autocomplete_fields = ["person"]
    fields = ["person", "title", "role", "order"]


class CeremonySourceInline(AutocompleteInlineMixin, admin.StackedInline):
    model = CeremonySource
    autocomplete_fields = ["source"]
    fields = ["source", "quote"]


class CeremonyDealInline(DealLinkMixin, ReadOnlyInlineMixin, admin.TabularInline):
    """The ceremony's deals, drafts included; they are edited on their own pages."""

    model = Deal
    fields = ["deal_link", "deal_value", "deal_status", "deal_is_published"]
    readonly_fields = fields
    verbose_name_plural = "deals signed at this ceremony"

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("title")


@admin.register(Ceremony)
class CeremonyAdmin(StaffImportExportMixin, HistoryAdmin):
    resource_classes = [CeremonyResource]
    inlines = [DignitaryInline, CeremonySourceInline, CeremonyDealInline]
    autocomplete_fields = ["venue", "occasion"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "native_name", "slug", "venue__name", "occasion__name"]
    list_display = ["name", "date", "venue", "occasion", "announced", "itemised"]
    list_filter = [("occasion", admin.RelatedOnlyFieldListFilter), "venue__country"]
    date_hierarchy = "date"
    fieldsets = [
        (
            "Ceremony",
            {"fields": ["name", "native_name", "slug", "date", "venue", "occasion", "description"]},
        ),
        (
            "Announced headline",
            {
                "fields": [
                    ("announced_value_amount", "announced_value_currency"),
                    "announced_value_qualifier",
                    "announced_deal_count",
                    "announced_vs_itemised",
                ]
            },
        ),
    ]
    readonly_fields = ["announced_vs_itemised"]

    def get_queryset(self, request):
        # Two subqueries per query, not per row: the changelist stays a fixed cost.
        return (
            super().get_queryset(request).select_related("venue", "occasion").with_itemised_totals()
        )

    @admin.display(description="announced")
    def announced(self, ceremony):
        parts = []
        if ceremony.announced_value_amount is not None:
            parts.append(ceremony.announced_value_display)
        if ceremony.announced_deal_count is not None:
            parts.append(plural(ceremony.announced_deal_count, "deal"))
        return ", ".join(parts) or "—"

    @admin.display(description="itemised (published)", ordering="itemised_count")
    def itemised(self, ceremony):
        count = ceremony.itemised_count or 0
        if ceremony.announced_deal_count is not None:
            return f"{count} of {ceremony.announced_deal_count}"
        return str(count)

    @admin.display(description="announced vs itemised")
    def announced_vs_itemised(self, ceremony):
        if ceremony is None or ceremony.pk is None:
            return "—"
        return itemised_summary(ceremony)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "date" in form.changed_data:
            # Its deals without a signing date convert at the ceremony's date.
            obj.deals.filter(signed_on__isnull=True).recompute_usd()


class OccasionCeremonyInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Ceremony
    fields = ["ceremony_link", "date", "venue"]
    readonly_fields = fields
    verbose_name_plural = "ceremonies"

    @admin.display(description="ceremony")
    def ceremony_link(self, ceremony):
        return change_link(ceremony, ceremony.name)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("venue")


@admin.register(Occasion)
class OccasionAdmin(HistoryAdmin):
    inlines = [OccasionCeremonyInline]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    list_display = ["name", "start_date", "end_date", "host_country"]
    list_filter = ["host_country"]
    date_hierarchy = "start_date"


@admin.register(Venue)
class VenueAdmin(HistoryAdmin):
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug", "city"]
    list_display = ["name", "city", "country"]
    list_filter = ["country"]


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug", "native_name"]
    list_display = ["name", "native_name"]
