"""A party's identifiers in the API: read and written as a list of {scheme, value},
checked by the model's own rules (PartyIdentifier.clean() and its constraints), and the
`?identifier=scheme:id` filter's field."""

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from deals.models import PartyIdentifier, normalise_identifier, parse_identifier
from deals.models.identifiers import SINGLE_VALUED

IDENTIFIER_MAX_LENGTH = 120


class PartyIdentifierSerializer(serializers.ModelSerializer):
    url = serializers.CharField(
        read_only=True, help_text="Its page at the register; empty where there is none sure."
    )

    class Meta:
        model = PartyIdentifier
        fields = ["scheme", "value", "url"]
        # The model's constraints are checked in validate(), with its messages.
        validators = []

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(name) for name in data if name not in self.fields)
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)

    def validate(self, attrs):
        party_id = getattr(self.root.instance, "pk", None)  # None for a new party
        scheme = attrs["scheme"]
        identifier = PartyIdentifier(
            party_id=party_id, scheme=scheme, value=normalise_identifier(scheme, attrs["value"])
        )
        held = PartyIdentifier.objects.filter(
            party_id=party_id, scheme=identifier.scheme, value=identifier.value
        ).first()
        try:
            (held or identifier).full_clean(exclude=["party"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return {"scheme": identifier.scheme, "value": identifier.value}


def validate_identifier_list(items):
    """The same identifier twice, or two QIDs or LEIs, in one write: field errors."""
    errors = [{} for _ in items]
    seen, single = set(), set()
    for index, item in enumerate(items):
        key = (item["scheme"], item["value"])
        if key in seen:
            errors[index] = {"value": ["Already listed."]}
        elif item["scheme"] in SINGLE_VALUED and item["scheme"] in single:
            errors[index] = {"scheme": ["A party has one Wikidata QID and one LEI at most."]}
        seen.add(key)
        if item["scheme"] in SINGLE_VALUED:
            single.add(item["scheme"])
    if any(errors):
        raise serializers.ValidationError(errors)
    return items


class IdentifierField(forms.CharField):
    """ "lei:5493…" → ("lei", "5493…"), normalised as stored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", IDENTIFIER_MAX_LENGTH)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_identifier(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid_identifier") from None
