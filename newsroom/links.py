"""Links that every page prints, without a reverse() for each one.

A list page prints dozens of links to pages addressed by a slug, and every
page links its header to the home, search and issue pages; reverse() matches
the URL patterns and checks the converters each time (12 µs). The URL of a
slug page is the same text on either side of the slug, so that text is
reversed once per view name, URLconf and script prefix, and the slug quoted
into it the way reverse() quotes it.

Which URLconf and script prefix apply is read once per request
(LinksMiddleware): Django keeps both in asgiref locals, and reading them
cost 4.7 µs a link, more than the rest of building it.
"""

from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

# Fits the slug and the str converters alike.
_SLOT = "0-slug-slot-0"
# What reverse() leaves unquoted, less "/": a slug is one path segment.
_SAFE = RFC3986_SUBDELIMS + "~:@"


def page_url(viewname):
    """reverse(viewname) for a page that takes no arguments."""
    return _reversed(viewname, *_resolving())


def slug_url(viewname, slug):
    """reverse(viewname, kwargs={"slug": slug}) for a valid slug."""
    before, after = _around_slot(viewname, *_resolving())
    return before + quote(str(slug), safe=_SAFE) + after


def _resolving():
    """What reverse() reads besides the view: the URLconf and the script
    prefix (the site's path under its host). Both key the caches below."""
    return _this_request.get() or _read_resolving()


def _read_resolving():
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


# _read_resolving() for the request being answered (None outside requests).
_this_request = ContextVar("links_resolving", default=None)


class LinksMiddleware:
    """Reads the URLconf and script prefix once for the links of a request.

    Django sets both before any middleware runs and keeps them for the
    request (no middleware of ours sets request.urlconf).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _this_request.set(_read_resolving())
        try:
            return self.get_response(request)
        finally:
            _this_request.reset(token)


@lru_cache(maxsize=64)
def _reversed(viewname, urlconf, prefix):
    return reverse(viewname, urlconf=urlconf)


@lru_cache(maxsize=64)
def _around_slot(viewname, urlconf, prefix):
    """The URL's text before and after the slug."""
    url = reverse(viewname, urlconf=urlconf, kwargs={"slug": _SLOT})
    before, after = url.split(_SLOT)
    return before, after
