"""The anonymous page cache: one content generation, bumped on every change.

Every cached page is stored with the generation it was rendered under. Any
save or delete of content (articles, bylines, photos, sections, counties,
tags) writes a new generation, so all pages rendered before it stop matching
at once, on every app server that shares the cache. The generation also
carries the time of the next scheduled publication; when that time comes the
generation rolls over by itself, so a scheduled article shows up with no
command or worker in between.

A page of an older generation is not thrown away at once: while one request
renders the new page (it holds a short refresh claim in the shared cache),
concurrent readers of the same URL get the old one, marked stale and not for
proxies to keep. So an editor's save during a burst costs one render per
page, not one per waiting reader.
"""

import contextlib
import contextvars
import hashlib
import logging
import time
import uuid
from collections import OrderedDict

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
PAGE_KEY_PREFIX = "pagecache:page:"
COUNT_KEY_PREFIX = "pagecache:count:"
REFRESH_SUFFIX = ":refresh"
# A claim outlives any sane render; if its holder dies it just expires.
REFRESH_CLAIM_SECONDS = 10

# A small tier inside each worker process in front of the shared cache: the
# generation is re-read from the shared cache at most every
# PAGE_CACHE_LOCAL_SECONDS, and pages of the current generation are kept in
# memory, so a hit usually needs no network round trip at all. Another
# server's change therefore shows here within that interval; this process's
# own changes show at once.
LOCAL_PAGES = 200
_local = {"generation": None, "checked": 0.0}
_local_pages = OrderedDict()
# remembered(): name -> (generation token, value).
_remembered = {}


def forget_local():
    """Drop this process's copies (tests clear the shared cache too)."""
    _local.update(generation=None, checked=0.0)
    _local_pages.clear()
    _remembered.clear()


def _local_generation(now):
    """This process's copy of the generation if checked recently and no
    scheduled publication has come due since, else None."""
    generation = _local["generation"]
    if (
        generation is not None
        and now - _local["checked"] < settings.PAGE_CACHE_LOCAL_SECONDS
        and not _due(generation, now)
    ):
        return generation
    return None


def _remember_generation(generation, now):
    if generation != _local["generation"]:
        _local_pages.clear()
    _local.update(generation=generation, checked=now)


def _remember_page(key, entry):
    _local_pages[key] = entry
    _local_pages.move_to_end(key)
    while len(_local_pages) > LOCAL_PAGES:
        _local_pages.popitem(last=False)


def valid_generation(value):
    """True for a generation as new_generation() writes it: (token, time).

    The cache is shared with other code and other processes; a value of any
    other shape (a stray write, an older release's format) is treated as no
    generation at all, never trusted.
    """
    return (
        type(value) is tuple
        and len(value) == 2
        and type(value[0]) is str
        and (value[1] is None or type(value[1]) in (int, float))
    )


def valid_entry(value):
    """True for a page entry as store() writes it; anything else is a miss."""
    if type(value) is not tuple or len(value) != 7:
        return False
    token, status, headers, content, etag, last_modified, stored_at = value
    return (
        type(token) is str
        and type(status) is int
        and 100 <= status <= 599
        and type(headers) is list
        and all(
            type(pair) is tuple
            and len(pair) == 2
            and all(type(part) is str for part in pair)
            for pair in headers
        )
        and type(content) is bytes
        and type(etag) is str
        and type(last_modified) is int
        and type(stored_at) in (int, float)
    )


def _due(generation, now):
    """True once the scheduled publication the generation waits for is due."""
    return generation[1] is not None and generation[1] <= now


def page_seconds():
    """How long the app keeps a page at most; 0 turns the page cache off."""
    return settings.PAGE_CACHE_SECONDS


def next_scheduled_publication():
    """Unix time of the next scheduled publication, or None."""
    publish_at = (
        apps.get_model("articles", "Article")
        .objects.scheduled()
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    return publish_at.timestamp() if publish_at else None


def new_generation():
    """Write and return a fresh generation: (token, next scheduled time)."""
    generation = (uuid.uuid4().hex[:12], next_scheduled_publication())
    cache.set(GENERATION_KEY, generation, None)
    _remember_generation(generation, time.time())
    return generation


def current_generation():
    """The content generation as the shared cache has it (a new one when it
    has none), for caches of other derived content to key by its token."""
    generation = cache.get(GENERATION_KEY)
    if not valid_generation(generation):
        return new_generation()
    return generation


def remembered(name, build):
    """build()'s value, computed once per content generation in this process.

    For what readers see that changes only with content (the sections menu,
    the home page's lists): any change bumps the generation and the next
    request builds anew, on every server within PAGE_CACHE_LOCAL_SECONDS, as
    cached pages do; a due scheduled publication starts a new generation.
    The value is shared by concurrent requests: callers must not change it.
    Without the shared cache it is built on every call.
    """
    now = time.time()
    try:
        generation = _local_generation(now)
        if generation is None:
            generation = cache.get(GENERATION_KEY)
            if not valid_generation(generation) or _due(generation, now):
                generation = new_generation()
            _remember_generation(generation, now)
    except Exception:  # cache down: no generation to key by
        logger.warning("page cache: generation unreadable", exc_info=True)
        return build()
    found = _remembered.get(name)
    if found is None or found[0] != generation[0]:
        found = (generation[0], build())
        _remembered[name] = found
    return found[1]


def bump():
    """Invalidate every cached page, now and again once the change commits.

    The immediate bump makes the change visible inside the transaction that
    made it; the one on commit closes the window in which another request
    could render the old rows and store them under the new generation.
    """
    pending = _batch.get()
    if pending is not None:
        pending.append(True)
        return
    _bump_quietly()
    transaction.on_commit(_bump_quietly)


# Inside batched(): a list that bump() notes its calls in, else None.
_batch = contextvars.ContextVar("pagecache_batch", default=None)


@contextlib.contextmanager
def batched():
    """One bump() for all the changes made inside the block.

    A workflow step saves the article, its transition and its revision; each
    save would start a generation of its own.
    """
    if _batch.get() is not None:  # already inside a batch
        yield
        return
    pending = []
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
        if pending:
            bump()


def _bump_quietly():
    try:
        new_generation()
    except Exception:  # a cache outage must not block an editor's save
        forget_local()
        logger.warning("page cache: could not bump the generation", exc_info=True)


def page_key(request):
    # Hashed so that a hostile 10,000-character path still makes a short key.
    url = f"{request.get_host()}{request.get_full_path()}".encode()
    return f"{PAGE_KEY_PREFIX}{hashlib.blake2b(url, digest_size=16).hexdigest()}"


def lookup(request):
    """Return (generation, entry or None, stale entry or None) for the request.

    From this process's memory when the generation was checked recently,
    otherwise in one round trip to the shared cache. The stale entry is the
    page as rendered under an older generation, if the cache still has it.
    """
    key = page_key(request)
    now = time.time()
    generation = _local_generation(now)
    if generation is not None:
        entry = _local_pages.get(key)
        if entry is not None and entry[0] == generation[0]:
            return generation, entry, None
        entry = cache.get(key)
    else:
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        entry = found.get(key)
        if not valid_generation(generation) or _due(generation, now):
            # First request after a flush, or a scheduled article is now due.
            return new_generation(), None, entry if valid_entry(entry) else None
        _remember_generation(generation, now)
    if not valid_entry(entry):
        # Missing, or not what store() writes: render, and store over it.
        return generation, None, None
    if entry[0] != generation[0]:
        return generation, None, entry
    _remember_page(key, entry)
    return generation, entry, None


def claim_refresh(request):
    """True for the one request that may re-render a stale page now."""
    return cache.add(page_key(request) + REFRESH_SUFFIX, 1, REFRESH_CLAIM_SECONDS)


def end_refresh(request, keep_page):
    """Let go of the claim. Unless told to keep it (a new page replaced it,
    or the render failed), drop the stale page: the URL is now a 404 or 410,
    say, and nobody may be served the old page again."""
    key = page_key(request)
    if keep_page:
        cache.delete(key + REFRESH_SUFFIX)
    else:
        cache.delete_many([key, key + REFRESH_SUFFIX])


def store(request, response, generation):
    """Keep a rendered page; return (etag, last_modified, shared seconds),
    or None when the path already holds its share of query strings."""
    token, next_at = generation
    now = time.time()
    seconds = page_seconds()
    if next_at is not None:
        seconds = max(1, min(seconds, int(next_at - now)))
    if not admit(request, generation, seconds):
        return None
    content = response.content
    etag = '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'
    last_modified = int(now)
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in {"set-cookie", "date"}
    ]
    entry = (token, response.status_code, headers, content, etag, last_modified, now)
    key = page_key(request)
    cache.set(key, entry, seconds)
    _remember_page(key, entry)
    return etag, last_modified, min(seconds, settings.PAGE_CACHE_SHARED_SECONDS)


def shared_seconds_now(generation):
    """Seconds a proxy may keep an answer made now (never past the next
    scheduled publication, which may change it)."""
    seconds = settings.PAGE_CACHE_SHARED_SECONDS
    if generation[1] is not None:
        seconds = min(seconds, int(generation[1] - time.time()))
    return max(0, seconds)


def admit(request, generation, seconds):
    """False once the path has stored its share of query strings in this
    generation (PAGE_CACHE_QUERIES_PER_PATH)."""
    if not request.META.get("QUERY_STRING"):
        return True
    path = f"{request.get_host()}{request.path}".encode()
    key = (
        f"{COUNT_KEY_PREFIX}{hashlib.blake2b(path, digest_size=16).hexdigest()}"
        f":{generation[0]}"
    )
    cache.add(key, 0, seconds)
    return cache.incr(key) <= settings.PAGE_CACHE_QUERIES_PER_PATH


def shared_seconds(entry, generation):
    """Seconds a proxy may still keep a page served from the cache."""
    _, _, _, _, _, _, stored_at = entry
    now = time.time()
    seconds = settings.PAGE_CACHE_SHARED_SECONDS
    seconds = min(seconds, int(stored_at + page_seconds() - now))
    if generation[1] is not None:
        seconds = min(seconds, int(generation[1] - now))
    return max(0, seconds)
