"""The public read cache: whole answers to anonymous readers, and costly figures.

Everything is kept in the default cache (Redis when CACHE_URL is set, so every app
server shares it) under keys that carry one *generation* token. Any committed change
to the record replaces the token, so every cached page and figure is out of use at
once, on every server; old entries simply expire. Nothing has to know which pages a
change touches, so no change can be missed by a list of pages to clear.

The token is replaced when the change is made and again when its transaction
commits: the first makes the change visible to the same process at once (and to
tests, whose transactions never commit); the second covers a reader who, between the
two, read the old rows and cached them under the new token.

Anonymous means a request with neither a session cookie nor an Authorization
header: staff (who may see drafts) always get a fresh answer, and a cached answer,
made for an anonymous reader, can never hold a draft.

PUBLIC_CACHE_SECONDS (0: off) is how long an entry may live; it bounds the memory
used, not freshness, which the generation guarantees. Without CACHE_URL each process
has its own memory cache and an edit would replace only its own process's token, so
the cache is on by default only with CACHE_URL (see dealtracker/settings.py).
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.functional import cached_property
from rest_framework.request import Request
from rest_framework.settings import api_settings

from deals.api.errors import api_language
from deals.transactions import on_commit_once

GENERATION_KEY = "dealtracker:generation"
# The answers worth keeping: the public pages, feeds, sitemap and the API's reads.
CACHED_NAMESPACES = {"deals", "api"}
CACHED_URL_NAMES = {"sitemap", "sitemap-section", "robots", "api-schema"}
API_PREFIX = "/api/"
HIT_HEADER = "X-Public-Cache"


def enabled():
    return settings.PUBLIC_CACHE_SECONDS > 0


def _new_token():
    return secrets.token_hex(8)


def generation():
    """The current generation token, made when there is none (first use, or evicted).

    A fresh random token, never a counter: a token lost from the cache and made again
    can never equal one that older entries were stored under.
    """
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, _new_token(), None)
        token = cache.get(GENERATION_KEY)
    return token


def record_changed(**kwargs):
    """Put every cached page and figure out of use: now, and again on commit.

    A signal receiver (see deals/apps.py) for every model of the record, and called
    directly by the writes that bypass signals (bulk updates, COPY of rates).
    """
    _replace_generation()
    on_commit_once("generation", _replace_generation)


def _replace_generation():
    cache.set(GENERATION_KEY, _new_token(), None)


def _digest(*parts):
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def remembered(name, queryset, compute):
    """`compute()`, kept until the record changes; `queryset` tells apart what it was
    computed over (its SQL and parameters), the active language what it was written in.
    Computed each time when the cache is off."""
    if not enabled():
        return compute()
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # none(), or a search without a word: nothing to count
        return compute()
    # Per language: some figures hold words (a chart's labels, an outcome's name).
    language = translation.get_language()
    key = f"figures:{generation()}:{name}:{language}:{_digest(queryset.db, sql, params)}"
    return cache.get_or_set(key, compute, settings.PUBLIC_CACHE_SECONDS)


class RememberedCountPaginator(Paginator):
    """A Paginator whose row count, a COUNT(*) over up to the whole record, is
    counted once per generation rather than once per page shown."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return super().count
        return remembered("count", queryset, lambda: Paginator.count.func(self))


def is_anonymous(request):
    """Neither a session cookie nor an Authorization header: told without a query (so a
    signed-out visitor with a stale cookie counts as signed in, which costs only speed).
    The read replica's router asks the same (dealtracker/routers.py)."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def response_key(request, token):
    # A page's language is in its address (/zh-hans/…); an API answer's is the one its
    # Accept-Language header asks for (dealtracker.middleware.ApiLanguageMiddleware).
    if request.path.startswith(API_PREFIX):
        accept = (request.headers.get("Accept", ""), api_language(request))
    else:
        accept = ""
    # Scheme and host: pages hold absolute addresses (canonical links, API's "next").
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"page:{token}:{_digest(address, accept)}"


def is_public_read(request):
    """An anonymous GET (or HEAD) of an address whose answers are kept."""
    if not (enabled() and request.method in ("GET", "HEAD") and is_anonymous(request)):
        return False
    # Before LocaleMiddleware: the language prefix of i18n_patterns is matched against
    # the active language, so resolve in the address's own language (English unprefixed).
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.namespace in CACHED_NAMESPACES or match.url_name in CACHED_URL_NAMES


def is_storable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def within_api_rate(request):
    """The API's throttles, counted for an answer from the cache as for any other, so a
    cached answer is no way around them. False sends the request on to the view,
    which answers 429 as usual."""
    drf_request = Request(request)
    return all(
        throttle().allow_request(drf_request, None)
        for throttle in api_settings.DEFAULT_THROTTLE_CLASSES
    )


class PublicCacheMiddleware:
    """Answer anonymous GETs of public pages and API reads from the cache.

    Placed before the session middleware, so an answer from the cache costs two cache
    reads and no database query (other addresses: a URL lookup, no cache read). It
    keeps the headers the inner middleware set when it was made (Content-Security-Policy,
    X-Frame-Options), and If-None-Match is answered 304 from its ETag as the view
    itself would.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_read(request):
            return self.get_response(request)
        key = response_key(request, generation())
        response = cache.get(key)
        if response is not None and (
            not request.path.startswith(API_PREFIX) or within_api_rate(request)
        ):
            response[HIT_HEADER] = "hit"
            return get_conditional_response(request, etag=response.get("ETag"), response=response)
        response = self.get_response(request)
        if is_storable(request, response):
            cache.set(key, as_stored(response), settings.PUBLIC_CACHE_SECONDS)
            response[HIT_HEADER] = "miss"
        return response


def as_stored(response):
    """The answer as sent, bytes and headers only: a DRF Response would also carry its
    data (113 KB pickled for a list of 20 deals, milliseconds to read back)."""
    stored = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        stored[header] = value
    return stored
