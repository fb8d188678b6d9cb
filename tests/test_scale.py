"""Costs that must not grow with the number of articles."""

import pytest

from articles import pagination
from articles.models import Photo
from tests.factories import county, make_article, make_photo, make_section


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(pagination.CappedPaginator, "max_pages", 2)


def test_section_pages_stop_at_the_cap(client, db, small_cap):
    section = make_section(name="大栏目")
    for _ in range(45):
        make_article(section=section)
    url = section.get_absolute_url()
    html = client.get(url).content.decode()
    assert "第 1 页，共显示最近 2 页" in html
    assert client.get(url + "?page=2").status_code == 200
    assert client.get(url + "?page=3").status_code == 404


def test_small_sections_show_their_real_page_count(client, db, small_cap):
    section = make_section(name="小栏目")
    for _ in range(25):
        make_article(section=section)
    html = client.get(section.get_absolute_url()).content.decode()
    assert "第 1 / 2 页" in html


def test_capped_count_reads_a_limited_subquery(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    make_article()
    paginator = pagination.CappedPaginator(Article.objects.published(), 20)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 1
    assert "LIMIT 1001" in queries.captured_queries[0]["sql"]


def test_published_photos_of_a_county(db):
    union = county("binhai")
    shown = make_photo("已发布稿件的图片", county_union=union)
    hidden = make_photo("草稿的图片", county_union=union)
    make_article(cover_photo=shown)
    make_article(cover_photo=hidden, status="draft")
    gallery = make_photo("组图图片", county_union=union)
    make_article(photos=[gallery])
    photos = set(Photo.objects.published().filter(county_union=union))
    assert photos == {shown, gallery}


def test_newest_published_photos_match_the_published_rule(db):
    """The county and author pages' two indexed queries give what
    published() would: cover and gallery photos of published articles,
    newest first, at most the count asked for."""
    union = county("binhai")
    covers = [make_photo(f"封面{n}", county_union=union) for n in range(3)]
    gallery = [make_photo(f"组图{n}", county_union=union) for n in range(3)]
    draft_only = make_photo("只在草稿里", county_union=union)
    elsewhere = make_photo("别的县", county_union=county("dafeng"))
    for photo in covers:
        make_article(cover_photo=photo)
    make_article(photos=gallery)
    make_article(cover_photo=covers[0], photos=[covers[1]])  # used twice
    make_article(cover_photo=draft_only, status="draft")
    make_article(cover_photo=elsewhere)

    rows = Photo.objects.filter(county_union=union)
    expected = list(rows.published().order_by("-created_at", "-pk"))
    assert draft_only not in expected and len(expected) == 6
    assert rows.newest_published(24) == expected
    assert rows.newest_published(4) == expected[:4]


def test_county_page_shows_only_published_photos(client, db):
    union = county("binhai")
    make_article(cover_photo=make_photo("已发布的封面", county_union=union))
    make_article(
        cover_photo=make_photo("草稿的封面", county_union=union), status="draft"
    )
    html = client.get(union.get_absolute_url()).content.decode()
    assert "已发布的封面" in html
    assert "草稿的封面" not in html


@pytest.mark.parametrize("authors", [3, 30])
def test_admin_lists_are_flat_in_authors(
    client, db, django_assert_max_num_queries, authors
):
    """The article list filters by a typed author name (no link per author);
    the photo list names each photographer with the county in one query for
    all of them, not one per author."""
    from tests.factories import make_author, make_user

    for _ in range(authors):
        author = make_author(county_union=county("dafeng"))
        make_article(authors=[author])
        make_photo(credits=[author])
    client.force_login(make_user(superuser=True))
    with django_assert_max_num_queries(12):
        response = client.get("/admin/articles/article/")
    assert response.status_code == 200
    assert "（大丰区）" not in response.content.decode()
    with django_assert_max_num_queries(12):
        response = client.get("/admin/articles/photo/")
    assert "（大丰区）" in response.content.decode()


def test_admin_article_list_filters_by_a_typed_author_name(client, db):
    from tests.factories import make_author, make_user

    qin = make_author("秦西江")
    make_article(title="秦西江的稿件", authors=[qin, make_author("张楠")])
    make_article(title="别人的稿件", authors=[make_author("李四")])
    make_article(title="秦西江的草稿", authors=[qin], status="draft")
    client.force_login(make_user(superuser=True))
    url = "/admin/articles/article/"
    response = client.get(url, {"author": " 秦西江 ", "status__exact": "published"})
    assert {a.title for a in response.context["cl"].result_list} == {"秦西江的稿件"}
    html = response.content.decode()
    # The typed name stays in the box and the other filter rides along.
    assert 'value="秦西江"' in html
    assert '<input type="hidden" name="status__exact" value="published">' in html
    all_titles = {a.title for a in client.get(url).context["cl"].result_list}
    assert all_titles == {"秦西江的稿件", "别人的稿件", "秦西江的草稿"}


def test_admin_article_search_finds_words_and_author_names(client, db):
    from tests.factories import make_author, make_user

    make_article(title="环卫工人节日慰问", body="<p>为一线环卫工人送上慰问品。</p>")
    make_article(title="劳模座谈", authors=[make_author("秦西江")])
    make_article(title="无关稿件", status="draft")
    client.force_login(make_user(superuser=True))

    def titles(q):
        response = client.get("/admin/articles/article/", {"q": q})
        assert response.status_code == 200
        return {a.title for a in response.context["cl"].result_list}

    assert titles("慰问") == {"环卫工人节日慰问"}
    assert titles("秦西江") == {"劳模座谈"}
    assert titles("不存在的词") == set()


def test_warm_up_loads_the_dictionary_and_templates():
    """Run by gunicorn's master before forking; it needs no database (the
    test has none) and leaves the search dictionary loaded."""
    import jieba
    from django.template import engines

    from serving import warmup

    warmup.warm()
    assert jieba.dt.initialized
    compiled = {name for _, name in engines["jinja2"].env.cache.keys()}
    assert {
        "base.html",
        "articles/article_detail.html",
        "includes/article_row.html",
        "500.html",
    } <= compiled


def test_tag_page_lists_the_tags_articles_newest_first(client, db):
    from django.urls import reverse

    tagged = [make_article(tags=["劳模"], days_ago=n) for n in range(25)]
    make_article(tags=["安全生产"], days_ago=0)
    make_article(tags=["劳模"], status="draft")
    url = reverse("articles:tag", args=[tagged[0].tags.get().slug])
    first = client.get(url).context["object_list"]
    assert list(first) == tagged[:20]
    assert list(client.get(url, {"page": 2}).context["object_list"]) == tagged[20:]
