"""The busiest reader queries, compiled once per process.

Every reader page reads the sections; most readers open an article or a
section page. Their querysets are the ones the rest of the site uses
(published(), for_article_page(), for_listing()); newsroom.compiled keeps
their SQL so that a page does not build and compile them again, which cost
more than PostgreSQL spent answering them. tests/test_compiled_queries.py
holds each to the answers of its queryset.
"""

import datetime

from django.utils import timezone

from newsroom.compiled import CompiledListing, CompiledQuery

from .models import Article, Section

# Sample values to compile with: any value of the type calls pass.
_SOMETIME = datetime.datetime(2024, 2, 20, tzinfo=datetime.UTC)

SECTIONS = CompiledQuery(lambda: Section.objects.all())

_PUBLISHED_ARTICLE_PAGE = CompiledQuery(
    lambda slug, now: (
        Article.objects.published(now).for_article_page().filter(slug=slug)
    ),
    slug="slug",
    now=_SOMETIME,
)


def _section_rows(photo_news):
    def build(section, now):
        rows = Article.objects.published(now).in_section(section).for_listing()
        return rows.select_related("cover_photo") if photo_news else rows

    return CompiledQuery(build, section=1, now=_SOMETIME)


_SECTION_ROWS = {False: _section_rows(False), True: _section_rows(True)}
_SECTION_COUNT = CompiledQuery(
    lambda section, now: (
        Article.objects.published(now).in_section(section).order_by().only("pk")
    ),
    section=1,
    now=_SOMETIME,
)


def published_article_page(slug):
    """The published article with this slug, as for_article_page() reads
    it, or None."""
    found = _PUBLISHED_ARTICLE_PAGE(slug=slug, now=timezone.now())
    return found[0] if found else None


def published_in_section(section, page_size):
    """A section's published articles as a paginator takes them; photo news
    rows carry their cover photo."""
    return CompiledListing(
        _SECTION_ROWS[section.is_photo_news],
        _SECTION_COUNT,
        page_size=page_size,
        model=Article,
        section=section.pk,
        now=timezone.now(),
    )
