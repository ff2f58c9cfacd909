"""The API's read path for deals: values-level queries into plain dicts.

A list of 50 deals read through `DealSerializer` builds 50 model instances and their
related instances, then walks some 40 serializer fields per deal, each with its own
`get_attribute`, `to_representation` and checks: most of the time of a request. Here a
page's deals and what they show are read with `values()` (no model instances), and each
deal's representation is put together as a dict directly, in the same key order and
with the same formatting as `DealSerializer` (tests/test_api_reads.py compares the
bytes of both over every filter). `DealSerializer` stays what writes, validation and
the schema use, and what the answer to a write is made with.

`deals.api.renderers.JSONRenderer` then writes the dicts with orjson.
"""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from rest_framework.fields import DecimalField

from deals.models import Deal, DealParty, DealSource, StatusUpdate
from deals.presentation import format_term, format_value

# The amount fields as DealValueSerializer builds them (AmountField is a DecimalField
# for reading): "2000000000.00", whatever the database gives back.
AMOUNT = DecimalField(max_digits=20, decimal_places=2)
USD_AMOUNT = DecimalField(
    max_digits=Deal._meta.get_field("value_amount_usd").max_digits,
    decimal_places=Deal._meta.get_field("value_amount_usd").decimal_places,
)

LINK_FIELDS = ("id", "slug", "title", "is_published")
# An umbrella's and an earlier deal's link, read in the deals' own query.
LINKED = {
    name: tuple(f"{name}__{field}" for field in LINK_FIELDS) for name in ("umbrella", "follows")
}
DEAL_FIELDS = (
    "id",
    "slug",
    "title",
    "summary",
    "description",
    "sector_id",
    "sector__slug",
    "sector__name",
    "sector__code",
    "ceremony_id",
    "ceremony__slug",
    "ceremony__name",
    "ceremony__date",
    "signed_on",
    "ceremony_signing",
    "instrument",
    "status",
    "value_amount",
    "value_currency",
    "value_qualifier",
    "value_basis",
    "value_stated_by",
    "value_amount_usd",
    "term_months",
    "term_start_date",
    "term_end_date",
    *LINKED["umbrella"],
    *LINKED["follows"],
    "is_published",
    "published_at",
    "created_at",
    "updated_at",
)
SOURCE_FIELDS = ("id", "url", "publisher", "title", "published_on")


def as_date(value):
    return value.isoformat() if value else None


def as_datetime(value):
    """As DRF's DateTimeField writes it: in the current time zone, UTC as "Z"."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def as_amount(field, value):
    return None if value is None else field.to_representation(value)


class UrlTemplate:
    """An absolute URL with one part that changes per row, reversed once per request
    rather than once per row."""

    MARK = "0000000000000000000"  # a path part no real id or slug is

    def __init__(self, request, viewname, kwarg):
        url = request.build_absolute_uri(reverse(viewname, kwargs={kwarg: self.MARK}))
        self.start, self.end = url.split(self.MARK, 1)

    def __call__(self, value):
        return f"{self.start}{value}{self.end}"


class DealReader:
    """The representations of the deals with these ids, as DealSerializer gives them,
    for a request: 6 queries for any number of deals."""

    def __init__(self, request):
        self.request = request
        self.user = request.user
        self.can_see_drafts = Deal.can_see_drafts(request.user)
        self.api_url = UrlTemplate(request, "api:deal-detail", "pk")
        self.page_url = UrlTemplate(request, "deals:detail", "slug")

    def read(self, ids):
        """The deals' dicts, in the order of `ids` (ids of deals no longer there are
        left out)."""
        if not ids:
            return []
        rows = {row["id"]: row for row in Deal.objects.filter(pk__in=ids).values(*DEAL_FIELDS)}
        parties = self._grouped(
            DealParty.objects.filter(deal_id__in=ids)
            .order_by("order", "id")
            .values(
                "deal_id",
                "role",
                "signatory_name",
                "signatory_title",
                "party_id",
                "party__slug",
                "party__name",
                "party__country",
            ),
            self._party,
        )
        updates = self._grouped(
            StatusUpdate.objects.filter(deal_id__in=ids)
            .order_by("date", "id")
            .values(
                "deal_id",
                "date",
                "status",
                "note",
                "quote",
                "source_id",
                *(f"source__{name}" for name in SOURCE_FIELDS if name != "id"),
            ),
            self._status_update,
        )
        citations = self._grouped(
            DealSource.objects.filter(deal_id__in=ids)
            .order_by("pk")
            .values(
                "deal_id",
                "quote",
                "source_id",
                *(f"source__{name}" for name in SOURCE_FIELDS if name != "id"),
            ),
            self._citation,
        )
        visible = Deal.objects.visible_to(self.user)
        components = self._grouped(
            visible.filter(umbrella_id__in=ids)
            .order_by("title", "pk")
            .values("umbrella_id", *LINK_FIELDS),
            self._link,
            key="umbrella_id",
        )
        follow_ons = self._grouped(
            visible.filter(follows_id__in=ids)
            .order_by(F("signed_on").asc(nulls_last=True), F("title").asc(nulls_last=True), "pk")
            .values("follows_id", *LINK_FIELDS),
            self._link,
            key="follows_id",
        )
        return [
            self._deal(
                rows[pk],
                parties=parties.get(pk, []),
                updates=updates.get(pk, []),
                citations=citations.get(pk, []),
                components=components.get(pk, []),
                follow_ons=follow_ons.get(pk, []),
            )
            for pk in ids
            if pk in rows
        ]

    @staticmethod
    def _grouped(rows, make, key="deal_id"):
        grouped = {}
        for row in rows:
            grouped.setdefault(row[key], []).append(make(row))
        return grouped

    # --- one deal, key for key as DealSerializer.Meta.fields ----------------------------

    def _deal(self, row, *, parties, updates, citations, components, follow_ons):
        instrument = row["instrument"]
        ceremony = None
        if row["ceremony_id"] is not None:
            ceremony = {
                "id": row["ceremony_id"],
                "slug": row["ceremony__slug"],
                "name": row["ceremony__name"],
                "date": as_date(row["ceremony__date"]),
            }
        return {
            "id": row["id"],
            "slug": row["slug"],
            "url": self.api_url(row["id"]),
            "page_url": self.page_url(row["slug"]),
            "title": row["title"],
            "summary": row["summary"],
            "description": row["description"],
            "parties": parties,
            "sector": {
                "id": row["sector_id"],
                "slug": row["sector__slug"],
                "name": row["sector__name"],
                "code": row["sector__code"],
            },
            "ceremony": ceremony,
            "signed_on": as_date(row["signed_on"]),
            "ceremony_signing": row["ceremony_signing"],
            "instrument": instrument,
            "is_binding": Deal.binding_of(instrument),
            "status": row["status"],
            "status_updates": updates,
            "value": {
                "amount": as_amount(AMOUNT, row["value_amount"]),
                "currency": row["value_currency"],
                "qualifier": row["value_qualifier"],
                "basis": row["value_basis"],
                "stated_by": row["value_stated_by"],
                "amount_usd": as_amount(USD_AMOUNT, row["value_amount_usd"]),
                "display": format_value(
                    row["value_amount"],
                    row["value_currency"],
                    row["value_qualifier"],
                    row["value_basis"],
                    row["value_amount_usd"],
                ),
            },
            "term": {
                "months": row["term_months"],
                "start_date": as_date(row["term_start_date"]),
                "end_date": as_date(row["term_end_date"]),
                "display": format_term(
                    row["term_months"], row["term_start_date"], row["term_end_date"]
                ),
            },
            "sources": citations,
            "umbrella": self._linked(row, "umbrella"),
            "follows": self._linked(row, "follows"),
            "components": components,
            "follow_ons": follow_ons,
            "is_published": row["is_published"],
            "published_at": as_datetime(row["published_at"]),
            "created_at": as_datetime(row["created_at"]),
            "updated_at": as_datetime(row["updated_at"]),
        }

    def _linked(self, row, name):
        """An umbrella or an earlier deal: null when it is a draft the reader may not see."""
        link = {field: row[column] for field, column in zip(LINK_FIELDS, LINKED[name], strict=True)}
        if link["id"] is None or (not link["is_published"] and not self.can_see_drafts):
            return None
        return self._link(link)

    def _link(self, row):
        return {
            "id": row["id"],
            "slug": row["slug"],
            "title": row["title"],
            "url": self.api_url(row["id"]),
        }

    @staticmethod
    def _party(row):
        return {
            "party": {
                "id": row["party_id"],
                "slug": row["party__slug"],
                "name": row["party__name"],
                "country": row["party__country"] or "",
            },
            "role": row["role"],
            "signatory_name": row["signatory_name"],
            "signatory_title": row["signatory_title"],
        }

    @staticmethod
    def _source(row):
        return {
            "id": row["source_id"],
            "url": row["source__url"],
            "publisher": row["source__publisher"],
            "title": row["source__title"],
            "published_on": as_date(row["source__published_on"]),
        }

    def _status_update(self, row):
        return {
            "date": as_date(row["date"]),
            "status": row["status"],
            "note": row["note"],
            "quote": row["quote"],
            "source": self._source(row) if row["source_id"] is not None else None,
        }

    def _citation(self, row):
        return {**self._source(row), "quote": row["quote"]}
