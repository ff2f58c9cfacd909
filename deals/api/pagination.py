"""Pages of {"count", "next", "previous", "results"}, as DRF clients expect.

Unlike DRF's own, a `page` or `page_size` that is not a number in range is a 400
naming it, never quietly replaced by the default. A page past the last is a 404,
as in DRF. A page's ids are read first, then its rows (deals/pagination.py).

Beside page numbers, `?cursor=` pages by position (keyset): `?cursor=` with no value
starts at the first row, and `next` and `previous` carry the cursor of the page after
and before. A cursor is the boundary row's place in the list's order, signed (it
cannot be made up or altered) and bound to the list it came from (its filters and
order): any other is a 400 naming `cursor`. Rows added or removed meanwhile neither
repeat nor skip a row, as page numbers would.
"""

import datetime
import decimal
import hashlib

from django.core import signing
from django.core.exceptions import EmptyResultSet
from django.db.models.query import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from deals.caching import RememberedCountPaginator
from deals.pagination import IdsFirstPaginator, keyset_rows, order_keys

MAX_PAGE_SIZE = 100
CURSOR_SALT = "deals.api.pagination.cursor"
BAD_CURSOR = _(
    "Not a cursor of this list: give the cursor of a next or previous link as it came "
    "(with the same filters and ordering), or an empty one for the first page."
)


def _whole_number(raw):
    """A positive whole number written in ASCII digits ("٣" and "+3" are not), or None."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) >= 1:
        return int(raw)
    return None


class PageNumberPagination(pagination.PageNumberPagination):
    # The count of a list is made once per change of the record, not once per page.
    django_paginator_class = IdsFirstPaginator
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    cursor_query_description = (
        "A position in the list, for paging by position rather than number: empty for the "
        "first page, then the cursor of a `next` or `previous` link. Not with `page`."
    )
    max_page_size = MAX_PAGE_SIZE
    page_query_description = 'A page number, from 1, or "last". A page past the last is a 404.'
    page_size_query_description = f"Results per page, from 1 to {MAX_PAGE_SIZE}."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = _whole_number(raw)
        if size is None or size > self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(most)d.") % {"most": MAX_PAGE_SIZE}
                    ]
                }
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = None
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return super().paginate_queryset(queryset, request, view)
        if self.page_query_param in request.query_params:
            raise ValidationError(
                {self.cursor_query_param: [_("Give either a page number or a cursor, not both.")]}
            )
        if not isinstance(queryset, QuerySet):
            raise ValidationError(
                {self.cursor_query_param: [_("This list is paged by number only.")]}
            )
        self.request = request
        self.cursor = KeysetPage(queryset, raw, self.get_page_size(request))
        return self.cursor.rows

    def get_paginated_response(self, data):
        if self.cursor is None:
            return super().get_paginated_response(data)
        url = self.request.build_absolute_uri()
        return Response(
            {
                "count": RememberedCountPaginator(self.cursor.queryset, 1).count,
                "next": self.cursor.link(url, self.cursor_query_param, backwards=False),
                "previous": self.cursor.link(url, self.cursor_query_param, backwards=True),
                "results": data,
            }
        )

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        if _whole_number(raw) is None:
            raise ValidationError(
                {self.page_query_param: ['Give a whole number from 1, or "last".']}
            )
        return raw

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                continue
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
            else:
                parameter["schema"]["maximum"] = 999_999_999
        if self.cursor_query_param:
            parameters.append(
                {
                    "name": self.cursor_query_param,
                    "required": False,
                    "in": "query",
                    "description": self.cursor_query_description,
                    "schema": {"type": "string"},
                }
            )
        return parameters


class PageNumberOnlyPagination(PageNumberPagination):
    """For a list that is not a table's rows (the countries): page numbers only."""

    cursor_query_param = None


class KeysetPage:
    """The rows a cursor points at, and the cursors of the pages beside them.

    A cursor holds the list's fingerprint (the SQL of its filters and order), the
    direction, and the position: the boundary row's value of each key of the order.
    """

    def __init__(self, queryset, raw, size):
        self.queryset = queryset
        self.fingerprint = list_fingerprint(queryset)
        position, backwards = None, False
        if raw:
            position, backwards = self.read(raw)
        self.started, self.backwards = position, backwards
        self.rows, positions, self.beyond = keyset_rows(
            queryset, position, backwards=backwards, size=size
        )
        # With no row here, the pages beside start from where this one would have.
        self.first, self.last = positions if positions else (position, position)

    def read(self, raw):
        try:
            payload = signing.loads(raw, salt=CURSOR_SALT)
            fingerprint, direction, values = payload["l"], payload["d"], payload["p"]
            if fingerprint != self.fingerprint or direction not in ("n", "p"):
                raise ValueError
            if len(values) != len(order_keys(self.queryset)):
                raise ValueError
            return [decoded(value) for value in values], direction == "p"
        except (signing.BadSignature, ValueError, TypeError, KeyError):
            raise ValidationError({"cursor": [BAD_CURSOR]}) from None

    def link(self, url, name, *, backwards):
        """The next (or previous) page's address, or None when there is none."""
        if backwards:
            more = self.beyond if self.backwards else self.started is not None
            position = self.first
        else:
            more = self.started is not None if self.backwards else self.beyond
            position = self.last
        if not more or position is None:
            return None
        payload = {
            "l": self.fingerprint,
            "d": "p" if backwards else "n",
            "p": [encoded(value) for value in position],
        }
        token = signing.dumps(payload, salt=CURSOR_SALT, compress=True)
        return replace_query_param(remove_query_param(url, "page"), name, token)


def list_fingerprint(queryset):
    """What tells lists apart: the SQL of their filters and order (not the page size)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a list that can hold no row
        return "empty"
    return hashlib.blake2b(repr((queryset.db, sql, params)).encode(), digest_size=8).hexdigest()


# A position's values in JSON: dates, times and decimals tagged, so they come back as
# themselves (a date compared as text would order "2017-11-9" after "2017-11-10").
def encoded(value):
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"n": str(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"A cursor cannot hold {type(value).__name__}")


def decoded(value):
    if isinstance(value, dict):
        ((tag, text),) = value.items()
        if tag == "t":
            return datetime.datetime.fromisoformat(text)
        if tag == "d":
            return datetime.date.fromisoformat(text)
        if tag == "n":
            return decimal.Decimal(text)
        raise ValueError(tag)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(value)
