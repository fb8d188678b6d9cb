"""Reports of ended periods, kept in the cache per content generation."""

from django.core.cache import cache
from django.utils import timezone

from serving import pagecache

from .scoring import Report, build_report

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
    now = timezone.now()
    if period.bounds()[1] > now:
        return build_report(period, scope=scope, now=now)
    token = pagecache.current_generation()[0]
    key = f"{KEY_PREFIX}{token}:{period}:{scope.pk if scope else 'all'}"
    found = cache.get(key)
    # The cache is shared: anything but this period's report is a miss.
    if isinstance(found, Report) and (found.period, found.scope) == (period, scope):
        return found
    report = build_report(period, scope=scope, now=now)
    cache.set(key, report, REPORT_SECONDS)
    return report
