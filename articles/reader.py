"""Selectors: every query a reader page asks, in one place.

Views, feeds and sitemaps call these functions; each takes the queryset it
starts from where staff may see more than readers (a preview passes
Article.objects.visible_to(user)), so there is one read path per page.
The publish rule itself lives only in ArticleQuerySet.published(), which
reads the time when a query runs: the busiest readers' querysets are built
once per process (as a generic view's `queryset` attribute is) and cloned
for each request.
"""

import functools

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from taggit.models import Tag, TaggedItem

from counties.models import CountyUnion
from serving import pagecache

from .models import Article, Section

RELATED_COUNT = 5
# What a related-article link prints.
RELATED_FIELDS = ("id", "title", "slug", "publish_at")


def sections():
    """Every section, in navigation order; remembered per content generation
    (pagecache.remembered), so callers must not change the objects."""
    return pagecache.remembered("sections", lambda: tuple(Section.objects.all()))


def home_lists(per_section, photo_count):
    """What the home page lists, remembered per content generation
    (callers must not change it): `sections`, (section, its newest
    `per_section` articles) for every section but photo news; `photo_news`,
    the newest `photo_count` photo news items; `counties`, the county unions.

    One small indexed query per section rather than one window query over
    every published article: the cost stays flat at any size.
    """

    def build():
        return {
            "sections": [
                (section, newest_in_section(section, per_section))
                for section in sections()
                if section.kind != Section.Kind.PHOTO
            ],
            "photo_news": newest_photo_news(photo_count),
            "counties": list(CountyUnion.objects.all()),
        }

    return pagecache.remembered(f"home:{per_section}:{photo_count}", build)


@functools.cache
def _published_article_pages():
    """Readers' article-page query, built once per process: it holds nothing
    that changes between requests (published() reads the time when the
    query runs), and building its neighbour subqueries cost as much as
    compiling and running it (docs/performance.md)."""
    return Article.objects.published().for_article_page()


def article_page(slug, queryset=None):
    """The article with this slug as an article page reads it
    (ArticleQuerySet.for_article_page), or None: among what readers see,
    or among `queryset` (what a member of staff may open)."""
    if queryset is None:
        rows = _published_article_pages()
    else:
        rows = queryset.for_article_page()
    return rows.filter(slug=slug).first()


@functools.cache
def _listing_rows():
    """Published articles as list rows; built once per process (see
    _published_article_pages)."""
    return Article.objects.published().for_listing()


def section_rows(section):
    """A section's published articles as list rows, newest first; photo news
    rows carry their cover photo."""
    rows = _listing_rows().in_section(section)
    return rows.select_related("cover_photo") if section.is_photo_news else rows


def count_section_rows(section, limit):
    """How many of section_rows(section) there are, counting up to `limit`;
    remembered per content generation."""
    return pagecache.remembered(
        f"section-count:{section.pk}:{limit}",
        lambda: section_rows(section).order_by()[:limit].count(),
    )


def newest_in_section(section, count):
    """The newest `count` published articles of a section, as list rows."""
    return list(section_rows(section)[:count])


def newest_photo_news(count):
    """The newest `count` published photo news items that have a photo."""
    rows = (
        Article.objects.published()
        .filter(section__kind=Section.Kind.PHOTO, cover_photo__isnull=False)
        .for_listing()
        .select_related("cover_photo")
    )
    return list(rows[:count])


def neighbours(article):
    """(previous, next) published article of an article's section, from the
    columns ArticleQuerySet.for_article_page() reads with it; None at
    either end."""
    return tuple(
        Article(**values) if values else None
        for values in (article.previous, article.next)
    )


@functools.cache
def _related_rows():
    """Published articles as related links, newest first; built once per
    process (see _published_article_pages)."""
    return (
        Article.objects.published().order_by("-publish_at", "-pk").only(*RELATED_FIELDS)
    )


def related(article, count=RELATED_COUNT):
    """Up to `count` published articles of the article's county union or
    sharing a tag with it, newest first.

    Each part is a small indexed query that stops after `count` rows; an
    OR-ed query with DISTINCT sorted every tagged article. The tag ids come
    from the row (tags_json) rather than a join on the article's own tags.
    """
    others = _related_rows().exclude(pk=article.pk)
    found = {}
    if article.county_union_id:
        found.update(
            (row.pk, row)
            for row in others.filter(county_union_id=article.county_union_id)[:count]
        )
    tag_ids = [tag_id for _name, _slug, tag_id in article.tag_entries]
    if tag_ids:
        tagged = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            tag_id__in=tag_ids,
        ).values("object_id")
        found.update((row.pk, row) for row in others.filter(pk__in=tagged)[:count])
    newest = sorted(
        found.values(), key=lambda row: (row.publish_at, row.pk), reverse=True
    )
    return newest[:count]


def public_tag(slug):
    """The tag of that slug if a published article carries it, else 404.

    A tag only drafts use names something not yet public (the tag page and
    feed would confirm it), so it has no page and no feed.
    """
    published = TaggedItem.objects.filter(
        tag=OuterRef("pk"),
        content_type=ContentType.objects.get_for_model(Article),
        object_id__in=Article.objects.published().values("pk"),
    )
    return get_object_or_404(Tag.objects.filter(Exists(published)), slug=slug)
