"""Every public page renders the seed bulletin, in Chinese, with no N+1."""

import re
import time
from datetime import date

import pytest
from django.contrib.staticfiles import finders
from django.db.models import F
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Issue, Photo, Section
from articles.views import SectionDetailView
from counties.models import CountyUnion
from tests.factories import (
    county,
    give_originals,
    make_article,
    make_author,
    make_photo,
    make_section,
    make_user,
)


@pytest.fixture
def pages(seeded):
    article = Article.objects.get(title="亭湖区总工会助力工会社工赋能成长")
    return {
        "home": reverse("articles:home"),
        "section": Section.objects.get(name="新闻速递").get_absolute_url(),
        "photo news": Section.objects.get(name="图说新闻").get_absolute_url(),
        "article": article.get_absolute_url(),
        "counties": reverse("counties:list"),
        "county": CountyUnion.objects.get(slug="tinghu").get_absolute_url(),
        "author": Author.objects.get(name="杨真真").get_absolute_url(),
    }


@pytest.mark.parametrize(
    "name", ["home", "section", "photo news", "article", "counties", "county", "author"]
)
def test_public_page_renders(client, pages, name):
    response = client.get(pages[name])
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    # JSON-LD names its vocabulary by URL ("https://schema.org"); that is an
    # identifier, never fetched, so it is left out of the external-host check.
    html = re.sub(
        r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S
    )
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html


def test_article_page_shows_byline_in_order(client, pages):
    html = client.get(pages["article"]).content.decode()
    assert html.index("刘静") < html.index("杨真真") < html.index("刘保顺")
    assert "亭湖区" in html and "本刊讯" in html


def test_photo_news_renders_as_gallery_with_credits(client, pages):
    html = client.get(pages["photo news"]).content.decode()
    assert 'class="photo-grid"' in html
    assert "秦西江 张楠 摄" in html
    # Placeholders are marked for staff only (issue 19); readers get text.
    assert "原图待补" not in html
    client.force_login(make_user(superuser=True))
    assert "原图待补" in client.get(pages["photo news"]).content.decode()


def test_photo_item_page_shows_caption_and_credit(client, seeded):
    item = Article.objects.filter(section__kind=Section.Kind.PHOTO).first()
    html = client.get(item.get_absolute_url()).content.decode()
    assert item.cover_photo.caption in html
    assert " 摄" in html


def test_home_has_sections_photo_strip_and_counties(client, pages):
    html = client.get(pages["home"]).content.decode()
    for text in ["新闻速递", "谱写绿色盐城新篇章", "图说新闻", "响水县", "盐都区"]:
        assert text in html
    assert "滨海县开展“双维”集体协商" in html


def test_county_page_lists_its_articles_and_photos(client, seeded):
    html = client.get(
        CountyUnion.objects.get(slug="sheyang").get_absolute_url()
    ).content.decode()
    assert "郁超 摄" in html and "刘春阳 王海波 摄" in html


def test_author_page_lists_photos_credited(client, seeded):
    author = Author.objects.get(name="张楠")
    html = client.get(author.get_absolute_url()).content.decode()
    assert "秦西江 张楠 摄" in html


def test_tag_page_lists_tagged_articles(client, db):
    make_article(title="有标签的稿件", tags=["集体协商"])
    html = client.get(reverse("articles:tag", args=["集体协商"])).content.decode()
    assert "有标签的稿件" in html


def test_article_url_survives_a_title_edit(client, db):
    article = make_article(title="原来的标题")
    url = article.get_absolute_url()
    article.title = "改过的标题"
    article.save()
    assert article.get_absolute_url() == url
    assert "改过的标题" in client.get(url).content.decode()


def test_unknown_slug_gives_chinese_404(client, db):
    response = client.get("/articles/no-such-story/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_body_html_is_sanitized_on_save_and_render(db):
    article = make_article(body='<p onclick="x()">好<script>alert(1)</script></p>')
    assert "script" not in article.body and "onclick" not in article.body
    Article.objects.filter(pk=article.pk).update(
        body="<p>坏<script>alert(1)</script></p>"
    )
    article.refresh_from_db()
    assert "<script>" not in article.body_html


def test_pagination_beyond_last_page_is_404(client, db):
    section = make_section(name="新闻速递")
    make_article(section=section)
    assert client.get(section.get_absolute_url() + "?page=99").status_code == 404
    assert client.get(section.get_absolute_url() + "?page=abc").status_code == 404


def _rich_article(section, n):
    """An article with n authors, n gallery photos and n tags."""
    authors = [make_author(f"作者{i}") for i in range(n)]
    photos = [make_photo(f"图{i}", credits=authors[:2]) for i in range(n)]
    return make_article(
        section=section,
        authors=authors,
        photos=photos,
        cover_photo=photos[0],
        tags=[f"标签{i}" for i in range(n)],
    )


# Article page: session-less request -> nav sections, article (+section,
# county, cover, whether it has a gallery, previous and next; bylines, tags
# and credits are copies on the rows), the gallery if it has one, then
# related articles (one UNION ALL, if it has a county or tags).
ARTICLE_PAGE_QUERIES = 4
# Section page: sections (the navigation's list, where the view also finds
# its own), count, articles (bylines are copies on the rows).
SECTION_PAGE_QUERIES = 3


@pytest.mark.parametrize("n", [1, 4])
def test_article_page_query_count_is_flat(client, db, django_assert_num_queries, n):
    article = _rich_article(make_section(), n)
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_article_without_gallery_skips_the_gallery_query(
    client, db, django_assert_num_queries
):
    article = make_article(
        section=make_section(), cover_photo=make_photo("封面"), county_union=county()
    )
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES - 1):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert 'class="gallery"' not in response.content.decode()


def test_article_without_county_or_tags_asks_for_no_related(
    client, db, django_assert_num_queries
):
    section = make_section()
    older = make_article(section=section, days_ago=2)
    article = make_article(section=section)
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES - 2):
        response = client.get(article.get_absolute_url())
    assert response.context["previous_article"] == older
    assert response.context["related_articles"] == []


def test_article_page_shows_the_gallery_in_its_order(client, db):
    photos = [make_photo(f"组图第{i}张") for i in range(3)]
    article = make_article(section=make_section(), photos=photos)
    # Reorder in the database: the page follows position, not creation.
    for position, photo in zip([2, 0, 1], photos, strict=True):
        article.gallery.filter(photo=photo).update(position=position)
    html = client.get(article.get_absolute_url()).content.decode()
    gallery = html[html.index('class="gallery"') :]
    shown = [gallery.index(f"组图第{i}张") for i in (1, 2, 0)]
    assert shown == sorted(shown)


@pytest.mark.parametrize("n", [1, 4])
def test_section_page_query_count_is_flat(client, db, django_assert_num_queries, n):
    section = make_section()
    for _ in range(n):
        _rich_article(section, n)
    with django_assert_num_queries(SECTION_PAGE_QUERIES):
        assert client.get(section.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", [1, 4])
def test_home_page_query_count_is_flat(client, db, django_assert_num_queries, n):
    for kind in [Section.Kind.NEWS, Section.Kind.TOPIC]:
        section = make_section(kind=kind)
        for _ in range(n):
            _rich_article(section, n)
    # sections (navigation and the page's own list), latest of each of the
    # two sections (one indexed query each: flat in the number of articles),
    # photo strip, counties
    with django_assert_num_queries(5):
        assert client.get(reverse("articles:home")).status_code == 200


@override_settings(PAGE_CACHE_SECONDS=0)
def test_home_lists_are_remembered_until_content_changes(
    client, db, django_assert_num_queries
):
    section = make_section()
    make_article(section=section, title="先发的稿件")
    url = reverse("articles:home")
    assert "先发的稿件" in client.get(url).content.decode()
    # Nothing changed since: the sections and the lists come from memory.
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    make_article(section=section, title="后发的稿件")
    assert "后发的稿件" in client.get(url).content.decode()


@override_settings(PAGE_CACHE_SECONDS=0)
def test_home_lists_show_a_scheduled_article_when_due(client, db):
    section = make_section()
    make_article(section=section)
    scheduled = make_article(
        section=section, title="定时发布的稿件", days_ago=-2 / (24 * 3600)
    )
    url = reverse("articles:home")
    assert "定时发布的稿件" not in client.get(url).content.decode()
    time.sleep(max(0, (scheduled.publish_at - timezone.now()).total_seconds()) + 0.1)
    assert "定时发布的稿件" in client.get(url).content.decode()


@override_settings(PAGE_CACHE_SECONDS=0)
def test_pages_read_the_sections_once_per_content_generation(
    client, db, django_assert_num_queries
):
    section = make_section(name="旧栏目名")
    article = make_article(section=section)
    url = article.get_absolute_url()
    assert "旧栏目名" in client.get(url).content.decode()
    # Only the article itself: no gallery, related or sections query.
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES - 3):
        assert client.get(url).status_code == 200
    section.name = "新栏目名"
    section.save()
    assert "新栏目名" in client.get(url).content.decode()


@override_settings(PAGE_CACHE_SECONDS=0)
def test_section_page_remembers_its_count_until_content_changes(
    client, db, django_assert_num_queries
):
    section = make_section()
    make_article(section=section, title="第一篇")
    url = section.get_absolute_url()
    client.get(url)
    # Only the page's rows: the sections and the count come from memory.
    with django_assert_num_queries(SECTION_PAGE_QUERIES - 2):
        assert client.get(url).status_code == 200
    for _ in range(SectionDetailView.paginate_by):
        make_article(section=section)
    html = client.get(url).content.decode()
    assert "?page=2" in html


def test_home_page_has_exactly_one_h1(client, seeded):
    html = client.get(reverse("articles:home")).content.decode()
    assert html.count("<h1") == 1


def test_favicon_ico_is_a_lasting_redirect_to_the_static_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]
    assert finders.find("favicon.ico") is not None


def test_every_reader_page_links_the_icons_the_archive_and_the_switch(client, pages):
    for url in pages.values():
        html = client.get(url).content.decode()
        assert f'<link rel="icon" href="{static("favicon.ico")}"' in html
        assert static("icons/apple-touch-icon.png") in html
        assert f'href="{reverse("articles:archive")}"' in html
        assert 'role="switch" id="large-text"' in html



# Photo items still waiting for their originals, headlines, the cover once
# (issue 19).


def reader_pages_of_the_seed(pages):
    issue = Issue.objects.create(year=2024, number=2, published_on=date(2024, 2, 20))
    Article.objects.update(issue=issue, issue_position=F("pk"))
    item = Article.objects.filter(section__kind=Section.Kind.PHOTO).first()
    return [
        *pages.values(),
        item.get_absolute_url(),
        CountyUnion.objects.get(slug="sheyang").get_absolute_url(),
        Author.objects.get(name="张楠").get_absolute_url(),
        reverse("articles:issues"),
        issue.get_absolute_url(),
        reverse("articles:issue-print", args=[2024, 2]),
        reverse("articles:feed"),
        reverse("articles:search") + "?q=总工会",
    ]


def test_readers_never_see_a_placeholder(client, pages):
    placeholders = list(Photo.objects.awaiting_original())
    assert len(placeholders) == 4
    for url in reader_pages_of_the_seed(pages):
        html = client.get(url).content.decode()
        assert "原图待补" not in html, url
        assert "PHOTO PENDING" not in html, url
        for photo in placeholders:  # neither the file nor its renditions
            assert photo.image.name.rsplit(".", 1)[0] not in html, url


def test_photo_item_waiting_for_its_original_is_text_with_its_credit(client, seeded):
    item = Article.objects.filter(section__kind=Section.Kind.PHOTO).first()
    html = client.get(item.get_absolute_url()).content.decode()
    assert '<div class="photo-text"><p>' + item.cover_photo.caption in html
    assert item.cover_photo.credit_line in html
    assert "<img" not in html and "<figure" not in html


def test_staff_preview_marks_the_placeholder(client, seeded):
    item = Article.objects.filter(section__kind=Section.Kind.PHOTO).first()
    client.force_login(make_user(superuser=True))
    html = client.get(item.get_absolute_url()).content.decode()
    assert "原图待补" in html
    assert item.cover_photo.fallback_url in html


def test_photo_item_with_its_original_shows_the_picture(client, seeded):
    item = Article.objects.filter(section__kind=Section.Kind.PHOTO).first()
    give_originals([item.cover_photo])
    for url in [item.get_absolute_url(), reverse("articles:home")]:
        html = client.get(url).content.decode()
        assert item.cover_photo.fallback_url in html
        assert "原图待补" not in html


def test_photo_news_headlines_are_short_and_whole(client, pages):
    items = Article.objects.filter(section__kind=Section.Kind.PHOTO)
    html = client.get(pages["home"]).content.decode()
    for item in items:
        assert 0 < len(item.title) <= 24
        assert "…" not in item.title
        assert item.title in html
        assert item.title != item.cover_photo.caption
        page = client.get(item.get_absolute_url()).content.decode()
        assert f"<h1>{item.title}</h1>" in page
        assert item.cover_photo.caption in page


def test_cover_is_not_shown_again_first_in_the_gallery(client, db):
    cover = make_photo("封面")
    other = make_photo("第二张")
    article = make_article(cover_photo=cover, photos=[cover, other])
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count(f'src="{cover.fallback_url}"') == 1
    assert html.count(f'src="{other.fallback_url}"') == 1
    assert html.index(cover.fallback_url) < html.index(other.fallback_url)
