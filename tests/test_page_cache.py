"""Anonymous readers get cached pages that change as soon as content does."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, ArticleAuthor, Section
from counties.models import CountyUnion
from serving import pagecache
from tests.factories import (
    county,
    make_article,
    make_author,
    make_photo,
    make_section,
    make_staff,
    make_user,
)

HOME = "/"
SECONDS_A_DAY = 24 * 60 * 60


def page(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, response.content.decode()


@pytest.fixture
def story(db):
    return make_article(
        title="缓存测试稿件",
        section=make_section(name="新闻速递"),
        county_union=county("binhai"),
        authors=[make_author("王缓存")],
        tags=["集体协商"],
    )


@pytest.fixture
def editor(db):
    return make_user(superuser=True)


def test_second_request_is_a_hit_without_queries(
    client, story, django_assert_num_queries
):
    first = client.get(story.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(story.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_cached_page_has_cache_control_etag_and_last_modified(client, story):
    for _ in range(2):
        response = client.get(story.get_absolute_url())
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert cache_control == {"public", "max-age=0", "s-maxage=10"}
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"].endswith("GMT")


def test_matching_etag_gets_304(client, story):
    etag = client.get(story.get_absolute_url())["ETag"]
    response = client.get(story.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_gets_304(client, story):
    client.get(story.get_absolute_url())
    later = http_date(time.time() + 5)
    response = client.get(
        story.get_absolute_url(), headers={"if-modified-since": later}
    )
    assert response.status_code == 304


def test_first_conditional_request_can_already_get_304(client, story):
    etag = client.get(story.get_absolute_url())["ETag"]
    client.get(HOME)  # unrelated page
    # A new generation renders again; the same content keeps its ETag.
    story.section.description = "说明"
    story.section.save()
    response = client.get(story.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"


def test_stale_etag_gets_the_new_page(client, story):
    etag = client.get(story.get_absolute_url())["ETag"]
    story.title = "改过的标题"
    story.save()
    response = client.get(story.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "改过的标题" in response.content.decode()
    assert response["ETag"] != etag


def test_publish_shows_on_cached_pages(client, story):
    draft = make_article(
        title="刚刚发布的稿件", section=story.section, status=Article.Status.DRAFT
    )
    pages = [HOME, story.section.get_absolute_url()]
    for url in pages:
        assert "刚刚发布的稿件" not in page(client, url)[1]
        assert page(client, url)[0]["X-Page-Cache"] == "hit"
    assert client.get(draft.get_absolute_url()).status_code == 404
    draft.status = Article.Status.PUBLISHED
    draft.publish_at = timezone.now()
    draft.save()
    for url in pages:
        assert "刚刚发布的稿件" in page(client, url)[1]
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_withdraw_removes_article_from_cached_pages(client, story):
    urls = [
        HOME,
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        story.county_union.get_absolute_url(),
        story.ordered_authors[0].get_absolute_url(),
        reverse("articles:tag", args=["集体协商"]),
    ]
    for url in urls:
        assert "缓存测试稿件" in page(client, url)[1]
    story.status = Article.Status.WITHDRAWN
    story.save()
    assert client.get(story.get_absolute_url()).status_code == 410
    for url in urls[:1] + urls[2:]:
        assert "缓存测试稿件" not in page(client, url)[1]


def test_scheduled_article_appears_when_due_without_any_command(client, story):
    scheduled = make_article(
        title="定时发布的稿件", section=story.section, days_ago=-3 / SECONDS_A_DAY
    )
    assert "定时发布的稿件" not in page(client, HOME)[1]
    assert page(client, HOME)[0]["X-Page-Cache"] == "hit"
    time.sleep(max(0, (scheduled.publish_at - timezone.now()).total_seconds()) + 0.1)
    response, html = page(client, HOME)
    assert "定时发布的稿件" in html
    assert response["X-Page-Cache"] == "miss"


def test_scheduled_time_bounds_shared_max_age(client, story):
    make_article(title="稍后发布", days_ago=-5 / SECONDS_A_DAY)
    response = client.get(HOME)
    s_maxage = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < s_maxage <= 5


@pytest.mark.parametrize(
    "change",
    ["photo caption", "section name", "county name", "byline", "tag"],
)
def test_related_changes_invalidate_pages(client, story, change):
    photo = make_photo("原来的说明")
    story.cover_photo = photo
    story.save()
    url = story.get_absolute_url()
    page(client, url)
    if change == "photo caption":
        photo.caption = "新的图片说明"
        photo.save()
        expected = "新的图片说明"
    elif change == "section name":
        section = Section.objects.get(pk=story.section_id)
        section.name = "新的栏目名"
        section.save()
        expected = "新的栏目名"
    elif change == "county name":
        union = CountyUnion.objects.get(pk=story.county_union_id)
        union.short_name = "新县名"
        union.save()
        expected = "新县名"
    elif change == "byline":
        ArticleAuthor.objects.create(
            article=story, author=make_author("新作者"), position=5
        )
        expected = "新作者"
    else:
        story.tags.add("新标签")
        expected = "新标签"
    assert expected in page(client, url)[1]


def test_staff_always_get_fresh_pages_never_stored(client, story, editor):
    url = story.get_absolute_url()
    page(client, url)
    # A change that sends no signal: only a fresh render can show it.
    Article.objects.filter(pk=story.pk).update(title="只有新鲜页面才有的标题")
    assert "只有新鲜页面才有的标题" not in page(client, url)[1]
    client.force_login(editor)
    response, html = page(client, url)
    assert "只有新鲜页面才有的标题" in html
    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_staff_preview_of_a_draft_is_never_served_to_readers(client, editor, db):
    draft = make_article(title="未发布的草稿", status=Article.Status.DRAFT)
    client.force_login(editor)
    assert "未发布的草稿" in page(client, draft.get_absolute_url())[1]
    client.logout()
    client.cookies.clear()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_unknown_query_parameters_bypass_the_cache(client, story):
    response = client.get(story.get_absolute_url() + "?utm_source=x")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_not_found_is_not_cached(client, db):
    response = client.get("/articles/no-such-story/")
    assert response.status_code == 404
    assert "X-Page-Cache" not in response


def test_page_cache_can_be_turned_off(client, story, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(HOME)
    assert "X-Page-Cache" not in client.get(HOME)


def test_pages_render_when_the_cache_is_down(client, story):
    dead = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:8697/0",
        }
    }
    with override_settings(CACHES=dead):
        story.title = "缓存宕机时的标题"
        story.save()
        response, html = page(client, story.get_absolute_url())
    assert response.status_code == 200
    assert "缓存宕机时的标题" in html


# The same through the editors' workflow verbs (issue 3).


def test_publish_verb_shows_on_cached_pages(client, story, editor):
    draft = make_article(
        title="审核后发布的稿件", section=story.section, status=Article.Status.REVIEW
    )
    assert "审核后发布的稿件" not in page(client, HOME)[1]
    draft.publish(by=editor)
    assert "审核后发布的稿件" in page(client, HOME)[1]
    assert "审核后发布的稿件" in page(client, story.section.get_absolute_url())[1]


def test_withdraw_verb_removes_article_from_cached_pages(client, story, editor):
    assert "缓存测试稿件" in page(client, HOME)[1]
    assert client.get(story.get_absolute_url()).status_code == 200
    story.withdraw(by=editor, comment="撤稿")
    assert "缓存测试稿件" not in page(client, HOME)[1]
    assert client.get(story.get_absolute_url()).status_code == 410


def test_scheduled_by_verb_appears_when_due(client, story, editor):
    draft = make_article(
        title="定时发布动词", section=story.section, status=Article.Status.REVIEW
    )
    draft.publish(by=editor, at=timezone.now() + timedelta(seconds=3))
    assert "定时发布动词" not in page(client, HOME)[1]
    time.sleep(max(0, (draft.publish_at - timezone.now()).total_seconds()) + 0.1)
    assert "定时发布动词" in page(client, HOME)[1]


def test_another_servers_change_shows_within_the_local_interval(
    client, story, settings
):
    settings.PAGE_CACHE_LOCAL_SECONDS = 0.5
    url = story.get_absolute_url()
    page(client, url)
    assert page(client, url)[0]["X-Page-Cache"] == "hit"
    # Another app server changed content: only the shared cache knows.
    Article.objects.filter(pk=story.pk).update(title="另一台服务器改的标题")
    cache.set(pagecache.GENERATION_KEY, ("other-server", None), None)
    time.sleep(0.6)
    response, html = page(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert "另一台服务器改的标题" in html


def _hold_refresh(url):
    """Pretend another request is re-rendering url right now."""
    from django.test import RequestFactory

    key = pagecache.page_key(RequestFactory().get(url))
    assert cache.add(key + pagecache.REFRESH_SUFFIX, 1, 10)
    return key + pagecache.REFRESH_SUFFIX


def test_stale_page_while_another_request_renders_the_new_one(client, story):
    url = story.get_absolute_url()
    page(client, url)
    story.title = "改过的标题"
    story.save()
    claim = _hold_refresh(url)
    response, html = page(client, url)
    assert response["X-Page-Cache"] == "stale"
    assert "缓存测试稿件" in html
    assert "s-maxage=0" in response["Cache-Control"]  # no proxy keeps it
    cache.delete(claim)
    response, html = page(client, url)
    assert response["X-Page-Cache"] == "miss"
    assert "改过的标题" in html
    assert cache.get(claim) is None  # the renderer let go of its claim


def test_withdrawn_article_is_never_served_stale(client, story):
    url = story.get_absolute_url()
    page(client, url)
    story.status = Article.Status.WITHDRAWN
    story.save()
    assert client.get(url).status_code == 410
    # The old 200 page went with the render that found the 410.
    _hold_refresh(url)
    assert client.get(url).status_code == 410


def test_last_good_page_when_the_new_one_cannot_be_rendered(client, story, monkeypatch):
    from django.db import OperationalError

    from articles.views import ArticleDetailView

    url = story.get_absolute_url()
    page(client, url)
    story.title = "数据库断开前的修改"
    story.save()

    def database_down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ArticleDetailView, "get", database_down)
    client.raise_request_exception = False
    response, html = page(client, url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "stale"
    assert "缓存测试稿件" in html
    monkeypatch.undo()
    response, html = page(client, url)
    assert "数据库断开前的修改" in html


def bumps_counted(monkeypatch):
    """A list that grows by one for every new page-cache generation."""
    made = []
    real = pagecache.new_generation
    monkeypatch.setattr(pagecache, "new_generation", lambda: made.append(1) or real())
    return made


def test_a_workflow_step_starts_one_generation(db, monkeypatch):
    article = make_article(status=Article.Status.REVIEW)
    editor = make_staff("editor")
    made = bumps_counted(monkeypatch)
    article.publish(editor)
    # The article's save, its transition and its revision share one bump
    # (its on-commit twin waits for the test's transaction, which never
    # commits).
    assert len(made) == 1


def test_bulk_writers_derive_and_bump_with_one_call(db, monkeypatch):
    article = make_article(status=Article.Status.PUBLISHED, days_ago=1)
    Article.objects.filter(pk=article.pk).update(body="<p>批量写入的新正文。</p>")
    made = bumps_counted(monkeypatch)
    Article.objects.filter(pk=article.pk).refresh_derived()
    article.refresh_from_db()
    assert article.excerpt.startswith("批量写入的新正文")
    assert len(made) == 1
