"""Health checks for load balancers and orchestrators."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """Liveness: the process answers. Touches neither database nor cache."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
def readyz(request):
    """Readiness: 200 when database and cache both answer, else 503."""
    checks = {"database": _check_database(), "cache": _check_cache()}
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse(checks, status=200 if ready else 503)


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means "not ready"
        logger.warning("readyz: database unavailable", exc_info=True)
        return "unavailable"
    return "ok"


def _check_cache():
    try:
        cache.set("readyz:probe", "1", 10)
        if cache.get("readyz:probe") != "1":
            return "unavailable"
    except Exception:  # connection refused, timeout, ...
        logger.warning("readyz: cache unavailable", exc_info=True)
        return "unavailable"
    return "ok"
