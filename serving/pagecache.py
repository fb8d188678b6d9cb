"""The anonymous page cache: one content generation, bumped on every change.

Every cached page is stored with the generation it was rendered under. Any
save or delete of content (articles, bylines, photos, sections, counties,
tags) writes a new generation, so all pages rendered before it stop matching
at once, on every app server that shares the cache. The generation also
carries the time of the next scheduled publication; when that time comes the
generation rolls over by itself, so a scheduled article shows up with no
command or worker in between.
"""

import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
PAGE_KEY_PREFIX = "pagecache:page:"


def page_seconds():
    """How long the app keeps a page at most; 0 turns the page cache off."""
    return settings.PAGE_CACHE_SECONDS


def next_scheduled_publication():
    """Unix time of the next scheduled publication, or None."""
    from articles.models import Article

    publish_at = (
        Article.objects.filter(
            status=Article.Status.PUBLISHED, publish_at__gt=timezone.now()
        )
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    return publish_at.timestamp() if publish_at else None


def new_generation():
    """Write and return a fresh generation: (token, next scheduled time)."""
    generation = (uuid.uuid4().hex[:12], next_scheduled_publication())
    cache.set(GENERATION_KEY, generation, None)
    return generation


def bump():
    """Invalidate every cached page, now and again once the change commits.

    The immediate bump makes the change visible inside the transaction that
    made it; the one on commit closes the window in which another request
    could render the old rows and store them under the new generation.
    """
    try:
        new_generation()
    except Exception:  # a cache outage must not block an editor's save
        logger.warning("page cache: could not bump the generation", exc_info=True)
    transaction.on_commit(_bump_quietly)


def _bump_quietly():
    try:
        new_generation()
    except Exception:
        logger.warning("page cache: could not bump the generation", exc_info=True)


def page_key(request):
    return f"{PAGE_KEY_PREFIX}{request.get_host()}{request.get_full_path()}"


def lookup(request):
    """Return (generation, entry or None) for the request, in one round trip."""
    key = page_key(request)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    now = time.time()
    if generation is None or (generation[1] is not None and generation[1] <= now):
        # First request after a flush, or a scheduled article is now due.
        return new_generation(), None
    entry = found.get(key)
    if entry is None or entry[0] != generation[0]:
        return generation, None
    return generation, entry


def store(request, response, generation):
    """Keep a rendered page; return (etag, last_modified, shared seconds)."""
    token, next_at = generation
    now = time.time()
    seconds = page_seconds()
    if next_at is not None:
        seconds = max(1, min(seconds, int(next_at - now)))
    content = response.content
    etag = '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'
    last_modified = int(now)
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in {"set-cookie", "date"}
    ]
    entry = (token, response.status_code, headers, content, etag, last_modified, now)
    cache.set(page_key(request), entry, seconds)
    return etag, last_modified, min(seconds, settings.PAGE_CACHE_SHARED_SECONDS)


def shared_seconds(entry, generation):
    """Seconds a proxy may still keep a page served from the cache."""
    _, _, _, _, _, _, stored_at = entry
    now = time.time()
    seconds = settings.PAGE_CACHE_SHARED_SECONDS
    seconds = min(seconds, int(stored_at + page_seconds() - now))
    if generation[1] is not None:
        seconds = min(seconds, int(generation[1] - now))
    return max(0, seconds)
