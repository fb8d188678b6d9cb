"""Top-level URL map: the admin, the editor's assets, and the reader site."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from security.media import serve_media
from security.views import csp_report, view_on_site

# Every prefix mounted here is listed, with who may reach it and what it
# writes, in docs/security.md. django-tinymce's own URLs (compressor,
# spellchecker, file browser) are not mounted: the editor loads TinyMCE from
# static files, and the compressor let anyone write cache keys of their
# choosing.
urlpatterns = [
    path("admin/articles/article/word/", include("wordimport.urls")),
    # The article form's autosave and presence requests (staff, POST only).
    path("admin/articles/article/editing/", include("editing.urls")),
    # The change form's preview-link buttons (previews app).
    path("admin/articles/article/", include("previews.admin_urls")),
    # The admin's "view on site", narrowed to what the user may view.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path("admin/", admin.site.urls),
    path("counties/", include("counties.urls")),
    path("", include("serving.urls")),
    path("csp-report/", csp_report, name="csp-report"),
    path("preview/", include("previews.urls")),
    path("", include("articles.urls")),
]

# Uploads are served with safe types and a sandbox policy (security/media.py),
# only when SERVE_MEDIA is on; nginx serves them in production.
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_media),
]

# A database outage answers a friendly 503 instead of the 500 page.
handler500 = "security.views.server_error"
# Refused and missing admin pages in Chinese, inside the admin's frame.
handler403 = "articles.admin_errors.permission_denied"
handler404 = "articles.admin_errors.page_not_found"
