"""Sitemaps of what a reader may see: published articles, photo news, sections
and county unions, each with the time it last changed."""

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery

from counties.models import CountyUnion

from .models import Article, Section


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return (
            Article.objects.published()
            .exclude(section__kind=Section.Kind.PHOTO)
            .only("slug", "updated_at")
            .order_by("-publish_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at


class PhotoNewsSitemap(ArticleSitemap):
    priority = 0.5

    def items(self):
        return (
            Article.objects.published()
            .filter(section__kind=Section.Kind.PHOTO)
            .only("slug", "updated_at")
            .order_by("-publish_at", "-pk")
        )


def _latest_change(field):
    """The newest updated_at of the published articles whose field is the row."""
    return Subquery(
        Article.objects.published()
        .filter(**{field: OuterRef("pk")})
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )


class SectionSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Section.objects.annotate(last_change=_latest_change("section"))

    def lastmod(self, item):
        return item.last_change


class CountyUnionSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return CountyUnion.objects.annotate(last_change=_latest_change("county_union"))

    def lastmod(self, item):
        return item.last_change


SITEMAPS = {
    "articles": ArticleSitemap,
    "photo-news": PhotoNewsSitemap,
    "sections": SectionSitemap,
    "counties": CountyUnionSitemap,
}
