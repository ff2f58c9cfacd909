"""Project middleware: refuse oversized request bodies; the API's language; let anonymous
reads use the replica."""

from django.conf import settings
from django.utils import translation

from deals.api.errors import api_language, is_api, too_large_response
from dealtracker import routers


class RequestSizeLimitMiddleware:
    """Django checks the limit only when a view reads request.body or request.POST, and
    answers 400; DRF's JSON parser reads the stream and never checks it. Going by the
    declared length answers every such request alike, 413, and reads nothing.
    Multipart bodies may carry files (the admin's bulk import), which the limit does not
    cover: Django checks their other fields while parsing (see handler400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and not request.content_type.startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return too_large_response(request)
        return self.get_response(request)


class ReadReplicaMiddleware:
    """Let an anonymous reader's GET read from the replica; every other request, and
    anything outside a request, reads from the primary (see dealtracker/routers.py).
    Without DATABASE_REPLICA_URL there is no router to ask, and this changes nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not routers.may_read_replica(request):
            return self.get_response(request)
        with routers.replica_reads():
            response = self.get_response(request)
        if response.streaming and not response.is_async:
            response.streaming_content = routers.replica_reads_for(response.streaming_content)
        return response


class ApiLanguageMiddleware:
    """The API in the client's language (Accept-Language: zh-Hans gives its error
    messages, and its `display` texts, in Chinese).

    The public pages take their language from their address (i18n_patterns without a
    prefix for English), so LocaleMiddleware, just before this, sets English for every
    unprefixed address, /api/ included. Under /api/ this activates the language of the
    Accept-Language header instead, for the whole request: DRF writes an error's message
    when the error is raised, in the language active then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api(request):
            return self.get_response(request)
        language = api_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response
