"""Every API error in one JSON shape (deals/api/errors.py), documented in the schema
(see deals/api/schema.py):

    {"error": {"status": 400, "code": "invalid", "message": "…",
               "fields": {"value.amount": ["…"], "parties[1].party": ["…"]}}}

`fields` names each offending field or query parameter by its path in the request
(dots into objects, [n] into lists); it is empty when the error concerns no field.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from deals.api.duplicates import LikelyDuplicate
from deals.api.errors import error_body, is_api, too_large_response

logger = logging.getLogger(__name__)

NON_FIELD_ERRORS = "non_field_errors"
# Messages are written in the language of the request (Accept-Language under /api/,
# dealtracker.middleware.ApiLanguageMiddleware): lazy, so read when an error is answered.
SERVER_ERROR = _("Something went wrong on our side.")


class UnknownParameter(exceptions.ValidationError):
    default_code = "unknown_parameter"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Other records still use this one, so it cannot be deleted.")
    default_code = "protected"


class WriteConflict(exceptions.APIException):
    """A rule only the database could check, broken by a concurrent write (a slug taken
    between validation and saving): the client may retry, so 409, not 500."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Another write got there first (e.g. the same slug); read and try again.")
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The record has changed since you read it (If-Match no longer matches its ETag): "
        "read it again, then apply your change."
    )
    default_code = "precondition_failed"


def handle_exception(exc, context):
    """DRF's EXCEPTION_HANDLER: DRF's own handling (headers, rollback), our body."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = Conflict()
    elif isinstance(exc, IntegrityError):
        logger.warning("Write refused by the database: %s", exc)
        exc = WriteConflict()
    response = exception_handler(exc, context)
    if response is None:
        # Answer in the documented shape rather than with Django's HTML page; the
        # traceback goes to the log, where the people who can fix it look.
        logger.exception("Unhandled error in %s", context.get("view"), exc_info=exc)
        return Response(
            error_body(500, "server_error", str(SERVER_ERROR)),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, LikelyDuplicate):
        code, message, _ = describe(exc)
        response.data = error_body(
            response.status_code, code, message, exc.fields, candidates=exc.candidates
        )
        return response
    response.data = error_body(response.status_code, *describe(exc))
    return response


def describe(exc):
    """(code, message, fields) of an APIException."""
    detail = exc.detail
    code = exc.default_code
    if isinstance(detail, dict | list):
        fields = dict(flatten(detail))
        if list(fields) == [NON_FIELD_ERRORS]:
            return code, " ".join(fields[NON_FIELD_ERRORS]), {}
        if isinstance(exc, exceptions.ValidationError) and len(fields) == 1:
            [(path, messages)] = fields.items()
            message = f"{path}: {messages[0]}"
        elif isinstance(exc, exceptions.ValidationError):
            message = _("Check these fields: %(fields)s.") % {"fields": ", ".join(fields)}
        else:
            message = " ".join(message for messages in fields.values() for message in messages)
        return code, message, fields
    return getattr(detail, "code", None) or code, str(detail), {}


def flatten(detail, path=""):
    """Yield (path, [messages]) from DRF's nested errors: {"value": {"amount": [...]}}
    gives "value.amount", [{}, {"party": [...]}] under "parties" gives "parties[1].party"."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):  # DRF's ListField reports {index: errors}
                yield from flatten(value, f"{path}[{key}]")
            else:
                yield from flatten(value, f"{path}.{key}" if path else str(key))
    elif isinstance(detail, list) and all(isinstance(item, str) for item in detail):
        if detail:
            yield path or NON_FIELD_ERRORS, [str(item) for item in detail]
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            yield from flatten(item, f"{path}[{index}]")
    else:
        yield path or NON_FIELD_ERRORS, [str(detail)]


def page_not_found(request, exception):
    """handler404: JSON under /api/ (an unknown address there too), the site's page elsewhere."""
    if is_api(request):
        return JsonResponse(error_body(404, "not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """handler400: a body over DATA_UPLOAD_MAX_MEMORY_SIZE found while parsing a form is
    413 (see dealtracker.middleware); JSON under /api/, the site's page elsewhere."""
    if isinstance(exception, RequestDataTooBig):
        return too_large_response(request)
    if is_api(request):
        return JsonResponse(error_body(400, "bad_request", _("Bad request.")), status=400)
    return defaults.bad_request(request, exception)


def server_error(request):
    """handler500: JSON under /api/, the site's page elsewhere."""
    if is_api(request):
        body = error_body(500, "server_error", str(SERVER_ERROR))
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
