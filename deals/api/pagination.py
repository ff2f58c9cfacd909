"""Pages of {"count", "next", "previous", "results"}, as DRF clients expect.

Unlike DRF's own, a `page` or `page_size` that is not a number in range is a 400
naming it, never quietly replaced by the default. A page past the last is a 404,
as in DRF.
"""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from deals.caching import RememberedCountPaginator

MAX_PAGE_SIZE = 100


def _whole_number(raw):
    """A positive whole number written in ASCII digits ("٣" and "+3" are not), or None."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) >= 1:
        return int(raw)
    return None


class PageNumberPagination(pagination.PageNumberPagination):
    # The count of a list is made once per change of the record, not once per page.
    django_paginator_class = RememberedCountPaginator
    page_size_query_param = "page_size"
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
                {self.page_size_query_param: [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return size

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
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
            else:
                parameter["schema"]["maximum"] = 999_999_999
        return parameters
