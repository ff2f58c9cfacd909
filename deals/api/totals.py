"""Totals in the API: a sum of deals as the figures it honestly states.

`amount_usd` and `qualifier` are the leading figure; `plus_about_usd` and
`plus_up_to_usd` the amounts kept apart from it; `as_stated_usd` every amount added up
as stated; `display` all of it in words, as the pages, CSV and dashboard write it. How
qualifiers combine: `sum_figures` in deals/models/totals.py and docs/methodology.md.
"""

from rest_framework import serializers

AMOUNT_USD_HELP = (
    "The leading figure a sum honestly states, read with `qualifier`: exact, about, "
    "at_least or more_than (a lower bound), or up_to when only up-to amounts are summed. "
    "Never counts money twice; null when nothing is summed."
)
QUALIFIER_HELP = "The qualifier of `amount_usd` (exact when nothing is summed)."
PLUS_ABOUT_HELP = (
    'Amounts stated as "about" (or converted from another currency) kept apart from a '
    'leading lower bound: "more than US$2 billion plus about US$756 million". Null '
    "when none are kept apart."
)
PLUS_UP_TO_HELP = (
    'Amounts stated as "up to", kept apart from the leading figure and never added to '
    'it: "US$83.7 billion plus up to US$43 billion". Null when there are none, or when '
    "they are all that is summed (then they are the leading figure)."
)
AS_STATED_HELP = (
    "Every summed amount added up as stated, whatever its qualifier: a scale for shares "
    "and charts (the parts of a set add up to it), not a figure the sum states. Null "
    "when nothing is summed."
)


def usd_field(help_text):
    return serializers.DecimalField(
        max_digits=None, decimal_places=2, allow_null=True, help_text=help_text
    )


class StatedFiguresMixin(serializers.Serializer):
    """The figures of a `Totals` (deals/models/totals.py), after the subclass's counts."""

    counts = ()

    amount_usd = usd_field(AMOUNT_USD_HELP)
    qualifier = serializers.CharField(help_text=QUALIFIER_HELP)
    plus_about_usd = usd_field(PLUS_ABOUT_HELP)
    plus_up_to_usd = usd_field(PLUS_UP_TO_HELP)
    as_stated_usd = usd_field(AS_STATED_HELP)
    display = serializers.CharField(
        help_text='The sum in words: "more than US$132.7 billion plus up to US$48 billion".'
    )

    def get_fields(self):
        # The counts first, as they were before the figures grew.
        fields = super().get_fields()
        order = [*self.counts, *(name for name in fields if name not in self.counts)]
        return {name: fields[name] for name in order}


class DealTotalsSerializer(StatedFiguresMixin):
    """Count and US-dollar sum of a set of deals, as the figures it honestly states."""

    counts = ("count", "disclosed_count", "undisclosed_count", "unconverted_count")

    count = serializers.IntegerField()
    disclosed_count = serializers.IntegerField()
    undisclosed_count = serializers.IntegerField()
    unconverted_count = serializers.IntegerField(
        help_text="Deals with an amount that could not be converted to US dollars."
    )


class ItemisedTotalsSerializer(StatedFiguresMixin):
    """What the record itemises of a ceremony: its published deals only."""

    counts = ("deal_count", "undisclosed_count")

    deal_count = serializers.IntegerField(source="count")
    undisclosed_count = serializers.IntegerField()
