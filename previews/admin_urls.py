"""The change form's create and revoke buttons, mounted under the admin's
article URLs (newsroom/urls.py) so they share its log-in and CSRF checks."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "preview_links"

urlpatterns = [
    path(
        "<int:object_id>/preview-links/",
        admin.site.admin_view(views.create_link),
        name="create",
    ),
    path(
        "<int:object_id>/preview-links/<int:link_id>/revoke/",
        admin.site.admin_view(views.revoke_link),
        name="revoke",
    ),
]
