"""Reports of ended periods, and their workbooks, kept in the cache per
content generation."""

from django.core.cache import cache
from django.utils import timezone

from serving import pagecache

from .scoring import Report, build_report
from .workbook import workbook_bytes

REPORT_SECONDS = 24 * 3600
KEY_PREFIX = "assessment:report:"


def report_for(period, *, scope=None):
    """build_report(period, scope=scope), from the cache once the period has
    ended.

    An ended period's figures change only when content does, and every such
    change starts a new content generation: saves of articles, bylines,
    steps, photos, authors and counties (serving.signals) and of the rules,
    targets, take-ups and headlines (apps.py). The token is read before the
    report is built, so a change made meanwhile is never stored under the
    new generation. A period still running is built each time: its figures
    move with the clock (scheduled pieces, 时间进度).
    """
    return _cached(
        period,
        scope,
        "report",
        lambda now: build_report(period, scope=scope, now=now),
        lambda found: (
            isinstance(found, Report) and (found.period, found.scope) == (period, scope)
        ),
    )


def workbook_for(period, *, scope=None):
    """The report's .xlsx bytes, kept like the report itself."""
    return _cached(
        period,
        scope,
        "xlsx",
        lambda now: workbook_bytes(report_for(period, scope=scope)),
        lambda found: isinstance(found, bytes),
    )


def _cached(period, scope, what, build, valid):
    now = timezone.now()
    if period.bounds()[1] > now:
        return build(now)
    token = pagecache.current_generation()[0]
    # One key per period, scope and kind, holding the generation it was
    # built under: a year's report is large, and a key per generation would
    # leave one behind after every edit.
    key = f"{KEY_PREFIX}{period}:{scope.pk if scope else 'all'}:{what}"
    found = cache.get(key)
    # The cache is shared: anything but what this function stores is a miss.
    if type(found) is tuple and len(found) == 2 and found[0] == token:
        if valid(found[1]):
            return found[1]
    value = build(now)
    cache.set(key, (token, value), REPORT_SECONDS)
    return value
