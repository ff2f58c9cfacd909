"""The one JSON shape of an error, and the answers given before any view runs.

Both the API's exception handling (deals/api/exceptions.py) and the project middleware
(dealtracker/middleware.py) answer in this shape; they import it from here, so that
neither needs the other.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header

API_PATH_PREFIX = "/api/"
TOO_LARGE = _("The request body is larger than this site accepts.")


def error_body(status_code, code, message, fields=None, **extra):
    """`extra`: what one kind of error adds (a likely duplicate's `candidates`)."""
    return {
        "error": {
            "status": status_code,
            "code": code,
            "message": message,
            "fields": fields or {},
            **extra,
        }
    }


def is_api(request):
    return request.path.startswith(API_PATH_PREFIX)


def api_language(request):
    """The language an API answer is written in: the client's Accept-Language, by its
    preference order, among settings.LANGUAGES ("zh-Hans", "zh-CN", "zh" all give
    "zh-hans"), else English. Only the header counts: no cookie, no session, so an answer
    depends on the request alone (the public cache keys API answers by it)."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def too_large_response(request):
    """413: JSON in the API's shape under /api/, plain text elsewhere."""
    if is_api(request):
        return JsonResponse(error_body(413, "request_too_large", str(TOO_LARGE)), status=413)
    return HttpResponse(str(TOO_LARGE), status=413, content_type="text/plain; charset=utf-8")
