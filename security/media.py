"""Serve uploaded files so that none can run as a page or a script."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404

# Only these types are sent as what they are; anything else (an .html,
# .svg or .js that slipped into media/) downloads as opaque bytes.
SAFE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
MEDIA_POLICY = "default-src 'none'; sandbox"


def media_headers(response, name):
    """Headers every media answer carries, whoever serves it."""
    content_type = SAFE_TYPES.get(Path(name).suffix.lower())
    if content_type is None:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    else:
        response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    return response


def serve_media(request, path):
    """MEDIA_URL for development and app-only deployments (SERVE_MEDIA).

    Behind nginx, nginx serves /media/ with the same headers (docs/security.md).
    """
    if not settings.SERVE_MEDIA:
        raise Http404
    try:
        # The storage's path() refuses anything outside MEDIA_ROOT.
        full = Path(FileSystemStorage(location=settings.MEDIA_ROOT).path(path))
    except (SuspiciousFileOperation, ValueError) as error:
        raise Http404 from error
    if not full.is_file():
        raise Http404
    encoding = mimetypes.guess_type(full.name)[1]
    response = FileResponse(full.open("rb"))
    if encoding:
        del response["Content-Encoding"]
    return media_headers(response, full.name)
