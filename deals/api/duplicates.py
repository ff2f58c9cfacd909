"""A party written through the API that looks like one already held: 409, naming it.

Parties are public (every party is listed by GET /api/v1/parties/ for anyone), so
naming the existing ones tells the client nothing it could not read already.
"""

from rest_framework import exceptions, serializers, status
from rest_framework.reverse import reverse

from deals.models import Party, PartyIdentifier

CONFIRM_FIELD = "confirm_distinct"
NAME_FIELDS = ("name", "native_name", "aliases")


class LikelyDuplicate(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "likely_duplicate"

    def __init__(self, candidates, request):
        identifiers = {}
        held = PartyIdentifier.objects.filter(party__in=[c.party for c in candidates])
        for identifier in held:  # one query for every candidate
            identifiers.setdefault(identifier.party_id, []).append(str(identifier))
        self.candidates = [
            {
                "id": candidate.party.pk,
                "name": candidate.party.name,
                "url": reverse("api:party-detail", args=[candidate.party.pk], request=request),
                "field": candidate.field,
                "matched": candidate.matched,
                "identifiers": identifiers.get(candidate.party.pk, []),
            }
            for candidate in candidates
        ]
        names = ", ".join(f"{c['name']} (id {c['id']})" for c in self.candidates)
        fields = {}
        for candidate in candidates:
            fields.setdefault(candidate.field, []).append(
                f"Matches the {candidate.matched_label} of {candidate.party.name} "
                f"(id {candidate.party.pk})."
            )
        super().__init__(
            detail=(
                f"This looks like a party already held: {names}. Use it, or send "
                f'"{CONFIRM_FIELD}": true if this is a different organisation.'
            )
        )
        self.fields = fields


class DuplicateCheckMixin(serializers.Serializer):
    """Refuse, with LikelyDuplicate, a new party or a renamed one whose name, native
    name or an alias matches another party's (PartyQuerySet.likely_duplicates_of),
    unless the client confirms with `confirm_distinct`."""

    confirm_distinct = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Send true to create (or rename) a party although its name, native name "
        "or an alias matches another party's; without it such a write is refused with "
        "409 naming the party it resembles. Never stored.",
    )

    def validate(self, attrs):
        confirmed = attrs.pop(CONFIRM_FIELD, False)
        attrs = super().validate(attrs)
        if confirmed or not self.renames(attrs):
            return attrs
        current = self.instance
        names = {
            field: attrs.get(field, getattr(current, field, "") if current else "")
            for field in NAME_FIELDS
        }
        parent = attrs["parent"] if "parent" in attrs else getattr(current, "parent", None)
        if "identifiers" in attrs:
            identifiers = [(i["scheme"], i["value"]) for i in attrs["identifiers"]]
        else:
            identifiers = current.identifiers.values_list("scheme", "value") if current else []
        candidates = Party.objects.likely_duplicates_of(
            **names,
            exclude=[current.pk] if current else [],
            parent=parent,
            identifiers=identifiers,
        )
        if candidates:
            raise LikelyDuplicate(candidates, self.context.get("request"))
        return attrs

    def renames(self, attrs):
        if self.instance is None:
            return True
        return any(
            field in attrs and attrs[field] != getattr(self.instance, field)
            for field in NAME_FIELDS
        )
