"""The deal admin: where staff enter, check, publish and follow up deals."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.filters import RelatedOnlyFieldListFilter
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django_countries import countries

from deals.admin.base import (
    AutocompleteInlineMixin,
    HistoryAdmin,
    change_link,
    is_autocomplete_for,
    plural,
)
from deals.admin.imports import StaffImportExportMixin
from deals.admin.quick_entry import QuickEntryFormMixin, parse_wording_response
from deals.admin.resources import DealResource
from deals.models import Deal, DealParty, DealSource, Party, Sector, StatusUpdate
from deals.services import RestoreError, restore_deal


def may_publish(request):
    return Deal.can_be_published_by(request.user)


def record_was_published(history_id):
    return Deal.history.filter(history_id=history_id, is_published=True).exists()


class ChoiceListFilter(admin.SimpleListFilter):
    """A SimpleListFilter that ignores values it did not offer.

    Django wraps the errors of its own field filters but not of SimpleListFilter,
    so a hand-edited query string would otherwise end in a 500.
    """

    def chosen(self):
        value = self.value()
        if value is None or value not in {str(key) for key, _ in self.lookup_choices}:
            return None
        return value


class SectorFilter(ChoiceListFilter):
    """Sectors that have deals; a section also finds the deals of its divisions."""

    title = "sector"
    parameter_name = "sector"

    def lookups(self, request, model_admin):
        used = Deal.objects.values("sector")
        sectors = Sector.objects.filter(pk__in=used) | Sector.objects.filter(
            pk__in=Sector.objects.filter(pk__in=used).values("parent")
        )
        sectors = list(sectors.order_by("code", "name"))
        divisions = {}
        for sector in sectors:
            if sector.parent_id:
                divisions.setdefault(sector.parent_id, []).append(sector)
        choices = []
        for section in (s for s in sectors if s.parent_id is None):
            choices.append((section.pk, str(section)))
            choices.extend((d.pk, f"— {d}") for d in divisions.get(section.pk, []))
        return choices

    def queryset(self, request, queryset):
        chosen = self.chosen()
        return queryset.in_sector(chosen) if chosen else queryset


class PartyCountryFilter(ChoiceListFilter):
    """The countries of the parties that signed deals (only those present)."""

    title = "party country"
    parameter_name = "party_country"

    def lookups(self, request, model_admin):
        codes = (
            Party.objects.filter(pk__in=DealParty.objects.values("party"))
            .exclude(country="")
            .order_by("country")
            .values_list("country", flat=True)
            .distinct()
        )
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        chosen = self.chosen()
        # A subquery, so a deal with two parties from the country is one row.
        return queryset.from_country(chosen) if chosen else queryset


class UsdConversionFilter(admin.SimpleListFilter):
    """Deals whose value has no USD equivalent are left out of every USD total."""

    title = "USD conversion"
    parameter_name = "usd"

    def lookups(self, request, model_admin):
        return [("missing", "missing (no exchange rate)"), ("converted", "converted")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.unconverted()
        if self.value() == "converted":
            return queryset.filter(value_amount_usd__isnull=False)
        return queryset


class SourcedFilter(admin.SimpleListFilter):
    title = "sources"
    parameter_name = "sourced"

    def lookups(self, request, model_admin):
        return [("no", "without a source"), ("yes", "with a source")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.unsourced()
        if self.value() == "yes":
            return queryset.exclude(pk__in=queryset.unsourced().values("pk"))
        return queryset


class FollowUpFilter(admin.SimpleListFilter):
    """Open published deals with no news for FOLLOW_UP_MONTHS (the dashboard's list)."""

    title = "follow-up"
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [("needed", "needs a follow-up check")]

    def queryset(self, request, queryset):
        if self.value() == "needed":
            return queryset.published().needing_follow_up()
        return queryset


SEEN_VERSION = "seen_version"


def _without_wording(options):
    helpers = {"value_wording", SEEN_VERSION}
    return {**options, "fields": [f for f in options["fields"] if f not in helpers]}


class DealAdminForm(QuickEntryFormMixin, forms.ModelForm):
    # No lost updates: the version (the API's ETag) of the deal as the form was opened.
    # If someone else has saved the deal since, saving this form would silently undo
    # their changes; it is refused instead.
    seen_version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Deal
        fields = []  # DealAdmin's fieldsets say which fields the form has

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and SEEN_VERSION in self.fields and not self.is_bound:
            # As saved now: the instance may be an earlier version (the history's
            # revert page shows one to save over the current deal).
            current = self.current()
            self.initial[SEEN_VERSION] = current.etag() if current else ""

    # Set when a save is refused: the rows comparing the stored deal with this form.
    conflict = None

    def current(self):
        return Deal.objects.only("updated_at").filter(pk=self.instance.pk).first()

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get(SEEN_VERSION)
        if self.instance.pk and seen:
            current = self.current()
            if current is not None and current.etag() != seen:
                self._show_conflict(cleaned)
                raise forms.ValidationError(
                    "Someone else saved this deal after you opened it, so saving now would "
                    "undo their changes. Open the deal again (in a new tab, to keep your "
                    "text here) and make your changes there.",
                    code="stale",
                )
        return cleaned

    def _show_conflict(self, cleaned):
        """Compare the stored deal with this form, and let a second submit go through.

        The editor's values stay in the form; its version becomes the stored one, so
        saving again (after reviewing the comparison) deliberately replaces it.
        """
        stored = Deal.objects.select_related("updated_by").get(pk=self.instance.pk)
        self.conflict = {
            "by": stored.updated_by,
            "at": stored.updated_at,
            "rows": field_differences(self, stored, cleaned),
        }
        data = self.data.copy()
        data[self.add_prefix(SEEN_VERSION)] = stored.etag()
        self.data = data


def _shown(value):
    if value is None or value == "":
        return "—"
    return str(value)


def field_differences(form, stored, cleaned):
    """(label, stored now, your version) for each model field the two disagree on."""
    rows = []
    for name, field in form.fields.items():
        if name == SEEN_VERSION or name not in cleaned:
            continue
        try:
            stored_value = getattr(stored, name)
        except AttributeError:
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            continue
        mine = cleaned[name]
        if mine == stored_value or (mine in (None, "") and stored_value in (None, "")):
            continue
        rows.append((field.label or name, _shown(stored_value), _shown(mine)))
    return rows


def _submitted_rows(formset, describe):
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        rows.append(describe(data))
    return rows


def _party_row(row):
    party = row.get("party") if isinstance(row, dict) else row.party
    role = row.get("role") if isinstance(row, dict) else row.role
    name = row.get("signatory_name") if isinstance(row, dict) else row.signatory_name
    return " · ".join(str(v) for v in (party, role, name) if v)


def _source_row(row):
    source = row.get("source") if isinstance(row, dict) else row.source
    quote = row.get("quote") if isinstance(row, dict) else row.quote
    return " · ".join(str(v) for v in (source, f"“{quote}”" if quote else "") if v)


def list_differences(deal, formsets):
    """(label, stored now, your version) for the parties and sources lists."""
    rows = []
    lists = [
        ("parties", DealPartyInline, DealParty.objects.filter(deal=deal), _party_row),
        ("sources", DealSourceInline, DealSource.objects.filter(deal=deal), _source_row),
    ]
    for label, inline, stored_rows, describe in lists:
        formset = next((f for f in formsets if f.model is inline.model), None)
        if formset is None:
            continue
        stored = [describe(row) for row in stored_rows.order_by("pk")]
        mine = _submitted_rows(formset, describe)
        if stored != mine:
            rows.append((label, "; ".join(stored) or "—", "; ".join(mine) or "—"))
    return rows


class PublicationNeedsRowsFormSet(forms.BaseInlineFormSet):
    """An inline a published deal may not leave empty (Deal.PUBLICATION_NEEDS).

    The deal's form is validated before its inlines, so `self.instance.is_published`
    is what the editor is saving.
    """

    publication_field = None  # "parties" or "sources"

    def clean(self):
        super().clean()
        if not self.instance.is_published:
            return
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise forms.ValidationError(
                Deal.PUBLICATION_NEEDS[self.publication_field], code="publication"
            )


class PartiesFormSet(PublicationNeedsRowsFormSet):
    publication_field = "parties"


class SourcesFormSet(PublicationNeedsRowsFormSet):
    publication_field = "sources"


class DealPartyInline(AutocompleteInlineMixin, admin.TabularInline):
    model = DealParty
    formset = PartiesFormSet
    autocomplete_fields = ["party"]
    fields = ["party", "role", "signatory_name", "signatory_title", "order"]


class DealSourceInline(AutocompleteInlineMixin, admin.StackedInline):
    model = DealSource
    formset = SourcesFormSet
    autocomplete_fields = ["source"]
    fields = ["source", "source_quote", "quote"]
    readonly_fields = ["source_quote"]

    @admin.display(description="the source's passage")
    def source_quote(self, citation):
        """The passage kept on the source itself, to quote from without opening it (no
        query: the inline reads its sources with its rows)."""
        source = citation.source if citation.source_id else None
        if source is None:
            return "— (shown once saved)"
        return source.quote or "— (none kept on the source)"


class StatusUpdateInline(AutocompleteInlineMixin, admin.TabularInline):
    model = StatusUpdate
    autocomplete_fields = ["source"]
    fields = ["date", "status", "note", "source", "quote"]
    verbose_name = "dated status update"


@admin.register(Deal)
class DealAdmin(StaffImportExportMixin, HistoryAdmin):
    # Adds "Recover deleted deals" to the object tools; import-export wraps it.
    change_list_template = "admin/deals/deal/change_list.html"
    form = DealAdminForm
    resource_classes = [DealResource]
    inlines = [DealPartyInline, DealSourceInline, StatusUpdateInline]
    autocomplete_fields = ["sector", "ceremony", "umbrella", "follows"]
    prepopulated_fields = {"slug": ["title"]}
    list_display = ["title", "ceremony", "value", "converted_to_usd", "status", "is_published"]
    list_select_related = ["ceremony"]
    list_filter = [
        ("ceremony", RelatedOnlyFieldListFilter),
        ("ceremony__occasion", RelatedOnlyFieldListFilter),
        SectorFilter,
        "status",
        "instrument",
        "is_published",
        PartyCountryFilter,
        UsdConversionFilter,
        SourcedFilter,
        FollowUpFilter,
    ]
    search_fields = [
        "title",
        "slug",
        "deal_parties__party__name",
        "deal_parties__party__native_name",
        "deal_parties__party__aliases",
    ]
    date_hierarchy = "signed_on"
    actions = ["publish", "unpublish"]
    history_list_display = ["status", "is_published"]
    fieldsets = [
        ("Deal", {"fields": ["title", "slug", "summary", "description", "sector", "instrument"]}),
        (
            "Value",
            {
                "fields": [
                    "value_wording",
                    ("value_amount", "value_currency"),
                    "value_qualifier",
                    "value_basis",
                    "value_stated_by",
                    "value_amount_usd",
                    "value_as_shown",
                ]
            },
        ),
        ("Term", {"fields": ["term_months", ("term_start_date", "term_end_date")]}),
        ("Signing", {"fields": ["ceremony", "signed_on", "ceremony_signing"]}),
        (
            "Status",
            {
                "fields": ["status"],
                "description": (
                    "The deal's current status. Changed here without a dated update below "
                    "that says the same, it records an update dated today; otherwise it "
                    "follows the latest dated update."
                ),
            },
        ),
        ("Links", {"fields": ["umbrella", "follows"]}),
        (
            "Publication",
            {
                "fields": [
                    "is_published",
                    "published_at",
                    ("created_by", "created_at"),
                    ("updated_by", "updated_at"),
                    SEEN_VERSION,
                ]
            },
        ),
    ]
    readonly_fields = [
        "value_amount_usd",
        "value_as_shown",
        "published_at",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]

    class Media:
        css = {"all": ["admin-extra/staff.css"]}
        js = ["admin-extra/quick_entry.js"]

    @admin.display(description="value", ordering="value_amount_usd")
    def value(self, deal):
        return deal.value_display

    @admin.display(description="in USD", boolean=True)
    def converted_to_usd(self, deal):
        """Yes, no (no usable exchange rate: left out of USD totals), or no value to convert."""
        if deal.value_amount is None:
            return None
        return deal.value_amount_usd is not None

    @admin.display(description="readers see")
    def value_as_shown(self, deal):
        if deal is None or deal.pk is None:
            return "— (shown once saved)"
        return deal.value_display

    # --- quick entry -------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "parse-wording/",
                self.admin_site.admin_view(self.parse_wording_view),
                name="deals_deal_parse_wording",
            ),
            path(
                "recover/",
                self.admin_site.admin_view(self.recover_list_view),
                name="deals_deal_recoverlist",
            ),
            path(
                "recover/<int:history_id>/",
                self.admin_site.admin_view(self.recover_view),
                name="deals_deal_recover",
            ),
            *super().get_urls(),
        ]

    # --- restoring deleted deals ---------------------------------------------------

    def _check_may_restore(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied

    def recover_list_view(self, request):
        """The deleted deals (not restored since), each with a button to restore it."""
        self._check_may_restore(request)
        deleted = (
            Deal.history.filter(history_type="-")
            .exclude(id__in=Deal.objects.values("pk"))
            .select_related("history_user")
            .order_by("-history_date")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Restore a deleted deal",
            "deleted": deleted[:200],
            "may_publish": may_publish(request),
        }
        return TemplateResponse(request, "admin/deals/deal/recover.html", context)

    def recover_view(self, request, history_id):
        """POST: restore the deleted deal of this history record, parties and all."""
        self._check_may_restore(request)
        if request.method != "POST":
            return redirect("admin:deals_deal_recoverlist")
        try:
            deal = restore_deal(history_id, user=request.user)
        except RestoreError as error:
            self.message_user(request, f"Not restored: {error}", messages.ERROR)
            return redirect("admin:deals_deal_recoverlist")
        self.log_addition(request, deal, "Restored from history.")
        draft = " as a draft" if record_was_published(history_id) and not deal.is_published else ""
        self.message_user(request, f"“{deal}” restored{draft}.", messages.SUCCESS)
        return redirect("admin:deals_deal_change", deal.pk)

    def parse_wording_view(self, request):
        """JSON for the quick entry script: the value fields a wording fills."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        return parse_wording_response(request.GET.get("text", ""))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # A read-only page has no form to fill: leave the helper field out.
            fieldsets = [(name, _without_wording(options)) for name, options in fieldsets]
        return fieldsets

    # --- who may do what ---------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not may_publish(request):
            fields.insert(0, "is_published")
        if obj is not None and not self.has_change_permission(request, obj):
            # Takes the declared helper field off a form that cannot be saved.
            fields += ["value_wording", SEEN_VERSION]
        return fields

    def has_change_permission(self, request, obj=None):
        # Contributors may look at published deals but only editors change them.
        if obj is not None and not obj.can_be_changed_by(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_publish_permission(self, request):
        return may_publish(request)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.is_published and not may_publish(request):
            messages.info(
                request, "This deal is published, so only an editor can change it or its history."
            )
        form = context.get("adminform").form if context.get("adminform") else None
        conflict = getattr(form, "conflict", None)
        if conflict is not None and obj is not None:
            formsets = [f.formset for f in context.get("inline_admin_formsets", [])]
            context["version_conflict"] = {
                **conflict,
                "rows": conflict["rows"] + list_differences(obj, formsets),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if not may_publish(request):
            self._keep_publication_as_stored(obj, change)
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @staticmethod
    def _keep_publication_as_stored(deal, change):
        """Undo any change to publication by a user who may not publish.

        The form leaves is_published out for them, but a historical version being
        reverted to carries its own value, and whatever else reaches here must not
        publish either.
        """
        stored = (
            Deal.objects.filter(pk=deal.pk).values("is_published", "published_at").first()
            if change
            else None
        )
        deal.is_published = stored["is_published"] if stored else False
        deal.published_at = stored["published_at"] if stored else None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.settle_status(changed="status" in form.changed_data)

    # --- actions -------------------------------------------------------------------

    @admin.action(description="Publish the selected deals", permissions=["publish"])
    def publish(self, request, queryset):
        published, refused = [], []
        for deal in queryset.drafts():
            try:
                deal.publish(user=request.user)
            except ValidationError as exc:
                needs = "; ".join(
                    message for messages in exc.message_dict.values() for message in messages
                )
                refused.append(f"“{deal}”: {needs}")
                continue
            published.append(deal)
            self.log_change(request, deal, "Published.")
        self.message_user(request, f"{plural(len(published), 'deal')} published.")
        if refused:
            self.message_user(
                request,
                f"{plural(len(refused), 'deal')} not published. " + " ".join(refused),
                messages.ERROR,
            )

    @admin.action(description="Unpublish the selected deals", permissions=["publish"])
    def unpublish(self, request, queryset):
        published = list(queryset.published())
        for deal in published:
            deal.unpublish(user=request.user)
            self.log_change(request, deal, "Unpublished.")
        self.message_user(request, f"{plural(len(published), 'deal')} unpublished.")

    # --- autocomplete ------------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if is_autocomplete_for(request, "deal", "umbrella"):
            # Umbrellas hold components one level deep (Deal.clean), so offer only
            # deals that are not part of another.
            queryset = queryset.filter(umbrella__isnull=True)
        return queryset, may_have_duplicates


class DealLinkMixin:
    """For read-only inlines of deals or of their parties, on other records' pages."""

    @admin.display(description="deal")
    def deal_link(self, obj):
        deal = obj if isinstance(obj, Deal) else obj.deal
        return change_link(deal, deal.title)

    @admin.display(description="value")
    def deal_value(self, obj):
        deal = obj if isinstance(obj, Deal) else obj.deal
        return deal.value_display

    @admin.display(description="status")
    def deal_status(self, obj):
        deal = obj if isinstance(obj, Deal) else obj.deal
        return deal.get_status_display()

    @admin.display(description="published", boolean=True)
    def deal_is_published(self, obj):
        deal = obj if isinstance(obj, Deal) else obj.deal
        return deal.is_published
