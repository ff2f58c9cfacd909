"""Serializer fields the API's serializers share."""

import re
from functools import cached_property

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
        "does_not_exist": "No record has the id or slug {value}.",
        "incorrect_type": "Give an id (an integer) or a slug (a string), not {data_type}.",
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
                raise serializers.ValidationError({index: ["One item per entry, without breaks."]})
        return "\n".join(item.strip() for item in items if item.strip())
