"""Parties: names, aliases, country, kind and the parent party."""

from import_export import fields

from deals.admin.resources.base import StaffResource, TextField, staff_field
from deals.admin.resources.lookups import LookupWidget, party_lookup
from deals.admin.resources.widgets import ChoiceWidget, CountryWidget, FlagWidget, LinesWidget
from deals.models import Party

# A column of the file, not of the record (never exported): 1 on a row that creates or
# renames a party although it looks like another, to say the two are distinct.
CONFIRM_COLUMN = "confirm_distinct"
NAME_FIELDS = ("name", "native_name", "aliases")


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

    def check_row(self, instance, row, errors, **kwargs):
        """A row that creates a likely duplicate of another party (or renames one into
        it) is an error naming that party, unless its confirm_distinct cell says 1. Rows
        are saved in turn, so a file's own earlier rows count too."""
        try:
            confirmed = FlagWidget().clean(row.get(CONFIRM_COLUMN))
        except ValueError as error:
            errors.setdefault(CONFIRM_COLUMN, []).append(str(error))
            return
        if confirmed or errors or not self.renames(instance):
            return
        for candidate in instance.likely_duplicates():
            errors.setdefault(candidate.field, []).append(
                f"Looks like the party “{candidate.party.name}” (slug {candidate.party.slug}): "
                f"same {candidate.matched_label} once case, punctuation and legal suffixes "
                f"are set aside. Use its slug, or write 1 in a {CONFIRM_COLUMN} column if "
                "they are different organisations."
            )

    def renames(self, instance):
        if instance.pk is None:
            return True
        held = Party.objects.filter(pk=instance.pk).values(*NAME_FIELDS).first() or {}
        return any(held.get(field) != getattr(instance, field) for field in NAME_FIELDS)

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
