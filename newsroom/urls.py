"""Top-level URL map: the admin, the editor's assets, and the reader site."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("tinymce/", include("tinymce.urls")),
    path("counties/", include("counties.urls")),
    path("", include("serving.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage answers a friendly 503 instead of the 500 page.
handler500 = "security.views.server_error"
