"""Related records named in a cell: by slug, by name, or by another name they are known by.
An unknown or ambiguous name is an error, never a guess."""

from collections import defaultdict

from import_export import widgets

from deals.admin.resources.widgets import cell_text
from deals.models import Deal, Party, Sector


class Lookup:
    """Records of one kind by slug, then by name, then by other names.

    `keys` gives a record's names; `other_keys` the names it is also known by (a
    party's aliases), tried only when no record bears the name itself, so that
    "Bell Helicopter Textron" finds the party of that name even when it is also an
    alias of "Bell Helicopter". Read once per import; a name not found is looked for
    once more after reading again, so a row may name a record an earlier row made.
    """

    def __init__(self, queryset, label, *, keys, render, other_keys=None, plural=None):
        self.queryset, self.label, self._render = queryset, label, render
        self.tiers = [keys] + ([other_keys] if other_keys else [])
        self.plural = plural or f"{label}s"
        self._by_slug = None

    def load(self):
        self._by_slug = {}
        self._by_key = [defaultdict(dict) for _ in self.tiers]
        for obj in self.queryset.all():
            self._by_slug[obj.slug] = obj
            for keys, index in zip(self.tiers, self._by_key, strict=True):
                for key in keys(obj):
                    if key:
                        index[key.casefold().strip()][obj.pk] = obj

    def reset(self):
        self._by_slug = None

    def find(self, text):
        if self._by_slug is None:
            self.load()
        matches = self._matches(text)
        if not matches:
            self.load()
            matches = self._matches(text)
        if len(matches) == 1:
            return matches[0]
        if matches:
            slugs = ", ".join(sorted(m.slug for m in matches))
            raise ValueError(f"“{text}” names several {self.plural} ({slugs}); use the slug.")
        raise ValueError(f"No {self.label} “{text}”; add it first, or check the spelling.")

    def _matches(self, text):
        if text in self._by_slug:
            return [self._by_slug[text]]
        for index in self._by_key:
            matches = list(index.get(text.casefold(), {}).values())
            if matches:
                return matches
        return []

    def render(self, obj):
        return self._render(obj) if obj is not None else ""


class LookupWidget(widgets.Widget):
    def __init__(self, lookup):
        super().__init__()
        self.lookup = lookup

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        return self.lookup.find(text) if text else None

    def render(self, value, obj=None, **kwargs):
        return self.lookup.render(value)


class DealSlugWidget(widgets.Widget):
    """A deal by its slug; one query a row, as it may be a deal an earlier row made."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        deal = Deal.objects.filter(slug=text).first()
        if deal is None:
            raise ValueError(f"No deal with the slug “{text}”.")
        return deal

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


def sector_lookup():
    return Lookup(
        Sector.objects.all(),
        "sector",
        keys=lambda s: [s.code, s.name, str(s)],
        render=lambda s: s.code or s.slug,
    )


def by_name(model, label, plural=None):
    return Lookup(
        model.objects.all(), label, plural=plural, keys=lambda o: [o.name], render=lambda o: o.slug
    )


def party_lookup():
    return Lookup(
        Party.objects.all(),
        "party",
        plural="parties",
        keys=lambda p: [p.name, p.native_name],
        other_keys=lambda p: p.alias_list,
        render=lambda p: p.slug,
    )
