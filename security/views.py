"""Error pages: the admin lock-out and the database-outage 503."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

OUTAGE_RETRY_AFTER = 30


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
