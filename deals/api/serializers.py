"""How the records look in the API, and how writes are checked.

Writes are validated by the models' own rules, as the admin's forms validate them:
each serializer builds the instance and calls `full_clean()` (field validators,
`clean()`, unique checks and the named constraints), then reports the model's errors
under the field's API path ("value_amount" → "value.amount").
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from deals.api.duplicates import DuplicateCheckMixin
from deals.api.exceptions import NON_FIELD_ERRORS as API_NON_FIELD_ERRORS
from deals.api.fields import (
    AmountField,
    ExistingDateField,
    LinesField,
    PageUrlField,
    RelatedObjectField,
)
from deals.api.identifiers import PartyIdentifierSerializer, validate_identifier_list
from deals.api.totals import ItemisedTotalsSerializer
from deals.api.validation import AllErrorsMixin, ModelRulesMixin
from deals.models import (
    Ceremony,
    Deal,
    DealParty,
    DealSource,
    Occasion,
    Party,
    Sector,
    Source,
    StatusUpdate,
    Venue,
)

# --- shared machinery ---------------------------------------------------------------------


class ModelSerializer(CountryFieldMixin, serializers.ModelSerializer):
    """DRF's ModelSerializer, with countries read and written as ISO 3166-1 codes
    ("" for none) rather than as django-countries' Country objects; dates that say
    when they do not exist."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: ExistingDateField,
    }

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        # DRF swaps the model's Min/MaxValueValidators for min_value and max_value with
        # its own messages; keep the model's, so the API says what the admin says.
        bounds = [
            validator
            for validator in model_field.validators
            if isinstance(validator, MinValueValidator | MaxValueValidator)
        ]
        limits = [kwargs.pop("min_value", None), kwargs.pop("max_value", None)]
        if any(limit is not None for limit in limits):
            kwargs["validators"] = [*kwargs.get("validators", []), *bounds]
        return field_class, kwargs


class StrictFieldsMixin:
    """Refuse a field the serializer does not know, so a typo ("valeu") is a 400
    naming it rather than a write that quietly leaves the value out. Read-only
    fields are accepted and ignored, so what a client GETs it may PUT back."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(name) for name in data if name not in self.fields)
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class CompleteItemMixin:
    """An item of a list is written whole, even in a PATCH (DRF would let a partial
    update leave out its required fields, e.g. a party without its role)."""

    def to_internal_value(self, data):
        if isinstance(data, dict) and getattr(self.root, "partial", False):
            missing = [
                name
                for name, field in self.fields.items()
                if field.required and not field.read_only and name not in data
            ]
            if missing:
                raise serializers.ValidationError(
                    {
                        name: [serializers.Field.default_error_messages["required"]]
                        for name in missing
                    }
                )
        return super().to_internal_value(data)


class PrefixedFieldsSerializer(StrictFieldsMixin, ModelSerializer):
    """The model fields named `<prefix>…`, shown without the prefix as one object:
    value_amount, value_currency → {"amount", "currency"}. Used with source="*", so
    the fields stay on the model and keep its validators and choices."""

    prefix = ""

    def get_fields(self):
        fields = {}
        for name, field in super().get_fields().items():
            if name.startswith(self.prefix):
                field.source = name
                name = name.removeprefix(self.prefix)
            fields[name] = field
        return fields


# --- small nested objects ------------------------------------------------------------


class PartyRefSerializer(ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "slug", "name", "country"]


class SectorRefSerializer(ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "slug", "name", "code"]


class CeremonyRefSerializer(ModelSerializer):
    class Meta:
        model = Ceremony
        fields = ["id", "slug", "name", "date"]


class VenueRefSerializer(ModelSerializer):
    class Meta:
        model = Venue
        fields = ["id", "slug", "name", "city", "country"]


class OccasionRefSerializer(ModelSerializer):
    class Meta:
        model = Occasion
        fields = ["id", "slug", "name"]


class DealRefSerializer(ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:deal-detail")

    class Meta:
        model = Deal
        fields = ["id", "slug", "title", "url"]


class SourceRefSerializer(ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "url", "publisher", "title", "published_on"]


# --- deals ----------------------------------------------------------------------------


class DealLinkField(RelatedObjectField):
    """An umbrella or an earlier deal: written by id or slug among the deals the user
    may see; read as null when it is a draft the reader may not see."""

    def __init__(self, **kwargs):
        super().__init__(DealRefSerializer, queryset=Deal.objects.all(), **kwargs)

    def get_queryset(self):
        return Deal.objects.visible_to(self.context["request"].user)

    def get_attribute(self, instance):
        deal = super().get_attribute(instance)
        if deal is not None and not deal.is_published and not self.context["can_see_drafts"]:
            return None
        return deal


class DealPartySerializer(CompleteItemMixin, StrictFieldsMixin, ModelSerializer):
    """A party to the deal in one role; written with the party's id or slug."""

    party = RelatedObjectField(PartyRefSerializer, queryset=Party.objects.all())

    class Meta:
        model = DealParty
        fields = ["party", "role", "signatory_name", "signatory_title"]


class DealValueSerializer(PrefixedFieldsSerializer):
    """The value as stated, never rounded; `amount_usd` is derived at the signing date's
    exchange rate, `display` writes it as the site does."""

    prefix = "value_"
    display = serializers.CharField(source="value_display", read_only=True)
    serializer_field_mapping = {
        **ModelSerializer.serializer_field_mapping,
        models.DecimalField: AmountField,
    }

    class Meta:
        model = Deal
        fields = [
            "value_amount",
            "value_currency",
            "value_qualifier",
            "value_basis",
            "value_stated_by",
            "value_amount_usd",
            "display",
        ]


class DealTermSerializer(PrefixedFieldsSerializer):
    """How long the deal runs."""

    prefix = "term_"
    display = serializers.CharField(source="term_display", read_only=True)

    class Meta:
        model = Deal
        fields = ["term_months", "term_start_date", "term_end_date", "display"]


class StatusUpdateSerializer(ModelSerializer):
    """A dated change in what became of the deal."""

    source = SourceRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StatusUpdate
        fields = ["date", "status", "note", "quote", "source"]


class CitationSerializer(StrictFieldsMixin, ModelSerializer):
    """A source cited for a deal, with what it says about the deal (`quote`).

    Written as {"id": …} for a source on record, or {"url": …} for one found by its
    address; a new address also needs `publisher` and `title`, and makes a new source.
    A source on record is cited as it stands: change it in the admin.
    """

    id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    quote = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Source
        fields = ["id", "url", "publisher", "title", "published_on", "quote"]
        # Not required: a source on record is named by its id or url alone; and an
        # existing url is the point, not a clash (no UniqueValidator).
        extra_kwargs = {
            "url": {"required": False, "validators": []},
            "publisher": {"required": False},
            "title": {"required": False},
        }

    def to_representation(self, citation):
        data = super().to_representation(citation.source)
        data["quote"] = citation.quote
        return data

    def validate(self, attrs):
        quote = attrs.pop("quote", "")
        if "id" in attrs:
            source = Source.objects.filter(pk=attrs["id"]).first()
            if source is None:
                raise serializers.ValidationError({"id": ["No source has this id."]})
        elif "url" in attrs:
            source = Source.objects.filter(url=attrs["url"]).first() or self._new_source(attrs)
        else:
            raise serializers.ValidationError("Give the id of a source on record, or a url.")
        return {"source": source, "quote": quote}

    def _new_source(self, attrs):
        missing = {name: ["Needed for a new source."] for name in ("publisher", "title")}
        missing = {name: messages for name, messages in missing.items() if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        if not self.context["request"].user.has_perm("deals.add_source"):
            raise serializers.ValidationError(
                {"url": ["No source has this url, and you may not add sources."]}
            )
        source = Source(**attrs)
        try:
            source.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return source


class DealSerializer(AllErrorsMixin, ModelRulesMixin, StrictFieldsMixin, ModelSerializer):
    """A deal, with its parties, value, term, sources and what became of it.

    Written with its parties (each party by id or slug), value, term and sources in
    one request: validated by the same rules as the admin and saved whole or not at
    all. A list given (parties, sources) replaces the deal's list.
    """

    url = serializers.HyperlinkedIdentityField(view_name="api:deal-detail")
    page_url = PageUrlField()
    parties = DealPartySerializer(source="deal_parties", many=True, required=False)
    sector = RelatedObjectField(SectorRefSerializer, queryset=Sector.objects.all())
    ceremony = RelatedObjectField(
        CeremonyRefSerializer, queryset=Ceremony.objects.all(), allow_null=True, required=False
    )
    is_binding = serializers.BooleanField(read_only=True, allow_null=True)
    status_updates = StatusUpdateSerializer(many=True, read_only=True)
    # Required: a deal's value is its amount or "undisclosed"; without the object the
    # error names `value`, not a field inside it that was never sent.
    value = DealValueSerializer(
        source="*",
        error_messages={
            # (DRF formats the message: braces doubled.)
            "required": 'Give the value: {{"amount": "…", "currency": "USD"}}, or '
            '{{"qualifier": "undisclosed"}} when no amount is known.'
        },
    )
    term = DealTermSerializer(source="*", required=False)
    sources = CitationSerializer(source="citations", many=True, required=False)
    umbrella = DealLinkField(allow_null=True, required=False)
    follows = DealLinkField(allow_null=True, required=False)
    components = DealRefSerializer(source="visible_components", many=True, read_only=True)
    follow_ons = DealRefSerializer(source="visible_follow_ons", many=True, read_only=True)

    class Meta:
        model = Deal
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "title",
            "summary",
            "description",
            "parties",
            "sector",
            "ceremony",
            "signed_on",
            "ceremony_signing",
            "instrument",
            "is_binding",
            "status",
            "status_updates",
            "value",
            "term",
            "sources",
            "umbrella",
            "follows",
            "components",
            "follow_ons",
            "is_published",
            "published_at",
            "created_at",
            "updated_at",
        ]

    # --- validation --------------------------------------------------------------

    def validate(self, attrs):
        """The model's rules and what publication needs, all reported in one 400."""
        errors = {}
        try:
            attrs = super().validate(attrs)
        except serializers.ValidationError as exc:
            errors.update(exc.detail)
        errors.update(
            (name, messages)
            for name, messages in self.publication_errors(attrs).items()
            if name not in errors
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def publication_errors(self, attrs):
        """Deal.publication_errors() for the deal as this write would leave it."""
        stored = self.instance
        if not attrs.get("is_published", stored.is_published if stored else False):
            return {}

        def count(given, related):
            if given is not None:
                return len(given)
            return getattr(stored, related).count() if stored else 0

        return Deal.publication_errors(
            party_count=count(attrs.get("deal_parties"), "deal_parties"),
            source_count=count(attrs.get("citations"), "citations"),
        )

    def validate_is_published(self, value):
        current = self.instance.is_published if self.instance is not None else False
        if value != current and not Deal.can_be_published_by(self.context["request"].user):
            raise PublishDenied()
        return value

    def validate_parties(self, links):
        errors = [{} for _ in links]
        seen = set()
        for index, link in enumerate(links):
            key = (link["party"].pk, link["role"])
            if key in seen:
                errors[index] = {"party": ["Already listed in this role."]}
            seen.add(key)
        if any(errors):
            raise serializers.ValidationError(errors)
        return links

    def validate_sources(self, citations):
        errors = [{} for _ in citations]
        seen = set()
        for index, citation in enumerate(citations):
            source = citation["source"]
            key = source.pk or source.url
            if key in seen:
                errors[index] = {API_NON_FIELD_ERRORS: ["This source is already cited."]}
            seen.add(key)
        if any(errors):
            raise serializers.ValidationError(errors)
        return citations

    # --- saving: the whole deal or nothing (the view runs this in a transaction) ----

    def create(self, validated_data):
        links = validated_data.pop("deal_parties", [])
        citations = validated_data.pop("citations", [])
        user = self.context["request"].user
        deal = Deal(**validated_data, created_by=user, updated_by=user)
        deal.save()
        self._save_parties(deal, links)
        self._save_sources(deal, citations)
        default_status = Deal._meta.get_field("status").default
        deal.settle_status(changed=deal.status != default_status)
        return deal

    def update(self, deal, validated_data):
        links = validated_data.pop("deal_parties", None)
        citations = validated_data.pop("citations", None)
        status_changed = "status" in validated_data and validated_data["status"] != deal.status
        for name, value in validated_data.items():
            setattr(deal, name, value)
        deal.updated_by = self.context["request"].user
        deal.save()
        if links is not None:
            self._save_parties(deal, links)
        if citations is not None:
            self._save_sources(deal, citations)
        deal.settle_status(changed=status_changed)
        return deal

    @staticmethod
    def _save_parties(deal, links):
        """Make the deal's parties these, in this order; rows that stay are kept."""
        existing = {(link.party_id, link.role): link for link in deal.deal_parties.all()}
        for order, data in enumerate(links):
            link = existing.pop((data["party"].pk, data["role"]), None) or DealParty(deal=deal)
            changed = {**data, "order": order}
            if link.pk is None or any(getattr(link, k) != v for k, v in changed.items()):
                for name, value in changed.items():
                    setattr(link, name, value)
                link.save()
        for link in existing.values():
            link.delete()

    @staticmethod
    def _save_sources(deal, citations):
        existing = {citation.source_id: citation for citation in deal.citations.all()}
        for data in citations:
            source = data["source"]
            if source.pk is None:
                source.save()
            citation = existing.pop(source.pk, None) or DealSource(deal=deal, source=source)
            if citation.pk is None or citation.quote != data["quote"]:
                citation.quote = data["quote"]
                citation.save()
        for citation in existing.values():
            citation.delete()


class PublishDenied(exceptions.PermissionDenied):
    """A 403 naming the field: publishing is a permission, not a matter of valid input.
    (Not a ValidationError, which the serializer would collect into a 400.)"""

    def __init__(self):
        super().__init__(
            {"is_published": ["Only editors publish or unpublish (permission deals.publish_deal)."]}
        )


# --- the other records ----------------------------------------------------------------


class RecordSerializer(ModelRulesMixin, StrictFieldsMixin, ModelSerializer):
    """id, slug, url and page_url first, as on every resource."""

    page_url = PageUrlField()


class OccasionSerializer(RecordSerializer):
    """A state visit, summit or trade fair that holds signing ceremonies."""

    url = serializers.HyperlinkedIdentityField(view_name="api:occasion-detail")

    class Meta:
        model = Occasion
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "name",
            "start_date",
            "end_date",
            "host_country",
            "description",
            "created_at",
            "updated_at",
        ]


class VenueSerializer(RecordSerializer):
    """Where ceremonies are held."""

    url = serializers.HyperlinkedIdentityField(view_name="api:venue-detail")

    class Meta:
        model = Venue
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "name",
            "city",
            "country",
            "created_at",
            "updated_at",
        ]


class PartySerializer(DuplicateCheckMixin, RecordSerializer):
    """An organisation that signs deals; a likely duplicate of another is a 409."""

    url = serializers.HyperlinkedIdentityField(view_name="api:party-detail")
    parent = RelatedObjectField(
        PartyRefSerializer, queryset=Party.objects.all(), allow_null=True, required=False
    )
    aliases = LinesField(required=False, help_text="Other names it is reported under.")
    identifiers = PartyIdentifierSerializer(
        many=True,
        required=False,
        help_text="Its public identifiers (Wikidata QID, LEI, company register, stock "
        "ticker); a write replaces the list. An identifier another party holds is a 400.",
    )

    class Meta:
        model = Party
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "name",
            "native_name",
            "aliases",
            "country",
            "kind",
            "parent",
            "website",
            "identifiers",
            "confirm_distinct",
            "created_at",
            "updated_at",
        ]

    def validate_identifiers(self, items):
        return validate_identifier_list(items)

    def create(self, validated_data):
        identifiers = validated_data.pop("identifiers", [])
        party = super().create(validated_data)
        party.set_identifiers((item["scheme"], item["value"]) for item in identifiers)
        return party

    def update(self, party, validated_data):
        identifiers = validated_data.pop("identifiers", None)
        party = super().update(party, validated_data)
        if identifiers is not None:
            party.set_identifiers((item["scheme"], item["value"]) for item in identifiers)
        return party


class SectorSerializer(RecordSerializer):
    """An ISIC Rev. 4 section (no parent) or division (within its section)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:sector-detail")
    parent = RelatedObjectField(
        SectorRefSerializer, queryset=Sector.objects.all(), allow_null=True, required=False
    )
    is_section = serializers.BooleanField(read_only=True)

    class Meta:
        model = Sector
        fields = ["id", "slug", "url", "page_url", "name", "code", "parent", "is_section"]


class AnnouncedValueSerializer(PrefixedFieldsSerializer):
    """The headline figure as the organisers announced it."""

    prefix = "announced_value_"
    display = serializers.CharField(source="announced_value_display", read_only=True)

    class Meta:
        model = Ceremony
        fields = [
            "announced_value_amount",
            "announced_value_currency",
            "announced_value_qualifier",
            "display",
        ]


class CeremonySerializer(RecordSerializer):
    """A signing ceremony: its announced headline set against what the record itemises
    (published deals only)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:ceremony-detail")
    venue = RelatedObjectField(VenueRefSerializer, queryset=Venue.objects.all())
    occasion = RelatedObjectField(
        OccasionRefSerializer, queryset=Occasion.objects.all(), allow_null=True, required=False
    )
    announced_value = AnnouncedValueSerializer(source="*", required=False)
    itemised = serializers.SerializerMethodField()
    reconciliation = serializers.SerializerMethodField()

    class Meta:
        model = Ceremony
        fields = [
            "id",
            "slug",
            "url",
            "page_url",
            "name",
            "date",
            "venue",
            "occasion",
            "description",
            "announced_value",
            "announced_deal_count",
            "itemised",
            "reconciliation",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(ItemisedTotalsSerializer)
    def get_itemised(self, ceremony):
        return ItemisedTotalsSerializer(ceremony.itemised_totals()).data

    @extend_schema_field(OpenApiTypes.STR)
    def get_reconciliation(self, ceremony):
        """Announced against itemised, as the ceremony's page writes it."""
        return ceremony.reconciliation().display
