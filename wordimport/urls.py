from django.contrib import admin
from django.urls import path

from . import views

app_name = "wordimport"
urlpatterns = [
    path("", admin.site.admin_view(views.WordImportView.as_view()), name="upload"),
    path(
        "bulletin/",
        admin.site.admin_view(views.BulletinImportView.as_view()),
        name="bulletin",
    ),
    path(
        "imported/",
        admin.site.admin_view(views.ImportedListView.as_view()),
        name="imported",
    ),
]
