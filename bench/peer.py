"""The peer the API is measured against (issue 12): what a typical team ships.

A plain DRF ModelViewSet over the same deals table, with DRF's default ModelSerializer
(every field; foreign keys and many-to-many as ids), DRF's PageNumberPagination with
the API's page size and DRF's JSONRenderer. It is given what any team adds after one
look at its queries, the prefetch of its two many-to-many fields (without it, each deal
costs two queries more), and the same published deals in the same order as
/api/v1/deals/. No throttling, no authentication: nothing the peer does is held
against it. Served at /bench/peer/deals/ by bench/urls.py only.
"""

from rest_framework import pagination, permissions, renderers, serializers, viewsets

from deals.models import Deal


class PeerDealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deal
        fields = "__all__"


class PeerPagination(pagination.PageNumberPagination):
    page_size = 20  # the API's own (REST_FRAMEWORK["PAGE_SIZE"])


class PeerDealViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PeerDealSerializer
    pagination_class = PeerPagination
    renderer_classes = [renderers.JSONRenderer]
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = []
    filter_backends = []
    queryset = (
        Deal.objects.filter(is_published=True)
        .prefetch_related("parties", "sources")
        .order_by("-signed_on", "title", "pk")
    )
