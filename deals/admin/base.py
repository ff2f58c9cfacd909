"""Pieces every admin module shares."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose revert is a change, permitted as one.

    simple-history saves a POSTed revert for anyone allowed to *view* the history,
    and checks the historical version rather than the record as it stands. A revert
    overwrites the live record, so it needs the change permission on that record.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            live = self.get_object(request, unquote(object_id))
            if live is None or not self.has_change_permission(request, live):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class AutocompleteInlineMixin:
    """An inline whose autocompleted links are read in the same query as its rows."""

    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.autocomplete_fields)


class ReadOnlyInlineMixin:
    """An inline that shows related rows with links and never edits them."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def change_link(obj, text=None):
    """A link to `obj`'s admin change page."""
    if obj is None:
        return "—"
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text if text is not None else str(obj))


def is_autocomplete_for(request, model_name, field_name):
    """Whether this request asks for choices of `model_name.field_name` in an autocomplete."""
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.url_name == "autocomplete"
        and request.GET.get("model_name") == model_name
        and request.GET.get("field_name") == field_name
    )


def plural(count, noun, plural_noun=None):
    """ "1 deal", "2 deals"."""
    word = noun if count == 1 else (plural_noun or f"{noun}s")
    return f"{count} {word}"
