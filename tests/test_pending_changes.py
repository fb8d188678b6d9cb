"""Edits of live stories wait as a pending change until an editor presses 更新发布.

The admin forms are posted as a browser would post them (posted_data reads
the rendered form), so the pending form's inlines are exercised as well.
"""

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, ArticleAuthor, PendingChange
from serving import pagecache
from tests.factories import (
    county,
    make_article,
    make_author,
    make_photo,
    make_staff,
)
from tests.workflow_helpers import change_url, form_data, posted_data

LIVE_TITLE = "射阳县总工会开展职工技能竞赛"
LIVE_BODY = "<p>竞赛吸引了全县三百多名职工参加。</p>"
TEST_LINE = "编辑的测试句子，不该给读者看到。"


@pytest.fixture
def editor(db):
    return make_staff("editor", username="wangfang")


@pytest.fixture
def story(db):
    return make_article(
        title=LIVE_TITLE,
        body=LIVE_BODY,
        county_union=county("sheyang"),
        authors=[make_author("刘静"), make_author("杨真真")],
        tags=["技能竞赛"],
    )


@pytest.fixture
def reader():
    return Client()


def edit(client, article, **changes):
    """Open the change form, change fields, and post it as rendered."""
    data = posted_data(client.get(change_url(article)))
    data.update(changes)
    data.setdefault("_continue", "1")
    return client.post(change_url(article), data)


def pending_url(name, article):
    return reverse(f"admin:articles_article_pending_{name}", args=[article.pk])


def reader_sees(reader, url):
    return reader.get(url).content.decode()


def generation():
    return cache.get(pagecache.GENERATION_KEY)


def test_editing_a_live_story_leaves_readers_on_the_published_text(
    client, reader, editor, story
):
    page = reader_sees(reader, story.get_absolute_url())  # now in the page cache
    county_page = reader.get(county("sheyang").get_absolute_url()).content.decode()
    assert LIVE_TITLE in page and LIVE_TITLE in county_page
    before = generation()
    revisions = Version.objects.get_for_object(story).count()
    client.force_login(editor)

    response = edit(
        client,
        story,
        title="改过的标题",
        body=f"<p>{TEST_LINE}</p>",
    )

    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert len(shown) == 1 and "读者仍看到原来的内容" in shown[0]
    saved = Article.objects.get(pk=story.pk)
    assert (saved.title, saved.body) == (LIVE_TITLE, LIVE_BODY)
    assert saved.pending_change.fields["title"] == "改过的标题"
    assert generation() == before  # no new page-cache generation
    assert Version.objects.get_for_object(story).count() == revisions
    page = reader_sees(reader, story.get_absolute_url())
    assert TEST_LINE not in page and LIVE_TITLE in page
    county_page = reader.get(county("sheyang").get_absolute_url()).content.decode()
    assert "改过的标题" not in county_page
    feed = reader.get(reverse("articles:feed")).content.decode()
    assert LIVE_TITLE in feed and "改过的标题" not in feed
    found = reader.get(reverse("articles:search"), {"q": "测试句子"}).content.decode()
    assert TEST_LINE not in found
    assert story.get_absolute_url() not in found


def test_reopening_the_form_shows_the_pending_content_and_the_buttons(
    client, editor, story
):
    client.force_login(editor)
    edit(client, story, body=f"<p>{TEST_LINE}</p>", tags="技能竞赛，工匠")

    response = client.get(change_url(story))

    html = response.content.decode()
    assert "此稿件有未发布的修改" in html
    assert TEST_LINE in html
    assert 'name="_publish_pending"' in html and "更新发布" in html
    assert pending_url("discard", story) in html and "放弃修改" in html
    assert 'value="工匠，技能竞赛"' in html


def test_update_publish_applies_the_change_with_one_revision_and_one_bump(
    client, reader, editor, story, monkeypatch
):
    client.force_login(editor)
    edit(client, story, title="改过的标题", body=f"<p>{TEST_LINE}</p>")
    assert TEST_LINE not in reader_sees(reader, story.get_absolute_url())
    bumps = []
    real = pagecache.new_generation
    monkeypatch.setattr(
        pagecache, "new_generation", lambda: bumps.append(1) or real()
    )

    response = edit(client, story, _publish_pending="1")

    assert response.status_code == 302
    assert response["Location"] == change_url(story)
    assert len(bumps) == 1
    saved = Article.objects.get(pk=story.pk)
    assert (saved.title, saved.body) == ("改过的标题", f"<p>{TEST_LINE}</p>")
    assert PendingChange.objects.filter(article=story).exists() is False
    assert Version.objects.get_for_object(saved).first().revision.comment == "更新发布"
    page = reader_sees(reader, story.get_absolute_url())
    assert TEST_LINE in page and "改过的标题" in page


def test_update_publish_saves_what_was_typed_first(client, reader, editor, story):
    client.force_login(editor)

    edit(client, story, body=f"<p>{TEST_LINE}</p>", _publish_pending="1")

    assert TEST_LINE in reader_sees(reader, story.get_absolute_url())


def test_bylines_tags_and_gallery_wait_for_update_publish(client, editor, story):
    photo = make_photo("技能竞赛现场")
    client.force_login(editor)
    data = posted_data(client.get(change_url(story)))
    # Swap the two bylines, change the tags, add a gallery photo.
    data["bylines-0-position"], data["bylines-1-position"] = "2", "1"
    data["tags"] = "工匠"
    data["gallery-0-photo"] = str(photo.pk)
    data["_continue"] = "1"
    assert client.post(change_url(story), data).status_code == 302

    live = Article.objects.get(pk=story.pk)
    assert live.byline == "刘静 杨真真"
    assert list(live.tags.names()) == ["技能竞赛"]
    assert live.gallery.exists() is False
    reopened = client.get(change_url(story)).content.decode()
    assert "技能竞赛现场" in reopened  # the gallery row shows the pending photo

    edit(client, story, _publish_pending="1")

    live = Article.objects.get(pk=story.pk)
    assert live.byline == "杨真真 刘静"
    assert list(live.tags.names()) == ["工匠"]
    assert [entry.photo_id for entry in live.gallery.all()] == [photo.pk]


def test_discard_asks_first_then_drops_the_change(client, reader, editor, story):
    client.force_login(editor)
    edit(client, story, body=f"<p>{TEST_LINE}</p>")

    confirm = client.get(pending_url("discard", story))
    assert confirm.status_code == 200
    assert "确定放弃" in confirm.content.decode()
    assert PendingChange.objects.filter(article=story).exists() is True

    response = client.post(pending_url("discard", story))

    assert response.status_code == 302
    assert PendingChange.objects.filter(article=story).exists() is False
    reopened = client.get(change_url(story)).content.decode()
    assert TEST_LINE not in reopened and "此稿件有未发布的修改" not in reopened
    assert Article.objects.get(pk=story.pk).body == LIVE_BODY


def test_compare_shows_live_beside_pending(client, editor, story):
    client.force_login(editor)
    edit(client, story, title="改过的标题")

    response = client.get(pending_url("compare", story))

    assert response.status_code == 200
    rows = {row.label: row for row in response.context["rows"]}
    assert (rows["标题"].old, rows["标题"].new) == (LIVE_TITLE, "改过的标题")
    assert rows["标题"].changed is True
    assert rows["正文"].changed is False
    html = response.content.decode()
    assert "线上版本" in html and "<ins>" in html


def test_staff_preview_shows_the_pending_version_and_is_not_cached(
    client, editor, story
):
    client.force_login(editor)
    edit(client, story, title="改过的标题", body=f"<p>{TEST_LINE}</p>")

    response = client.get(pending_url("preview", story))

    html = response.content.decode()
    assert response.status_code == 200
    assert "改过的标题" in html and TEST_LINE in html
    assert "未发布的修改" in html
    assert "no-store" in response["Cache-Control"]


def test_a_second_editor_is_refused_over_a_newer_pending_change(
    client, editor, story
):
    other = make_staff("editor", username="liujing")
    client.force_login(other)
    stale = posted_data(client.get(change_url(story)))
    client.force_login(editor)
    edit(client, story, title="王芳的标题")

    client.force_login(other)
    stale.update(body=f"<p>{TEST_LINE}</p>", _continue="1")
    response = client.post(change_url(story), stale)

    assert response.status_code == 200
    html = response.content.decode()
    assert "保存被拒绝" in html and "wangfang" in html
    assert TEST_LINE in html  # the refused text is still in the form
    assert PendingChange.objects.get(article=story).fields["title"] == "王芳的标题"


def test_saving_a_live_story_unchanged_keeps_no_pending_change(
    client, editor, story
):
    client.force_login(editor)

    assert edit(client, story).status_code == 302

    assert PendingChange.objects.filter(article=story).exists() is False


def test_update_publish_with_nothing_changed_says_so_without_an_error(
    client, editor, story
):
    client.force_login(editor)

    response = edit(client, story, _publish_pending="1")

    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown == ["与已发布的内容相同，没有未发布的修改。"]
    assert Version.objects.get_for_object(story).exists() is False


def test_a_scheduled_story_not_yet_live_is_edited_directly(client, editor, db):
    scheduled = make_article(title="定时稿件", days_ago=-1)
    client.force_login(editor)

    edit(client, scheduled, title="改过的定时稿件")

    assert Article.objects.get(pk=scheduled.pk).title == "改过的定时稿件"
    assert PendingChange.objects.filter(article=scheduled).exists() is False


def test_the_desk_and_the_list_show_stories_with_pending_changes(
    client, editor, story
):
    other = make_article(title="另一篇已发布稿件")
    client.force_login(editor)
    edit(client, story, title="改过的标题")

    desk = client.get(reverse("admin:index"))
    assert [change.article_id for change in desk.context["pending_changes"]] == [
        story.pk
    ]
    listed = client.get(reverse("admin:articles_article_changelist"), {"pending": "1"})
    shown = [article.pk for article in listed.context["cl"].result_list]
    assert shown == [story.pk] and other.pk not in shown
    assert "有未发布的修改" in listed.content.decode()


@pytest.mark.parametrize(
    "attempt",
    ["save", "publish", "discard", "compare", "preview"],
)
def test_a_correspondent_cannot_touch_a_live_story(client, story, attempt):
    correspondent = make_staff("correspondent", union=county("sheyang"))
    editor = make_staff("editor")
    client.force_login(editor)
    edit(client, story, title="编辑的修改")
    client.force_login(correspondent)
    data = form_data(story, title="通讯员的修改")

    if attempt in {"save", "publish"}:
        if attempt == "publish":
            data["_publish_pending"] = "1"
        response = client.post(change_url(story), data)
    else:
        response = client.post(pending_url(attempt, story))

    assert response.status_code == 403
    saved = Article.objects.get(pk=story.pk)
    assert saved.title == LIVE_TITLE
    assert PendingChange.objects.get(article=story).fields["title"] == "编辑的修改"


def test_an_author_removed_meanwhile_is_left_out_when_publishing(
    client, editor, story
):
    newcomer = make_author("李晓")
    client.force_login(editor)
    data = posted_data(client.get(change_url(story)))
    data["bylines-2-author"] = str(newcomer.pk)
    data["bylines-2-position"] = "3"
    data["_continue"] = "1"
    client.post(change_url(story), data)
    assert PendingChange.objects.get(article=story).byline_ids[-1] == newcomer.pk
    newcomer.delete()

    edit(client, story, _publish_pending="1")

    assert ArticleAuthor.objects.filter(article=story).count() == 2
    assert Article.objects.get(pk=story.pk).byline == "刘静 杨真真"


def test_a_withdrawn_story_keeps_its_pending_change_in_the_form(
    client, editor, story
):
    client.force_login(editor)
    edit(client, story, body=f"<p>{TEST_LINE}</p>")
    story.withdraw(editor)

    reopened = client.get(change_url(story)).content.decode()

    assert "此稿件有未发布的修改" in reopened and TEST_LINE in reopened
    edit(client, story, title="撤稿后改的标题")
    saved = Article.objects.get(pk=story.pk)
    assert saved.title == LIVE_TITLE
    assert saved.pending_change.fields["title"] == "撤稿后改的标题"
