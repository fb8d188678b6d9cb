"""The busiest reader queries, compiled once per process.

Every reader page reads the sections; most readers open the home page, an
article or a section. Their querysets are the ones the rest of the site uses
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

# prepare=True where the plan is an index walk whatever the values are
# (newsroom.compiled.CompiledQuery says why it matters).
SECTIONS = CompiledQuery(lambda: Section.objects.all(), prepare=True)

_PUBLISHED_ARTICLE_PAGE = CompiledQuery(
    lambda slug, now: (
        Article.objects.published(now).for_article_page(now).filter(slug=slug)
    ),
    prepare=True,
    slug="slug",
    now=_SOMETIME,
)


def _section_rows(photo_news):
    def build(section, now):
        rows = Article.objects.published(now).in_section(section).for_listing()
        return rows.select_related("cover_photo") if photo_news else rows

    return CompiledQuery(build, prepare=True, section=1, now=_SOMETIME)


_SECTION_ROWS = {False: _section_rows(False), True: _section_rows(True)}
# Not prepared: its generic plan (sections joined by kind) took 30 ms, its
# custom plan 2.
_PHOTO_NEWS = CompiledQuery(
    lambda now: (
        Article.objects.published(now)
        .filter(section__kind=Section.Kind.PHOTO, cover_photo__isnull=False)
        .for_listing()
        .select_related("cover_photo")
    ),
    now=_SOMETIME,
)
_SECTION_COUNT = CompiledQuery(
    lambda section, now: (
        Article.objects.published(now).in_section(section).order_by().only("pk")
    ),
    prepare=True,
    section=1,
    now=_SOMETIME,
)


def published_article_page(slug):
    """The published article with this slug, as for_article_page() reads
    it, or None."""
    found = _PUBLISHED_ARTICLE_PAGE(slug=slug, now=timezone.now())
    return found[0] if found else None


def newest_photo_news(count):
    """The newest `count` published photo news items that have a photo."""
    return _PHOTO_NEWS(window=(0, count), now=timezone.now())


def newest_in_section(section, count):
    """The newest `count` published articles of a section, as list rows."""
    rows = _SECTION_ROWS[section.is_photo_news]
    return rows(window=(0, count), section=section.pk, now=timezone.now())


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
