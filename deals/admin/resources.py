"""How deals, parties and ceremonies are read from and written to CSV and XLSX files.

django-import-export does the work; these resources say what each column means and
refuse anything they cannot read with certainty, naming the row and the column:

- Records are found by slug. A row without a slug takes one made from its title (or
  name), so importing the same file twice updates rather than duplicates, and the
  preview shows each row as new, changed or unchanged.
- Related records are named by slug or by name (sectors also by ISIC code, parties
  also by an alias); an unknown or ambiguous name is an error, never a guess.
- Choices take their stored value or their label ("memorandum of understanding").
- Dates are YYYY-MM-DD; numbers have no currency signs or words. A deal's value may
  instead be given as press wording (`value_wording`, read by `deals.wording`).
- Every row is validated as the admin form would (`full_clean`), and who may publish
  is checked as in the admin: contributors import drafts only.
"""

import datetime
from collections import defaultdict
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django_countries import countries
from import_export import fields, resources, widgets
from import_export.results import Result

from deals.models import (
    Ceremony,
    Deal,
    DealParty,
    DealSource,
    Occasion,
    Party,
    Qualifier,
    Sector,
    Source,
    Venue,
)
from deals.wording import WordingError, parse_value_wording

SLUG_LENGTH = 200

# --- what a row may say ------------------------------------------------------------


def _text(value):
    """A cell as stripped text; numbers from XLSX as they read ("36", not "36.0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CodeWidget(widgets.Widget):
    """A currency code: "usd" is USD; an empty cell keeps the record's own."""

    def clean(self, value, row=None, **kwargs):
        return _text(value).upper() or None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class StrictDecimalWidget(widgets.Widget):
    """Digits, with an optional decimal point and thousands commas; nothing else."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(",", "")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                f"“{value}” is not a number; write it in digits (2000000000), or give the "
                "whole value as wording in value_wording."
            ) from None
        if not number.is_finite():
            raise ValueError(f"“{value}” is not a number.")
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class StrictIntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(f"“{value}” is not a whole number.")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IsoDateWidget(widgets.Widget):
    """YYYY-MM-DD only: 08/11/2017 is 8 November in Beijing and 11 August in Washington."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):  # an XLSX date cell
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"“{value}” is not a date; write YYYY-MM-DD, e.g. 2017-11-08."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice by its stored value or its label, in any case: "MoU" is not either."""

    def __init__(self, choices):
        super().__init__()
        self.by_text = {}
        for stored, label in choices:
            for text in (stored, str(label)):
                self.by_text[self._key(text)] = stored
        self.values = [stored for stored, _ in choices]

    @staticmethod
    def _key(text):
        return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            return self.by_text[self._key(text)]
        except KeyError:
            raise ValueError(f"“{text}” is not one of: {', '.join(self.values)}.") from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class FlagWidget(widgets.Widget):
    TRUE = {"1", "true", "yes", "y"}
    FALSE = {"0", "false", "no", "n"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _text(value).casefold()
        if not text:
            return None
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"“{value}” is not yes or no; write 1 or 0.")

    def render(self, value, obj=None, **kwargs):
        return "1" if value else "0"


class CountryWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return ""
        if text.upper() in countries:
            return text.upper()
        code = countries.by_name(text)
        if code:
            return code
        raise ValueError(f"“{text}” is not a country; write its ISO code, e.g. CN or US.")

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class LinesWidget(widgets.Widget):
    """One value per line in the record; in a cell, lines or "; " between them."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(";", "\n")
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())

    def render(self, value, obj=None, **kwargs):
        return "; ".join(line.strip() for line in (value or "").splitlines() if line.strip())


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
        text = _text(value)
        return self.lookup.find(text) if text else None

    def render(self, value, obj=None, **kwargs):
        return self.lookup.render(value)


class DealSlugWidget(widgets.Widget):
    """A deal by its slug; one query a row, as it may be a deal an earlier row made."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
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


# --- results that list every problem with its row -------------------------------------


class ImportResult(Result):
    # The columns the file has (set by StaffResource.after_import); the preview shows
    # those and what they fill, not every column the resource knows.
    shown_columns = None

    def _shown(self):
        shown = self.shown_columns
        return [i for i, h in enumerate(self.diff_headers) if shown is None or h in shown]

    def preview_headers(self):
        return [self.diff_headers[i] for i in self._shown()]

    def preview_rows(self):
        """[(row, import type, cells)], rows numbered as in a spreadsheet."""
        shown = self._shown()
        return [
            (number, row.import_type, [row.diff[i] for i in shown])
            for number, row in enumerate(self.valid_rows(), start=2)
        ]

    def problems(self):
        """[(row, column, message)], rows numbered as in a spreadsheet (header = row 1)."""
        found = [(None, "", str(error.error)) for error in self.base_errors]
        for row in self.invalid_rows:
            for column, messages in row.error_dict.items():
                column = "" if column == NON_FIELD_ERRORS else column
                found.extend((row.number + 1, column, message) for message in messages)
        for row in self.error_rows:
            found.extend((row.number + 1, "", str(error.error)) for error in row.errors)
        return sorted(found, key=lambda p: (p[0] is not None, p[0] or 0, p[1]))


class StyledDiff(resources.Diff):
    """The preview's changes marked with <ins> and <del> styled by the admin's stylesheet:
    the library writes inline styles, which the Content-Security-Policy refuses."""

    TAGS = {
        '<ins style="background:#e6ffe6;">': "<ins>",
        '<del style="background:#ffe6e6;">': "<del>",
    }

    def as_html(self):
        cells = []
        for html in super().as_html():
            for styled, plain in self.TAGS.items():
                html = html.replace(styled, plain)
            # diff_prettyHtml escaped the values; only its own tags are left as markup.
            cells.append(mark_safe(html))
        return cells


class StaffResource(resources.ModelResource):
    """What every staff import shares: slugs made from names, lookups read once,
    history that names who imported which file, and every error on its row."""

    # the field a missing slug is made from
    slug_source = "name"
    # one illustrative row for the template file
    example = {}
    # {column: columns it fills}: shown in the preview in its place
    fills = {}
    # {column: fields whose model errors a problem with the column makes redundant}
    covers = {}

    @classmethod
    def get_result_class(cls):
        return ImportResult

    @classmethod
    def get_diff_class(cls):
        return StyledDiff

    def lookups(self):
        return [
            field.widget.lookup
            for field in self.fields.values()
            if isinstance(field.widget, LookupWidget)
        ]

    def before_import(self, dataset, **kwargs):
        for lookup in self.lookups():
            lookup.reset()
        if dataset.headers and "slug" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="slug")

    def after_import(self, dataset, result, **kwargs):
        columns = set(dataset.headers or [])
        for column in list(columns):
            columns |= set(self.fills.get(column, []))
        result.shown_columns = columns - set(self.fills)

    def before_import_row(self, row, **kwargs):
        if not _text(row.get("slug")):
            row["slug"] = slugify(_text(row.get(self.slug_source)))[:SLUG_LENGTH]
        else:
            row["slug"] = _text(row["slug"])

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.slug:
            errors.setdefault("slug", []).append(
                f"Give a slug: none can be made from the {self.slug_source} alone."
            )
        self.check_row(instance, row, errors, **kwargs)
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance, row, errors, **kwargs):
        """Add to `errors` what this kind of record forbids beyond its form's rules."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's checks as well, but a column that could not be read reports only
        that: "not a number" needs no "give the amount" after it."""
        read_errors = ValidationError(import_validation_errors or {}).error_dict
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            errors = error.error_dict
            for column, messages in read_errors.items():
                errors[column] = messages
                for covered in self.covers.get(column, []):
                    errors.pop(covered, None)
            raise ValidationError(errors) from None

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        instance._history_user = user
        file_name = kwargs.get("file_name") or "a file"
        instance._change_reason = f"Imported from {file_name}"

    @classmethod
    def template_dataset(cls):
        """A file to start from: the columns, and one example row."""
        columns = [field.column_name for field in cls().get_import_fields()]
        dataset = tablib.Dataset(headers=columns)
        dataset.append([cls.example.get(column, "") for column in columns])
        return dataset


def staff_field(attribute, widget=None, **kwargs):
    # saves_null_values=False: an empty cell keeps the record's value (or its default)
    # instead of writing None over it.
    return fields.Field(
        attribute=attribute,
        column_name=attribute,
        widget=widget or TextWidget(),
        saves_null_values=False,
        **kwargs,
    )


class TextField(fields.Field):
    """A text column: an empty cell means empty text."""

    def __init__(self, attribute):
        super().__init__(attribute=attribute, column_name=attribute, widget=TextWidget())


# --- deals ---------------------------------------------------------------------------


class PartiesField(fields.Field):
    """ "JD.com:buyer; Smithfield Foods:seller": each party by slug, name or alias."""

    def __init__(self, lookup):
        super().__init__(attribute="parties", column_name="parties")
        self.lookup = lookup
        self.roles = ChoiceWidget(DealParty.Role.choices)

    def clean(self, row, **kwargs):
        text = _text(row.get(self.column_name))
        links, problems = [], []
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            name, colon, role = part.rpartition(":")
            if not colon or not name.strip():
                problems.append(f"“{part}” has no role; write it as Name:role, e.g. JD.com:buyer.")
                continue
            try:
                link = (self.lookup.find(name.strip()), self.roles.clean(role))
            except ValueError as error:
                problems.append(str(error))
                continue
            if link[1] is None:
                problems.append(f"“{part}” has no role; write it as Name:role.")
            elif link in links:
                problems.append(f"“{part}” is given twice.")
            else:
                links.append(link)
        if problems:
            raise ValueError(" ".join(problems))
        return links

    def save(self, instance, row, is_m2m=False, **kwargs):
        if self.column_name in row:
            instance._imported_parties = self.clean(row)

    def links(self, deal):
        links = getattr(deal, "_imported_parties", None)
        if links is None:
            links = (
                [] if deal.pk is None else [(dp.party, dp.role) for dp in deal.deal_parties.all()]
            )
        return links

    def get_value(self, instance):
        # Compared by skip_row(): the same links in another order are unchanged.
        return sorted((party.pk, role) for party, role in self.links(instance))

    def export(self, instance, **kwargs):
        return "; ".join(f"{party.slug}:{role}" for party, role in self.links(instance))


class SourcesField(fields.Field):
    """ "https://…; https://…": sources already recorded, by their address."""

    def __init__(self):
        super().__init__(attribute="sources", column_name="sources")

    def clean(self, row, **kwargs):
        urls = [u.strip() for u in _text(row.get(self.column_name)).split(";") if u.strip()]
        found = {s.url: s for s in Source.objects.filter(url__in=urls)}
        missing = [url for url in urls if url not in found]
        if missing:
            raise ValueError(
                "No source recorded at "
                + ", ".join(f"“{url}”" for url in missing)
                + "; add it under Sources first."
            )
        return list(dict.fromkeys(found[url] for url in urls))

    def save(self, instance, row, is_m2m=False, **kwargs):
        if self.column_name in row:
            instance._imported_sources = self.clean(row)

    def sources(self, deal):
        sources = getattr(deal, "_imported_sources", None)
        if sources is None:
            sources = [] if deal.pk is None else [c.source for c in deal.citations.all()]
        return sources

    def get_value(self, instance):
        return sorted(source.pk for source in self.sources(instance))

    def export(self, instance, **kwargs):
        return "; ".join(source.url for source in self.sources(instance))


VALUE_COLUMNS = ["value_amount", "value_currency", "value_qualifier", "value_basis"]


class DealResource(StaffResource):
    slug_source = "title"
    covers = {"value_wording": ["value_amount"]}
    fills = {"value_wording": [*VALUE_COLUMNS, "term_months"]}

    title = TextField("title")
    slug = TextField("slug")
    summary = TextField("summary")
    description = TextField("description")
    sector = staff_field("sector", LookupWidget(sector_lookup()))
    instrument = staff_field("instrument", ChoiceWidget(Deal.Instrument.choices))
    # Read into the value columns (see _read_wording); exported empty, as the value
    # columns say the same.
    value_wording = fields.Field(column_name="value_wording", widget=TextWidget())
    value_amount = fields.Field(
        attribute="value_amount", column_name="value_amount", widget=StrictDecimalWidget()
    )
    value_currency = staff_field("value_currency", CodeWidget())
    value_qualifier = staff_field("value_qualifier", ChoiceWidget(Qualifier.choices))
    value_basis = staff_field("value_basis", ChoiceWidget(Deal.Basis.choices))
    value_stated_by = staff_field("value_stated_by", ChoiceWidget(Deal.StatedBy.choices))
    term_months = fields.Field(
        attribute="term_months", column_name="term_months", widget=StrictIntegerWidget()
    )
    term_start_date = fields.Field(
        attribute="term_start_date", column_name="term_start_date", widget=IsoDateWidget()
    )
    term_end_date = fields.Field(
        attribute="term_end_date", column_name="term_end_date", widget=IsoDateWidget()
    )
    ceremony = fields.Field(
        attribute="ceremony",
        column_name="ceremony",
        widget=LookupWidget(by_name(Ceremony, "ceremony", "ceremonies")),
    )
    signed_on = fields.Field(attribute="signed_on", column_name="signed_on", widget=IsoDateWidget())
    status = staff_field("status", ChoiceWidget(Deal.Status.choices))
    umbrella = fields.Field(attribute="umbrella", column_name="umbrella", widget=DealSlugWidget())
    parties = PartiesField(party_lookup())
    sources = SourcesField()
    is_published = staff_field("is_published", FlagWidget())

    example = {
        "title": "JD.com buys US beef and pork",
        "summary": "JD.com will buy US$1.2 billion of beef and pork over three years.",
        "sector": "10",
        "instrument": "contract",
        "value_wording": "US$1.2 billion over three years",
        "ceremony": "",
        "signed_on": "2017-11-08",
        "status": "signed",
        "parties": "JD.com:buyer; Smithfield Foods:seller",
        "is_published": "0",
    }

    class Meta:
        model = Deal
        import_id_fields = ["slug"]
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "sector",
            "instrument",
            "value_wording",
            "value_amount",
            "value_currency",
            "value_qualifier",
            "value_basis",
            "value_stated_by",
            "term_months",
            "term_start_date",
            "term_end_date",
            "ceremony",
            "signed_on",
            "status",
            "umbrella",
            "parties",
            "sources",
            "is_published",
        ]
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        # The umbrella column may name a deal from an earlier row of the same file.
        use_bulk = False

    def filter_export(self, queryset, **kwargs):
        # Whatever the changelist selected, in a fixed number of queries.
        return queryset.select_related("sector", "ceremony", "umbrella").prefetch_related(
            "deal_parties__party", "citations__source"
        )

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._was_published = not new and instance.is_published
        instance._status_before = None if new else instance.status

    def check_row(self, instance, row, errors, **kwargs):
        self._read_wording(instance, row, errors)
        user = kwargs.get("user")
        if not Deal.can_be_published_by(user):
            if instance._was_published:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    f"“{instance.slug}” is published: only an editor can change it."
                )
            elif instance.is_published:
                errors.setdefault("is_published", []).append(
                    "Only editors publish; leave is_published empty or 0 to import a draft."
                )

    def _read_wording(self, instance, row, errors):
        text = _text(row.get("value_wording"))
        if not text:
            return
        try:
            parsed = parse_value_wording(text)
        except WordingError as error:
            errors.setdefault("value_wording", []).append(str(error))
            return
        given = [column for column in VALUE_COLUMNS if _text(row.get(column))]
        if given:
            errors.setdefault("value_wording", []).append(
                f"Give the value as wording or in {', '.join(given)}, not both."
            )
            return
        term = _text(row.get("term_months"))
        if parsed.term_months and term and term != str(parsed.term_months):
            errors.setdefault("term_months", []).append(
                f"The wording says {parsed.term_months} months; term_months says {term}."
            )
            return
        instance.value_amount = parsed.amount
        instance.value_qualifier = parsed.qualifier
        instance.value_basis = parsed.basis
        if parsed.currency:
            instance.value_currency = parsed.currency
        if parsed.term_months:
            instance.term_months = parsed.term_months

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        user = kwargs.get("user")
        if instance.pk is None:
            instance.created_by = user
        instance.updated_by = user

    def after_save_instance(self, instance, row, **kwargs):
        reason = instance._change_reason
        user = instance._history_user
        parties = getattr(instance, "_imported_parties", None)
        if parties is not None:
            self._save_parties(instance, parties, user, reason)
        sources = getattr(instance, "_imported_sources", None)
        if sources is not None:
            self._save_sources(instance, sources, user, reason)
        changed = instance.status != (instance._status_before or Deal.Status.SIGNED)
        instance.settle_status(changed=changed)

    @staticmethod
    def _save_parties(deal, wanted, user, reason):
        existing = {(link.party_id, link.role): link for link in deal.deal_parties.all()}
        keep = {(party.pk, role) for party, role in wanted}
        for key, link in existing.items():
            if key not in keep:
                link._history_user, link._change_reason = user, reason
                link.delete()
        for order, (party, role) in enumerate(wanted):
            link = existing.get((party.pk, role)) or DealParty(deal=deal, party=party, role=role)
            if link.pk is None or link.order != order:
                link.order = order
                link._history_user, link._change_reason = user, reason
                link.save()

    @staticmethod
    def _save_sources(deal, wanted, user, reason):
        existing = {citation.source_id: citation for citation in deal.citations.all()}
        for source_id, citation in existing.items():
            if source_id not in {s.pk for s in wanted}:
                citation._history_user, citation._change_reason = user, reason
                citation.delete()
        for source in wanted:
            if source.pk not in existing:
                citation = DealSource(deal=deal, source=source)
                citation._history_user, citation._change_reason = user, reason
                citation.save()


# --- parties and ceremonies --------------------------------------------------------------


class PartyResource(StaffResource):
    name = TextField("name")
    slug = TextField("slug")
    native_name = TextField("native_name")
    aliases = fields.Field(attribute="aliases", column_name="aliases", widget=LinesWidget())
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    kind = staff_field("kind", ChoiceWidget(Party.Kind.choices))
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=LookupWidget(party_lookup())
    )
    website = TextField("website")

    example = {
        "name": "Bell Helicopter",
        "native_name": "",
        "aliases": "Bell; Bell Helicopter Textron",
        "country": "US",
        "kind": "company",
        "parent": "Textron",
        "website": "https://www.bellflight.com",
    }

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("parent")

    class Meta:
        model = Party
        import_id_fields = ["slug"]
        fields = ["name", "slug", "native_name", "aliases", "country", "kind", "parent", "website"]
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class CeremonyResource(StaffResource):
    name = TextField("name")
    slug = TextField("slug")
    date = fields.Field(attribute="date", column_name="date", widget=IsoDateWidget())
    venue = fields.Field(
        attribute="venue", column_name="venue", widget=LookupWidget(by_name(Venue, "venue"))
    )
    occasion = fields.Field(
        attribute="occasion",
        column_name="occasion",
        widget=LookupWidget(by_name(Occasion, "occasion")),
    )
    description = TextField("description")
    announced_value_amount = fields.Field(
        attribute="announced_value_amount",
        column_name="announced_value_amount",
        widget=StrictDecimalWidget(),
    )
    announced_value_currency = staff_field("announced_value_currency", CodeWidget())
    announced_value_qualifier = staff_field(
        "announced_value_qualifier", ChoiceWidget(Qualifier.choices)
    )
    announced_deal_count = fields.Field(
        attribute="announced_deal_count",
        column_name="announced_deal_count",
        widget=StrictIntegerWidget(),
    )

    example = {
        "name": "Great Hall of the People signings",
        "date": "2017-11-08",
        "venue": "Great Hall of the People",
        "occasion": "US state visit to China",
        "announced_value_amount": "9000000000",
        "announced_value_currency": "USD",
        "announced_value_qualifier": "about",
        "announced_deal_count": "19",
    }

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._date_before = None if new else instance.date

    def after_save_instance(self, instance, row, **kwargs):
        if instance._date_before not in (None, instance.date):
            # Its deals without a signing date convert at the ceremony's date.
            instance.deals.filter(signed_on__isnull=True).recompute_usd()

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("venue", "occasion")

    class Meta:
        model = Ceremony
        import_id_fields = ["slug"]
        fields = [
            "name",
            "slug",
            "date",
            "venue",
            "occasion",
            "description",
            "announced_value_amount",
            "announced_value_currency",
            "announced_value_qualifier",
            "announced_deal_count",
        ]
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
