"""Ceremonies: where and when deals were signed, and what was announced there."""

from import_export import fields

from deals.admin.resources.base import StaffResource, TextField, staff_field
from deals.admin.resources.lookups import LookupWidget, by_name
from deals.admin.resources.widgets import (
    ChoiceWidget,
    CodeWidget,
    IsoDateWidget,
    StrictDecimalWidget,
    StrictIntegerWidget,
)
from deals.models import Ceremony, Occasion, Qualifier, Venue


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
