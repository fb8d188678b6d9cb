"""Error pages (the admin lock-out, the database-outage 503) and CSP reports."""

import json
import logging
import sys
import time

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .client import client_ip

OUTAGE_RETRY_AFTER = 30

csp_logger = logging.getLogger("newsroom.csp")
CSP_REPORT_MAX_BYTES = 8 * 1024
# Anyone can post reports: log at most this many a minute per process.
CSP_REPORTS_PER_MINUTE = 30
_csp_window = {"start": 0.0, "count": 0}


def lockout(request, original_response=None, credentials=None):
    """The page django-axes shows once an account or address is locked."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(
        request,
        "security/lockout.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect, for objects the user may view.

    Django's own shortcut looks the object up in the whole table, so any
    staff account learnt the public address (the pinyin of the title) of
    any draft. Here the object comes from its ModelAdmin's queryset, which
    holds the role's view scope; anything else is a 404.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model is None or not admin.site.is_registered(model):
        raise Http404
    model_admin = admin.site.get_model_admin(model)
    if not model_admin.has_view_or_change_permission(request):
        raise Http404
    if model_admin.get_object(request, object_id) is None:
        raise Http404
    return shortcut(request, content_type_id, object_id)


def server_error(request):
    """handler500: a database outage becomes a friendly 503, the rest a 500.

    Neither page touches the database (no request context, so no context
    processors), and neither shows a traceback.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


@csrf_exempt
@require_POST
def csp_report(request):
    """Browsers post here what the Content-Security-Policy blocked.

    A violation on a reader page means an article or template asks for
    something the policy forbids (an embedded script, a font from another
    host): it is logged so someone can look. Reports are small; anything
    large or not JSON is refused, and a flood is logged only in part.
    """
    if int(request.META.get("CONTENT_LENGTH") or 0) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    # report-uri sends {"csp-report": {...}}; the Reporting API a list.
    reports = payload if isinstance(payload, list) else [payload]
    for report in reports[:10]:
        if not isinstance(report, dict):
            continue
        body = report.get("csp-report") or report.get("body") or {}
        if isinstance(body, dict) and _csp_log_allowed():
            csp_logger.warning(
                "CSP violation from %s: %s blocked %s on %s",
                client_ip(request),
                _short(
                    body.get("violated-directive") or body.get("effectiveDirective")
                ),
                _short(body.get("blocked-uri") or body.get("blockedURL")),
                _short(body.get("document-uri") or body.get("documentURL")),
            )
    return HttpResponse(status=204)


def _short(value, length=200):
    return str(value or "-")[:length]


def _csp_log_allowed():
    now = time.monotonic()
    if now - _csp_window["start"] >= 60:
        _csp_window.update(start=now, count=0)
    _csp_window["count"] += 1
    return _csp_window["count"] <= CSP_REPORTS_PER_MINUTE
