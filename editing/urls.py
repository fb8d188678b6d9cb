"""Background requests of the article form, under the admin (staff only)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "editing"
view = admin.site.admin_view
urlpatterns = [
    path("new/autosave/", view(views.autosave), name="autosave_new"),
    path("new/autosave/discard/", view(views.discard), name="discard_new"),
    path("<str:object_id>/autosave/", view(views.autosave), name="autosave"),
    path("<str:object_id>/autosave/discard/", view(views.discard), name="discard"),
    path("<str:object_id>/presence/", view(views.ping), name="presence"),
    path("<str:object_id>/presence/leave/", view(views.leave), name="leave"),
]
