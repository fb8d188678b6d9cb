"""Compiled queries (newsroom.compiled) give what their querysets give."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import compiled_queries
from articles.models import Article, Section
from articles.pagination import CappedPaginator
from newsroom.compiled import CompiledListing, CompiledQuery
from tests.factories import county, make_article, make_photo, make_section

NOW = datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC)


def columns(instance):
    """An instance's loaded field values, without Django's bookkeeping."""
    return {k: v for k, v in vars(instance).items() if not k.startswith("_")}


def same_rows(compiled, orm):
    assert [columns(a) for a in compiled] == [columns(b) for b in orm]


def test_article_page_reads_what_for_article_page_reads(db):
    cover = make_photo("封面")
    article = make_article(
        county_union=county("binhai"), cover_photo=cover, photos=[make_photo("组图")]
    )
    found = compiled_queries.published_article_page(article.slug)
    expected = Article.objects.for_article_page().published().get(pk=article.pk)
    same_rows([found], [expected])
    assert found.has_gallery is True
    assert columns(found.county_union) == columns(expected.county_union)
    assert columns(found.cover_photo) == columns(expected.cover_photo)


@pytest.mark.parametrize(
    ("status", "days_ago"),
    [
        (Article.Status.DRAFT, 1),
        (Article.Status.REVIEW, 1),
        (Article.Status.WITHDRAWN, 1),
        (Article.Status.PUBLISHED, -1),  # scheduled for tomorrow
        (Article.Status.PUBLISHED, None),
    ],
)
def test_article_page_finds_no_unpublished_article(db, status, days_ago):
    article = make_article(status=status, days_ago=days_ago)
    assert compiled_queries.published_article_page(article.slug) is None


def test_a_scheduled_article_appears_when_its_time_comes(db):
    article = make_article(days_ago=-1)
    query = compiled_queries._PUBLISHED_ARTICLE_PAGE
    tomorrow = timezone.now() + datetime.timedelta(days=1, minutes=1)
    assert query(slug=article.slug, now=timezone.now()) == []
    assert [found.pk for found in query(slug=article.slug, now=tomorrow)] == [
        article.pk
    ]


def test_section_pages_and_count_match_the_queryset(db):
    section = make_section()
    other = make_section()
    for days in range(1, 26):
        make_article(section=section, days_ago=days, county_union=county())
    make_article(section=section, days_ago=-2)  # scheduled
    make_article(section=section, status=Article.Status.DRAFT)
    make_article(section=other)
    listing = compiled_queries.published_in_section(section, page_size=10)
    paginator = CappedPaginator(listing, 10)
    expected = Article.objects.published().in_section(section).for_listing()
    assert paginator.count == 25
    assert paginator.num_pages == 3
    for number in (1, 2, 3):
        page = paginator.page(number)
        same_rows(page.object_list, expected[(number - 1) * 10 : number * 10])
    assert [a.county_union.slug for a in paginator.page(1)] == ["xiangshui"] * 10


def test_photo_news_rows_carry_their_cover(db):
    photo_news = make_section(kind=Section.Kind.PHOTO)
    article = make_article(section=photo_news, cover_photo=make_photo("封面"))
    (row,) = compiled_queries.published_in_section(photo_news, page_size=20)[0:20]
    assert row.pk == article.pk
    with CaptureQueriesContext(connection) as queries:
        assert row.cover_photo.caption == "封面"
    assert len(queries) == 0


def test_home_lists_match_the_queryset(db):
    section = make_section()
    photo_news = make_section(kind=Section.Kind.PHOTO)
    for days in range(1, 9):
        make_article(section=section, days_ago=days)
        make_article(section=photo_news, days_ago=days, cover_photo=make_photo())
    make_article(section=photo_news, days_ago=0.5)  # no photo: not in the strip
    make_article(section=section, days_ago=-1)  # scheduled
    published = Article.objects.published().for_listing()
    same_rows(
        compiled_queries.newest_in_section(section, 6),
        published.in_section(section)[:6],
    )
    strip = compiled_queries.newest_photo_news(4)
    same_rows(
        strip,
        published.in_section(photo_news).exclude(cover_photo=None)[:4],
    )
    assert all(row.cover_photo.pk == row.cover_photo_id for row in strip)


def test_the_count_stops_at_the_cap(db):
    section = make_section()
    for days in range(1, 8):
        make_article(section=section, days_ago=days)
    listing = compiled_queries.published_in_section(section, page_size=2)
    assert listing.count_first(5) == 5
    assert listing.count_first(50) == 7


def test_sections_are_every_section(db):
    make_section(name="新栏目")
    same_rows(compiled_queries.SECTIONS(), Section.objects.all())


def test_a_call_is_one_query_and_counted(db):
    article = make_article()
    compiled_queries.published_article_page(article.slug)  # compiled here
    with CaptureQueriesContext(connection) as queries:
        compiled_queries.published_article_page(article.slug)
    assert len(queries) == 1


def test_values_that_would_change_the_sql_are_refused(db):
    # A list of n ids is n parameters: its length is part of the SQL.
    query = CompiledQuery(lambda n: Article.objects.filter(pk__in=range(n)), n=2)
    with pytest.raises(ImproperlyConfigured):
        query(n=3)


def test_samples_must_be_told_apart(db):
    query = CompiledQuery(
        lambda one, two: Article.objects.filter(pk=one, issue_position=two),
        one=3,
        two=3,
    )
    with pytest.raises(ImproperlyConfigured):
        query(one=1, two=2)


def test_a_call_must_give_every_value(db):
    query = CompiledQuery(lambda slug: Article.objects.filter(slug=slug), slug="a")
    with pytest.raises(TypeError):
        query(title="a")


def test_a_listing_gives_one_page_at_a_time(db):
    query = CompiledQuery(lambda now: Article.objects.published(now), now=NOW)
    listing = CompiledListing(query, query, page_size=5, model=Article, now=NOW)
    with pytest.raises(ValueError):
        listing[0:6]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"
)
def test_postgresql_prepares_the_article_page_query(db, client):
    article = make_article()
    for _ in range(2):
        assert client.get(article.get_absolute_url()).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"articles_article"."slug" = $' in sql for sql in prepared)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"
)
def test_only_queries_that_ask_are_prepared(db, client):
    make_article(section=make_section())
    make_article(
        section=make_section(kind=Section.Kind.PHOTO), cover_photo=make_photo()
    )
    assert client.get("/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    # The section rows are; the photo strip (a join by section kind) is not.
    assert any('"articles_article"."section_id" = $' in sql for sql in prepared)
    assert not any('"articles_section"."kind" = $' in sql for sql in prepared)
