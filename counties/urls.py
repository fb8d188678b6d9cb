from django.urls import path

from . import views

app_name = "counties"

urlpatterns = [
    path("", views.CountyUnionListView.as_view(), name="list"),
    path("<slug:slug>/", views.CountyUnionDetailView.as_view(), name="detail"),
]
