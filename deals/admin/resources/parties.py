"""Parties: names, aliases, country, kind, the parent party and identifiers."""

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from deals.admin.resources.base import StaffResource, TextField, staff_field
from deals.admin.resources.lookups import LookupWidget, party_lookup
from deals.admin.resources.widgets import (
    ChoiceWidget,
    CountryWidget,
    FlagWidget,
    LinesWidget,
    cell_text,
)
from deals.models import Party, PartyIdentifier, parse_identifier
from deals.models.identifiers import SINGLE_VALUED

# A column of the file, not of the record (never exported): 1 on a row that creates or
# renames a party although it looks like another, to say the two are distinct.
CONFIRM_COLUMN = "confirm_distinct"
NAME_FIELDS = ("name", "native_name", "aliases")


class IdentifiersWidget(widgets.Widget):
    """ "lei:…; qid:Q66" ↔ [(scheme, id)]: each read strictly (parse_identifier)."""

    def clean(self, value, row=None, **kwargs):
        pairs = []
        for text in cell_text(value).replace("\n", ";").split(";"):
            if text.strip():
                try:
                    pairs.append(parse_identifier(text))
                except ValueError as error:
                    raise ValueError(f"“{text.strip()}”: {error}") from None
        return pairs

    def render(self, value, obj=None, **kwargs):
        return "; ".join(f"{scheme}:{id_}" for scheme, id_ in value or ())


class IdentifiersField(fields.Field):
    """A party's identifiers in one column. Read into the party (kept until it is
    saved, as the rows they are written to need its id); an empty cell means none."""

    def __init__(self):
        super().__init__(
            attribute="identifiers", column_name="identifiers", widget=IdentifiersWidget()
        )

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance._identifiers_written = self.clean(row, **kwargs)

    def get_value(self, obj):
        written = getattr(obj, "_identifiers_written", None)
        if written is not None:
            return tuple(sorted(written))
        if obj.pk is None:
            return ()
        return tuple(sorted((i.scheme, i.value) for i in obj.identifiers.all()))


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
    identifiers = IdentifiersField()

    example = {
        "name": "Bell Helicopter",
        "native_name": "",
        "aliases": "Bell; Bell Helicopter Textron",
        "country": "US",
        "kind": "company",
        "parent": "Textron",
        "website": "https://www.bellflight.com",
        "identifiers": "",
    }

    def check_row(self, instance, row, errors, **kwargs):
        """A row that creates a likely duplicate of another party (or renames one into
        it) is an error naming that party, unless its confirm_distinct cell says 1. Rows
        are saved in turn, so a file's own earlier rows count too. Its identifiers are
        checked as the admin checks them; one another party holds is an error naming it."""
        self.check_identifiers(instance, errors)
        try:
            confirmed = FlagWidget().clean(row.get(CONFIRM_COLUMN))
        except ValueError as error:
            errors.setdefault(CONFIRM_COLUMN, []).append(str(error))
            return
        if confirmed or errors or not self.renames(instance):
            return
        written = getattr(instance, "_identifiers_written", None) or ()
        for candidate in instance.likely_duplicates(identifiers=written):
            held = "; ".join(str(i) for i in candidate.party.identifiers.all())
            errors.setdefault(candidate.field, []).append(
                f"Looks like the party “{candidate.party.name}” (slug {candidate.party.slug}"
                f"{'; ' + held if held else ''}): "
                f"same {candidate.matched_label} once case, punctuation and legal suffixes "
                f"are set aside. Use its slug, or write 1 in a {CONFIRM_COLUMN} column if "
                "they are different organisations."
            )

    def check_identifiers(self, instance, errors):
        written = getattr(instance, "_identifiers_written", None)
        seen = set()
        for scheme, value in written or ():
            if scheme in seen and scheme in SINGLE_VALUED:
                errors.setdefault("identifiers", []).append(
                    f"{scheme}:{value}: a party has one Wikidata QID and one LEI at most."
                )
            seen.add(scheme)
            identifier = PartyIdentifier(party_id=instance.pk, scheme=scheme, value=value)
            held = PartyIdentifier.objects.filter(
                party_id=instance.pk, scheme=scheme, value=identifier.value
            ).first()
            try:
                (held or identifier).full_clean(exclude=["party"])
            except ValidationError as error:
                for message in error.messages:
                    errors.setdefault("identifiers", []).append(f"{scheme}:{value}: {message}")

    def after_save_instance(self, instance, row, **kwargs):
        written = getattr(instance, "_identifiers_written", None)
        if written is not None:
            instance.set_identifiers(written)

    def renames(self, instance):
        if instance.pk is None:
            return True
        held = Party.objects.filter(pk=instance.pk).values(*NAME_FIELDS).first() or {}
        return any(held.get(field) != getattr(instance, field) for field in NAME_FIELDS)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("parent").prefetch_related("identifiers")

    class Meta:
        model = Party
        import_id_fields = ["slug"]
        fields = [
            *("name", "slug", "native_name", "aliases", "country", "kind", "parent", "website"),
            "identifiers",
        ]
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
