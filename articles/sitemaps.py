"""Sitemaps of what a reader may see: published articles, photo news, sections
and county unions, each with the time it last changed."""

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery

from counties.models import CountyUnion

from .models import Article, Section


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    # 5,000 URLs a page rather than the protocol's 50,000: a page renders
    # ten times fewer rows.
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .exclude(section__kind=Section.Kind.PHOTO)
            .only("slug", "updated_at")
            .order_by("-publish_at", "-pk")
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """For the index: the newest edit, read from the top of the
        (status, updated_at) index. Django would call lastmod() on every
        article, and MAX() read every published row."""
        newest = self.items().order_by("-updated_at")
        return newest.values_list("updated_at", flat=True).first()


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
    """When the row's page last changed: its newest article's publish time.

    From the (field, status, publish_at) index, one entry per row; the
    newest updated_at would read every article of a section or county.
    """
    return Subquery(
        Article.objects.published()
        .filter(**{field: OuterRef("pk")})
        .order_by("-publish_at", "-pk")
        .values("publish_at")[:1]
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
