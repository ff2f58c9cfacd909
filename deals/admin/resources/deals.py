"""Deals: their columns, their parties and sources in one cell each, and a value given as
press wording (`value_wording`, read by `deals.wording`)."""

from django.core.exceptions import NON_FIELD_ERRORS
from import_export import fields

from deals.admin.resources.base import StaffResource, TextField, staff_field
from deals.admin.resources.lookups import (
    DealSlugWidget,
    LookupWidget,
    by_name,
    party_lookup,
    sector_lookup,
)
from deals.admin.resources.widgets import (
    ChoiceWidget,
    CodeWidget,
    FlagWidget,
    IsoDateWidget,
    StrictDecimalWidget,
    StrictIntegerWidget,
    TextWidget,
    cell_text,
)
from deals.models import Ceremony, Deal, DealParty, DealSource, Qualifier, Source
from deals.wording import WordingError, parse_value_wording


class PartiesField(fields.Field):
    """ "JD.com:buyer; Smithfield Foods:seller": each party by slug, name or alias."""

    def __init__(self, lookup):
        super().__init__(attribute="parties", column_name="parties")
        self.lookup = lookup
        self.roles = ChoiceWidget(DealParty.Role.choices)

    def clean(self, row, **kwargs):
        text = cell_text(row.get(self.column_name))
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
        urls = [u.strip() for u in cell_text(row.get(self.column_name)).split(";") if u.strip()]
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
    ceremony_signing = staff_field("ceremony_signing", ChoiceWidget(Deal.CeremonySigning.choices))
    status = staff_field("status", ChoiceWidget(Deal.Status.choices))
    umbrella = fields.Field(attribute="umbrella", column_name="umbrella", widget=DealSlugWidget())
    follows = fields.Field(attribute="follows", column_name="follows", widget=DealSlugWidget())
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
            "ceremony_signing",
            "status",
            "umbrella",
            "follows",
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
        return queryset.select_related(
            "sector", "ceremony", "umbrella", "follows"
        ).prefetch_related("deal_parties__party", "citations__source")

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
        elif instance.is_published:
            # Only for those who may publish: a contributor's row is refused above already.
            # The lists as this row leaves them (the stored ones where its column is absent).
            needs = Deal.publication_errors(
                party_count=len(self.fields["parties"].links(instance)),
                source_count=len(self.fields["sources"].sources(instance)),
            )
            for column, messages in needs.items():
                if column not in errors:  # a column that could not be read says so already
                    errors[column] = messages

    def _read_wording(self, instance, row, errors):
        text = cell_text(row.get("value_wording"))
        if not text:
            return
        try:
            parsed = parse_value_wording(text)
        except WordingError as error:
            errors.setdefault("value_wording", []).append(str(error))
            return
        given = [column for column in VALUE_COLUMNS if cell_text(row.get(column))]
        if given:
            errors.setdefault("value_wording", []).append(
                f"Give the value as wording or in {', '.join(given)}, not both."
            )
            return
        term = cell_text(row.get("term_months"))
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
