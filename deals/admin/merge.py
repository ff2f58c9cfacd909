"""Merging duplicate parties in the admin: an action, then a page to choose the survivor.

The work itself is `deals.services.merge_parties`; this is the editor's side of it.
Only editors merge: it deletes parties, so it needs the delete permission.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from deals.admin.base import plural
from deals.models import Party
from deals.services import DistinctParties, merge_parties


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Party.objects.none(),
        widget=forms.RadioSelect,
        label="Keep this party",
        help_text="The others' deals, subsidiaries and names move to it; they are then deleted.",
        empty_label=None,
    )

    def __init__(self, parties, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = parties
        self.fields["survivor"].label_from_instance = self._label

    @staticmethod
    def _label(party):
        deals = plural(party.deal_count, "deal")
        country = f", {party.country.name}" if party.country else ""
        return f"{party.name}{country} — {deals}"


class MergePartiesMixin:
    """For PartyAdmin: the "Merge" action and its confirmation page."""

    actions = ["merge_selected"]

    def has_merge_permission(self, request):
        return self.has_delete_permission(request) and self.has_change_permission(request)

    @staticmethod
    def merge_url(parties):
        ids = ",".join(str(party.pk if hasattr(party, "pk") else party) for party in parties)
        return reverse("admin:deals_party_merge") + "?" + urlencode({"ids": ids})

    @staticmethod
    def _merge_ids(raw):
        return sorted({int(part) for part in raw.split(",") if part.strip().isdigit()})

    def get_urls(self):
        return [
            path("merge/", self.admin_site.admin_view(self.merge_view), name="deals_party_merge"),
            *super().get_urls(),
        ]

    def merge_selected(self, request, queryset):
        return HttpResponseRedirect(self.merge_url(queryset.order_by("pk")))

    merge_selected.allowed_permissions = ["merge"]
    merge_selected.short_description = "Merge the selected parties into one"

    def merge_view(self, request):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        ids = self._merge_ids(request.POST.get("ids") or request.GET.get("ids", ""))
        parties = (
            Party.objects.filter(pk__in=ids)
            .annotate(deal_count=Count("deal_parties__deal", distinct=True))
            .order_by("-deal_count", "name")
        )
        if len(parties) < 2:
            messages.warning(request, "Choose two or more parties to merge.")
            return HttpResponseRedirect(reverse("admin:deals_party_changelist"))

        form = MergeForm(parties, request.POST or None, initial={"survivor": parties[0]})
        if request.method == "POST" and form.is_valid():
            survivor = form.cleaned_data["survivor"]
            others = [party for party in parties if party.pk != survivor.pk]
            try:
                result = merge_parties(survivor, others, user=request.user)
            except DistinctParties as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(reverse("admin:deals_party_changelist"))
            self._log_merge(request, result, others)
            messages.success(
                request,
                f"Merged {', '.join(result.merged_names)} into {survivor.name}: "
                f"{plural(result.moved_links, 'deal link')} moved"
                + (f", {result.dropped_links} already held" if result.dropped_links else "")
                + (
                    f", {plural(result.moved_subsidiaries, 'subsidiary', 'subsidiaries')} moved"
                    if result.moved_subsidiaries
                    else ""
                )
                + ".",
            )
            return HttpResponseRedirect(reverse("admin:deals_party_change", args=[survivor.pk]))

        context = {
            **self.admin_site.each_context(request),
            "title": "Merge parties",
            "opts": self.opts,
            "form": form,
            "parties": parties,
            "ids": ",".join(str(pk) for pk in ids),
        }
        return TemplateResponse(request, "admin/deals/party/merge.html", context)

    def _log_merge(self, request, result, others):
        names = ", ".join(result.merged_names)
        self.log_change(request, result.survivor, f"Merged {names} into this party.")
        # The instances here were not the ones deleted, so they still carry their ids.
        self.log_deletions(request, others)
