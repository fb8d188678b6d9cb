from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sections/<slug:slug>/", views.SectionDetailView.as_view(), name="section"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("tags/<str:slug>/", views.TagDetailView.as_view(), name="tag"),
    # Readers' search, feeds, archives and print issues (issue 5).
    path("search/", views.SearchView.as_view(), name="search"),
]
