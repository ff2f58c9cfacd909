"""Serializer fields the API's serializers share."""

import datetime
import re
from functools import cached_property

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
_SLUG = re.compile(SLUG_PATTERN)
# Beyond a 64-bit id no row exists; asking the database would overflow on SQLite.
_MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The object's page on the public site, as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class RelatedObjectField(serializers.RelatedField):
    """A link to another record: read as a small nested object, written as its id
    (an integer) or its slug (a string)."""

    default_error_messages = {
        "does_not_exist": _("No record has the id or slug {value}."),
        "incorrect_type": _("Give an id (an integer) or a slug (a string), not {data_type}."),
    }

    def __init__(self, serializer_class, **kwargs):
        self.serializer_class = serializer_class
        super().__init__(**kwargs)

    def use_pk_only_optimization(self):
        return False

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            lookup = {"pk": data} if 0 < data <= _MAX_ID else None
        elif isinstance(data, str):
            lookup = {"slug": data} if _SLUG.match(data) else None
        else:
            self.fail("incorrect_type", data_type=type(data).__name__)
        found = self.get_queryset().filter(**lookup).first() if lookup else None
        if found is None:
            self.fail("does_not_exist", value=repr(data))
        return found

    def to_representation(self, value):
        return self.representation.to_representation(value)

    @cached_property
    def representation(self):
        """One serializer for every row this field shows (the field is bound anew for
        each request): building one per row cost a third of a list's time."""
        return self.serializer_class(context=self.context)


class RelatedObjectFieldExtension(OpenApiSerializerFieldExtension):
    target_class = RelatedObjectField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return auto_schema.resolve_serializer(self.target.serializer_class, direction).ref
        return {
            "oneOf": [
                {"type": "integer", "minimum": 1, "description": "id"},
                {"type": "string", "pattern": SLUG_PATTERN, "description": "slug"},
            ]
        }


class LinesField(serializers.ListField):
    """A text field of one item per line, as a list of strings."""

    child = serializers.CharField(max_length=200)

    def to_representation(self, text):
        return [line.strip() for line in text.splitlines() if line.strip()]

    def to_internal_value(self, data):
        items = super().to_internal_value(data)
        for index, item in enumerate(items):
            if "\n" in item or "\r" in item:
                raise serializers.ValidationError(
                    {index: [_("One item per entry, without breaks.")]}
                )
        return "\n".join(item.strip() for item in items if item.strip())


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class ExistingDateField(serializers.DateField):
    """A date as YYYY-MM-DD that says when a well-written date does not exist
    ("2018-02-30"), rather than calling its format wrong."""

    def to_internal_value(self, value):
        match = _ISO_DATE.match(value) if isinstance(value, str) else None
        if match:
            try:
                return datetime.date(*map(int, match.groups()))
            except ValueError:
                raise serializers.ValidationError(
                    f"{value} is not a date that exists (check the day and the month).",
                    code="invalid",
                ) from None
        return super().to_internal_value(value)


# What the schema says an amount is (deals.models.money.MAX_AMOUNT, two decimals):
# plain digits, at most 10^14, so "1e9", "-5" or "1,000" are refused as the schema says.
AMOUNT_PATTERN = r"^(?:\d{1,14}(?:\.\d{1,2})?|100000000000000(?:\.0{1,2})?)$"
_AMOUNT = re.compile(AMOUNT_PATTERN)
_NUMBER_LIKE = re.compile(r"^-?\d+(?:\.\d+)?$")


@extend_schema_field({"type": "string", "format": "decimal", "pattern": AMOUNT_PATTERN})
class AmountField(serializers.DecimalField):
    """An amount as the schema describes it: a string of plain digits."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not _NUMBER_LIKE.match(data):
            raise serializers.ValidationError(
                _(
                    "Write the amount as a string of plain digits with at most 2 decimals, "
                    'e.g. "1200000000" or "1200000000.50" (no exponent, no separators).'
                ),
                code="invalid",
            )
        # What the pattern refuses beyond this (negative, too large, too many
        # decimals) DecimalField and the model's validators name in their own words.
        return super().to_internal_value(data)
