"""Serve anonymous readers from the page cache before sessions or auth run."""

import logging
import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import http_date

from . import pagecache

logger = logging.getLogger(__name__)

# Cookies that make a page personal: a session (logged-in staff) or flash
# messages. Requests carrying them are never served or stored from a cache.
PRIVATE_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# HEAD reads like GET (and nginx asks the app with GET for both).
READ_METHODS = ("GET", "HEAD")
ENDING_STATUSES = (301, 302, 307, 308, 404, 410)
QUERY_PATTERNS = {
    name: re.compile(pattern)
    for name, pattern in settings.PAGE_CACHE_QUERY_PARAMETERS.items()
}
NOT_STORED_DIRECTIVES = ("private", "no-store", "no-cache")


class PageCacheMiddleware:
    """A page cache for anonymous GET requests to reader pages.

    It sits near the top of the chain so that a hit costs one cache round
    trip and no session, auth, locale or URL work. Logged-in staff always get
    a freshly rendered page that no cache or proxy may keep.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not pagecache.page_seconds() or not _reader_page(request):
            return self.get_response(request)
        if any(name in request.COOKIES for name in PRIVATE_COOKIES):
            response = self.get_response(request)
            add_never_cache_headers(response)
            return response
        if request.method not in READ_METHODS or not _cacheable_query(request):
            return self.get_response(request)
        try:
            generation, entry, stale = pagecache.lookup(request)
            if entry is not None:
                return _from_entry(request, entry, generation)
            if stale is not None and not pagecache.claim_refresh(request):
                # Another request is rendering this page for the new content.
                return _from_entry(request, stale, generation, state="stale")
        except Exception:  # cache down: render as if there were no cache
            logger.warning("page cache: lookup failed", exc_info=True)
            return self.get_response(request)
        keep_stale = False
        try:
            response = self.get_response(request)
            if stale is not None and response.status_code >= 500:
                # The page cannot be made now (the database is down, say):
                # the last good copy serves readers better than an error.
                keep_stale = True
                return _from_entry(request, stale, generation, state="stale")
            if not _storable(response):
                if _ends_a_page(response):
                    _mark_shared(response, pagecache.shared_seconds_now(generation))
                return response
            try:
                stored = pagecache.store(request, response, generation)
            except Exception:
                logger.warning("page cache: store failed", exc_info=True)
                return response
            if stored is None:  # this path holds its share of query strings
                return response
            etag, last_modified, shared = stored
            keep_stale = True  # replaced by the new page just stored
        finally:
            if stale is not None:
                _end_refresh(request, keep_stale)
        _mark(response, etag, last_modified, shared, "miss")
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )


def _reader_page(request):
    return not request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PATHS)


def _cacheable_query(request):
    """Only known parameters, each once with a valid value, so random query
    strings cannot flood the cache."""
    if not request.GET:
        return True
    if len(request.META.get("QUERY_STRING", "")) > 256:
        return False
    for name, values in request.GET.lists():
        pattern = QUERY_PATTERNS.get(name)
        if pattern is None or len(values) != 1 or not pattern.fullmatch(values[0]):
            return False
    return True


def _ends_a_page(response):
    """A 404, 410 or redirect that no cache in front may keep ignoring.

    nginx or a CDN holding the page it replaces would otherwise go on serving
    that copy: an uncacheable answer never overwrites a stored one.
    """
    return (
        response.status_code in ENDING_STATUSES
        and not response.cookies
        and "Cache-Control" not in response
    )


def _mark_shared(response, shared):
    patch_cache_control(response, public=True, max_age=0, s_maxage=shared)


def _storable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in NOT_STORED_DIRECTIVES)


def _mark(response, etag, last_modified, shared, state):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["X-Page-Cache"] = state
    _mark_shared(response, shared)


def _end_refresh(request, keep_page):
    try:
        pagecache.end_refresh(request, keep_page)
    except Exception:  # the claim expires by itself
        logger.warning("page cache: could not end a refresh", exc_info=True)


def _from_entry(request, entry, generation, state="hit"):
    _, status, headers, content, etag, last_modified, _ = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    # A stale page is for this reader only, not for a proxy to keep.
    shared = 0 if state == "stale" else pagecache.shared_seconds(entry, generation)
    _mark(response, etag, last_modified, shared, state)
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
