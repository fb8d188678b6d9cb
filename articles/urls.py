from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.generic import TemplateView

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sections/<slug:slug>/", views.SectionDetailView.as_view(), name="section"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("tags/<str:slug>/", views.TagDetailView.as_view(), name="tag"),
    # Readers' search, feeds, archives and print issues.
    path("search/", views.SearchView.as_view(), name="search"),
    path("archive/", views.ArticleArchiveView.as_view(), name="archive"),
    path(
        "archive/<int:year>/",
        views.ArticleYearArchiveView.as_view(),
        name="archive-year",
    ),
    path(
        "archive/<int:year>/<int:month>/",
        views.ArticleMonthArchiveView.as_view(),
        name="archive-month",
    ),
    path("issues/", views.IssueListView.as_view(), name="issues"),
    path(
        "issues/<int:year>-<int:number>/", views.IssueDetailView.as_view(), name="issue"
    ),
    path(
        "issues/<int:year>-<int:number>/print/",
        views.IssuePrintView.as_view(),
        name="issue-print",
    ),
    path(
        "issues/<int:year>-<int:number>/pdf/",
        views.IssuePdfView.as_view(),
        name="issue-pdf",
    ),
    path("feeds/latest/", feeds.ArticleFeed(), name="feed"),
    path("feeds/sections/<slug:slug>/", feeds.SectionFeed(), name="section-feed"),
    path("feeds/counties/<slug:slug>/", feeds.CountyUnionFeed(), name="county-feed"),
    path("feeds/authors/<slug:slug>/", feeds.AuthorFeed(), name="author-feed"),
    path("feeds/tags/<str:slug>/", feeds.TagFeed(), name="tag-feed"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
