"""Parties: names, aliases, country, kind and the parent party."""

from import_export import fields

from deals.admin.resources.base import StaffResource, TextField, staff_field
from deals.admin.resources.lookups import LookupWidget, party_lookup
from deals.admin.resources.widgets import ChoiceWidget, CountryWidget, LinesWidget
from deals.models import Party


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
