"""The follow-through scorecard in the API: what became of the deals of a ceremony, an
occasion, a party, a sector or a country, as `/api/v1/<resource>/{id}/follow-through/`.

Read from `Scope.scorecard()` (deals/scopes.py), the object the CSV and the feeds read
too, so every surface gives the same figures. Published deals only, whoever asks.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from deals.api.totals import DealTotalsSerializer
from deals.scopes import Scope

DESCRIPTION = (
    "Of the deals announced here, how many, and how much in US dollars, became what: "
    "every outcome in order (empty ones too), each deal under one. Money is never counted "
    "twice: a component within its umbrella's figure, and a deal within its follow-on's, "
    "add nothing, so the outcomes add up to `totals`. `realised` is the completed deals. "
    "Published deals only, even for signed-in staff (a scorecard is a public figure). "
    "The same figures as the scope's page, its CSV download (`scope.csv_url`) and feed."
)


@extend_schema_field(OpenApiTypes.URI)
class AbsolutePathField(serializers.Field):
    """A path of the site (a method of the scope) as an absolute URL."""

    def __init__(self, method, **kwargs):
        self.method = method
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, scope):
        path = getattr(scope, self.method)()
        return None if path is None else self.context["request"].build_absolute_uri(path)


class ScopeSerializer(serializers.Serializer):
    """What the scorecard is about."""

    kind = serializers.ChoiceField(choices=["ceremony", "occasion", "party", "sector", "country"])
    id = serializers.SerializerMethodField(help_text="The record's id; null for a country.")
    slug = serializers.SerializerMethodField(help_text="The record's slug; null for a country.")
    code = serializers.SerializerMethodField(
        help_text="A country's ISO 3166-1 alpha-2 code; null for the other kinds."
    )
    name = serializers.CharField()
    url = AbsolutePathField("api_path", help_text="The record in the API.")
    page_url = AbsolutePathField("page_path", help_text="Its public page.")
    csv_url = AbsolutePathField("csv_path", help_text="This scorecard as CSV.")
    feed_url = AbsolutePathField(
        "feed_path",
        allow_null=True,
        help_text="Its follow-through Atom feed (ceremonies and occasions); else null.",
    )

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_id(self, scope):
        return scope.record.pk if scope.record is not None else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_slug(self, scope):
        return scope.record.slug if scope.record is not None else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_code(self, scope):
        return scope.code or None


class OutcomeTotalsSerializer(DealTotalsSerializer):
    """The deals of one outcome: the totals shape of `deals/totals/`, named."""

    outcome = serializers.CharField(help_text="no_news, signed_only, in_progress, completed, …")
    label = serializers.CharField(help_text='How readers see it: "signed, nothing since".')

    def to_representation(self, row):
        totals = DealTotalsSerializer(row.totals, context=self.context).data
        return {"outcome": row.outcome, "label": row.label, **totals}


class RealisedSerializer(DealTotalsSerializer):
    """The completed deals, with their share of the USD value announced."""

    share_percent = serializers.IntegerField(
        allow_null=True,
        help_text="The realised share of the announced USD value, 0–100; null without one.",
    )

    def to_representation(self, scorecard):
        totals = DealTotalsSerializer(scorecard.realised, context=self.context).data
        return {**totals, "share_percent": scorecard.realised_share}


class ScorecardSerializer(serializers.Serializer):
    """A `Scorecard` (deals/models/totals.py)."""

    totals = DealTotalsSerializer(help_text="Every deal announced here, each dollar once.")
    outcomes = OutcomeTotalsSerializer(many=True)
    realised = RealisedSerializer(source="*")
    realised_display = serializers.CharField()
    counts_display = serializers.CharField()
    latest_evidence_on = serializers.DateField(
        allow_null=True, help_text="The date of the latest status evidence; null without deals."
    )
    stale_count = serializers.IntegerField(
        help_text="Open deals with no status evidence for more than follow_up_months."
    )
    follow_up_months = serializers.IntegerField()
    display = serializers.CharField(help_text="The whole scorecard in one line.")


class FollowThroughSerializer(ScorecardSerializer):
    """A scope's scorecard: `scope` and the Scorecard's figures."""

    scope = ScopeSerializer()

    def to_representation(self, scope):
        return {
            "scope": ScopeSerializer(scope, context=self.context).data,
            **ScorecardSerializer(scope.scorecard(), context=self.context).data,
        }


class GroupScorecardSerializer(ScorecardSerializer):
    subsidiary_count = serializers.IntegerField(
        help_text="Parties under this one in its group, at any depth."
    )

    def to_representation(self, group):
        return {
            "subsidiary_count": group.subsidiary_count,
            **ScorecardSerializer(group.scorecard(), context=self.context).data,
        }


class PartyFollowThroughSerializer(FollowThroughSerializer):
    """A party's scorecard: the deals it signed itself, and with_subsidiaries those of
    its whole group (itself and every party under it)."""

    with_subsidiaries = GroupScorecardSerializer()

    def to_representation(self, scope):
        return {
            **super().to_representation(scope),
            "with_subsidiaries": GroupScorecardSerializer(
                scope.with_subsidiaries(), context=self.context
            ).data,
        }


class FollowThroughActions:
    """`follow-through/` on a resource's detail: its scorecard (published deals only).

    Mixed into the viewsets of ceremonies, occasions, parties and sectors. The record is
    read by its id alone, without its list's annotations: 2 queries however many deals
    (a party: 2 more, and one per level of its group).
    """

    follow_through_serializer = FollowThroughSerializer

    @extend_schema(
        summary="What became of its deals: the follow-through scorecard",
        description=DESCRIPTION,
        responses=FollowThroughSerializer,
        filters=False,
    )
    @action(
        detail=True,
        url_path="follow-through",
        url_name="follow-through",
        pagination_class=None,
        filter_backends=[],
    )
    def follow_through(self, request, pk=None):
        record = generics.get_object_or_404(self.get_queryset().model.objects.all(), pk=pk)
        self.check_object_permissions(request, record)
        serializer = self.follow_through_serializer(
            Scope.of(record), context=self.get_serializer_context()
        )
        return Response(serializer.data)


class CountrySerializer(serializers.Serializer):
    """A country, by its ISO 3166-1 alpha-2 code: the country of a party to a deal."""

    code = serializers.CharField(help_text="ISO 3166-1 alpha-2, in capitals.")
    name = serializers.CharField()
    url = AbsolutePathField("api_path", help_text="The country in the API.")
    page_url = AbsolutePathField(
        "page_path", help_text="The deals page, filtered by parties from this country."
    )
    follow_through = AbsolutePathField(
        "api_follow_through_path", help_text="Its follow-through scorecard."
    )
