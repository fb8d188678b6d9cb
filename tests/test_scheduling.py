"""Scheduled publishing: readers' queries decide, no command runs in between.

Home, section and county pages and their feeds are checked."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from serving import pagecache
from tests.factories import county, make_article, make_section, make_staff
from tests.workflow_helpers import transition


@pytest.fixture
def scheduled(client, db):
    """A story an editor scheduled through the admin for two hours from now."""
    section = make_section(name="基层动态")
    article = make_article(
        title="阜宁县职工技能大赛开幕",
        status=Article.Status.REVIEW,
        days_ago=None,
        section=section,
        county_union=county("funing"),
    )
    editor = make_staff("editor")
    client.force_login(editor)
    at = timezone.localtime() + timedelta(hours=2)
    transition(client, article, "publish", publish_at=at.strftime("%Y-%m-%dT%H:%M"))
    client.logout()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_scheduled is True
    return article


def reader_pages(article):
    return [
        reverse("articles:home"),
        article.section.get_absolute_url(),
        article.county_union.get_absolute_url(),
        reverse("articles:feed"),
        reverse("articles:section-feed", args=[article.section.slug]),
        reverse("articles:county-feed", args=[article.county_union.slug]),
    ]


def arrive(article):
    """Travel to just after the publish time by moving the time, not the clock."""
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - timedelta(seconds=1)
    )
    # update() sends no signal, and the page cache rolls over on the real
    # clock (tests/test_page_cache.py waits for it); moving the publish time
    # instead is a content change the cache must be told about.
    pagecache.bump()


def test_scheduled_article_is_absent_before_and_present_after(client, scheduled):
    for url in reader_pages(scheduled):
        assert scheduled.title not in client.get(url).content.decode(), url
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    arrive(scheduled)
    for url in reader_pages(scheduled):
        assert scheduled.title in client.get(url).content.decode(), url
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_schedule_shows_on_the_article_admin_page_and_desk(client, scheduled):
    client.force_login(make_staff("editor"))
    page = client.get(reverse("admin:articles_article_change", args=[scheduled.pk]))
    assert "定时发布" in page.content.decode()
    desk = client.get(reverse("admin:index"))
    assert list(desk.context["scheduled"]) == [scheduled]


def test_scheduled_transition_is_recorded_as_such(scheduled):
    assert scheduled.transitions.get().get_action_display() == "定时发布"


def test_withdrawn_article_answers_410_with_a_note(client, db):
    article = make_article(title="撤下的稿件")
    article.withdraw(by=make_staff("editor"), comment="数字有误")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    page = response.content.decode()
    assert "稿件已撤下" in page
    assert "撤下的稿件" not in page


def test_staff_preview_of_a_draft_has_a_banner_readers_get_404(client, db):
    article = make_article(
        status=Article.Status.DRAFT, days_ago=None, county_union=county("binhai")
    )
    assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(make_staff("correspondent", union=county("binhai")))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "预览" in response.content.decode()


def test_correspondent_cannot_preview_another_countys_draft(client, db):
    article = make_article(
        status=Article.Status.DRAFT, days_ago=None, county_union=county("binhai")
    )
    client.force_login(make_staff("correspondent", union=county("xiangshui")))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_changelist_marks_scheduled_stories(client, scheduled):
    client.force_login(make_staff("editor"))
    response = client.get(reverse("admin:articles_article_changelist"))
    assert "定时发布" in response.content.decode()


def test_a_published_queryset_reads_the_time_when_it_runs(db):
    """published() compares with the time each query runs, not the time the
    queryset was built: the reader module builds its querysets once per
    process (articles/reader.py), and a scheduled story must still appear
    when its time comes, without anything rebuilding them."""
    import time

    article = make_article(days_ago=None)
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() + timedelta(seconds=1),
    )
    rows = Article.objects.published()
    assert not rows.filter(pk=article.pk).exists()
    time.sleep(1.2)
    assert rows.filter(pk=article.pk).exists()


def test_an_article_page_appears_when_its_time_comes_by_the_real_clock(
    client, db, settings
):
    """The readers' article-page query is built once; the page still turns
    up on the real clock, with nothing but time passing."""
    import time

    settings.PAGE_CACHE_SECONDS = 0
    make_article(title="早已发布的稿件")
    client.get(make_article(title="预热").get_absolute_url())  # builds the query
    article = make_article(days_ago=None, title="一秒后发布的稿件")
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() + timedelta(seconds=1),
    )
    assert client.get(article.get_absolute_url()).status_code == 404
    time.sleep(1.2)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "一秒后发布的稿件" in response.content.decode()
