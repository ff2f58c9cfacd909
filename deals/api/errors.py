"""The one JSON shape of an error, and the answers given before any view runs.

Both the API's exception handling (deals/api/exceptions.py) and the project middleware
(dealtracker/middleware.py) answer in this shape; they import it from here, so that
neither needs the other.
"""

from django.http import HttpResponse, JsonResponse

API_PATH_PREFIX = "/api/"
TOO_LARGE = "The request body is larger than this site accepts."


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


def too_large_response(request):
    """413: JSON in the API's shape under /api/, plain text elsewhere."""
    if is_api(request):
        return JsonResponse(error_body(413, "request_too_large", TOO_LARGE), status=413)
    return HttpResponse(TOO_LARGE, status=413, content_type="text/plain; charset=utf-8")
