"""The API's read path for the other records: ceremonies, occasions, venues, parties
and sectors, as deals.api.reads does it for deals.

Each reader takes the ids of a page (or of one record) and gives the records'
representations as plain dicts, key for key and byte for byte what the record's
serializer in deals.api.serializers gives (tests/test_api_record_reads.py compares the
two over every list filter and every detail): one values() query for the records, one
more for what a record holds a list of (a party's identifiers), and the ceremonies'
itemised totals from the kept sums. The serializers stay what writes, validation and
the schema use.
"""

from deals.api.fields import LinesField
from deals.api.reads import AMOUNT, UrlTemplate, as_amount, as_date, as_datetime
from deals.api.totals import ItemisedTotalsSerializer
from deals.models import Ceremony, Occasion, Party, PartyIdentifier, Sector, Venue

# The small objects a record links to, as the ref serializers write them (their fields
# after the id): a party's parent, a sector's section, a ceremony's venue and occasion.
PARTY_REF = ("slug", "name", "country")
SECTOR_REF = ("slug", "name", "code")
VENUE_REF = ("slug", "name", "city", "country")
OCCASION_REF = ("slug", "name")
# As LinesField writes a text of one item per line (a party's aliases).
ALIASES = LinesField()


def ref_columns(name, fields):
    """The values() columns of the record linked as `name`."""
    return (f"{name}_id", *(f"{name}__{field}" for field in fields))


def linked(row, name, fields):
    """The record linked as `name`, from its ref_columns(): None without a link; a
    country as its code, "" for none."""
    if row[f"{name}_id"] is None:
        return None
    ref = {"id": row[f"{name}_id"]}
    for field in fields:
        value = row[f"{name}__{field}"]
        ref[field] = value or "" if field == "country" else value
    return ref


class RecordReader:
    """The representations of the records with these ids, in their order (ids of
    records no longer there are left out)."""

    model = None
    basename = None  # the API's name for the resource ("occasion": api:occasion-detail)
    columns = ()  # what represent() reads of each row, besides id and slug

    def __init__(self, request):
        self.request = request
        self.api_url = UrlTemplate(request, f"api:{self.basename}-detail", "pk")
        self.page_url = UrlTemplate(request, f"deals:{self.basename}", "slug")

    def read(self, ids):
        if not ids:
            return []
        found = self.model.objects.filter(pk__in=ids).values("id", "slug", *self.columns)
        rows = {row["id"]: row for row in found}
        ids = [pk for pk in ids if pk in rows]
        self.prepare(ids)
        return [self.represent(rows[pk]) for pk in ids]

    def prepare(self, ids):
        """Fetch what the page's records hold beyond their own row (a hook)."""

    def head(self, row):
        """id, slug, url and page_url first, as on every resource."""
        return {
            "id": row["id"],
            "slug": row["slug"],
            "url": self.api_url(row["id"]),
            "page_url": self.page_url(row["slug"]),
        }

    def represent(self, row):
        raise NotImplementedError


class OccasionReader(RecordReader):
    model = Occasion
    basename = "occasion"
    columns = (
        "name",
        "start_date",
        "end_date",
        "host_country",
        "description",
        "created_at",
        "updated_at",
    )

    def represent(self, row):
        return {
            **self.head(row),
            "name": row["name"],
            "start_date": as_date(row["start_date"]),
            "end_date": as_date(row["end_date"]),
            "host_country": row["host_country"] or "",
            "description": row["description"],
            "created_at": as_datetime(row["created_at"]),
            "updated_at": as_datetime(row["updated_at"]),
        }


class VenueReader(RecordReader):
    model = Venue
    basename = "venue"
    columns = ("name", "city", "country", "created_at", "updated_at")

    def represent(self, row):
        return {
            **self.head(row),
            "name": row["name"],
            "city": row["city"],
            "country": row["country"] or "",
            "created_at": as_datetime(row["created_at"]),
            "updated_at": as_datetime(row["updated_at"]),
        }


class PartyReader(RecordReader):
    model = Party
    basename = "party"
    columns = (
        "name",
        "native_name",
        "aliases",
        "country",
        "kind",
        *ref_columns("parent", PARTY_REF),
        "website",
        "created_at",
        "updated_at",
    )

    def prepare(self, ids):
        self.identifiers = {}
        held = (
            PartyIdentifier.objects.filter(party_id__in=ids)
            .order_by(*PartyIdentifier._meta.ordering, "pk")
            .values_list("party_id", "scheme", "value")
        )
        for party_id, scheme, value in held:
            self.identifiers.setdefault(party_id, []).append(
                {"scheme": scheme, "value": value, "url": PartyIdentifier.url_of(scheme, value)}
            )

    def represent(self, row):
        return {
            **self.head(row),
            "name": row["name"],
            "native_name": row["native_name"],
            "aliases": ALIASES.to_representation(row["aliases"]),
            "country": row["country"] or "",
            "kind": row["kind"],
            "parent": linked(row, "parent", PARTY_REF),
            "website": row["website"],
            "identifiers": self.identifiers.get(row["id"], []),
            "created_at": as_datetime(row["created_at"]),
            "updated_at": as_datetime(row["updated_at"]),
        }


class SectorReader(RecordReader):
    model = Sector
    basename = "sector"
    columns = ("name", "code", *ref_columns("parent", SECTOR_REF))

    def represent(self, row):
        return {
            **self.head(row),
            "name": row["name"],
            "code": row["code"],
            "parent": linked(row, "parent", SECTOR_REF),
            "is_section": row["parent_id"] is None,  # Sector.is_section
        }


class CeremonyReader(RecordReader):
    model = Ceremony
    basename = "ceremony"
    columns = (
        "name",
        "date",
        *ref_columns("venue", VENUE_REF),
        *ref_columns("occasion", OCCASION_REF),
        "description",
        "announced_value_amount",
        "announced_value_currency",
        "announced_value_qualifier",
        "announced_deal_count",
        "created_at",
        "updated_at",
    )

    def prepare(self, ids):
        self.totals = Ceremony.itemised_totals_of(ids)
        # One serializer for the page's totals, as CeremonySerializer writes each.
        itemised = ItemisedTotalsSerializer([self.totals[pk] for pk in ids], many=True).data
        self.itemised = dict(zip(ids, itemised, strict=True))

    def represent(self, row):
        # The headline alone, as an unsaved ceremony: its display and reconciliation
        # written by the model's own code.
        headline = Ceremony(
            announced_value_amount=row["announced_value_amount"],
            announced_value_currency=row["announced_value_currency"],
            announced_value_qualifier=row["announced_value_qualifier"],
            announced_deal_count=row["announced_deal_count"],
        )
        return {
            **self.head(row),
            "name": row["name"],
            "date": as_date(row["date"]),
            "venue": linked(row, "venue", VENUE_REF),
            "occasion": linked(row, "occasion", OCCASION_REF),
            "description": row["description"],
            "announced_value": {
                "amount": as_amount(AMOUNT, headline.announced_value_amount),
                "currency": headline.announced_value_currency,
                "qualifier": headline.announced_value_qualifier,
                "display": headline.announced_value_display,
            },
            "announced_deal_count": headline.announced_deal_count,
            "itemised": self.itemised[row["id"]],
            "reconciliation": headline.reconciliation_with(self.totals[row["id"]]).display,
            "created_at": as_datetime(row["created_at"]),
            "updated_at": as_datetime(row["updated_at"]),
        }
