"""Every admin save keeps a revision; editors compare and restore them."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, ArticleAuthor
from tests.factories import county, make_article, make_author, make_staff
from tests.workflow_helpers import change_url, form_data, posted_data


@pytest.fixture
def edited(client, db):
    """An article saved twice through the admin by an editor.

    The first save has the original text and bylines 刘静, 杨真真; the second
    a changed body and the bylines swapped.
    """
    editor = make_staff("editor")
    client.force_login(editor)
    first, second = make_author("刘静"), make_author("杨真真")
    article = make_article(
        status=Article.Status.DRAFT,
        days_ago=None,
        county_union=county("binhai"),
        authors=[first, second],
        body="<p>滨海县总工会召开职工代表大会。</p>",
    )
    client.post(change_url(article), form_data(article))
    data = form_data(article, body="<p>滨海县总工会召开第五届职工代表大会。</p>")
    data["bylines-0-position"], data["bylines-1-position"] = 1, 0
    assert client.post(change_url(article), data).status_code == 302
    versions = list(Version.objects.get_for_object(article))
    assert len(versions) == 2
    return article, versions[1], versions[0]  # article, older, newer


def byline(article):
    return [
        entry.author.name
        for entry in ArticleAuthor.objects.filter(article=article).order_by("position")
    ]


def test_each_admin_save_keeps_a_revision_with_bylines(edited):
    article, older, newer = edited
    assert byline(article) == ["杨真真", "刘静"]
    assert older.revision.user.has_perm("articles.publish_article") is True
    saved_bylines = older.revision.version_set.filter(
        content_type__model="articleauthor"
    )
    assert saved_bylines.count() == 2


def test_editor_compares_two_revisions_side_by_side(client, edited):
    article, older, newer = edited
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert 'name="from"' in history.content.decode()
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = client.get(url, {"from": newer.pk, "to": older.pk})  # either order
    assert response.status_code == 200
    rows = {str(row.label): row for row in response.context["rows"]}
    assert rows["正文"].changed is True
    assert "<ins>第五届</ins>" in rows["正文"].new_html
    assert rows["署名"].old == "刘静 杨真真"
    assert rows["署名"].new == "杨真真 刘静"
    assert rows["标题"].changed is False
    assert "<ins>第五届</ins>" in response.content.decode()


def test_compare_with_a_foreign_version_is_refused_politely(client, edited):
    article, older, _newer = edited
    other = make_article()
    url = reverse("admin:articles_article_compare", args=[other.pk])
    response = client.get(url, {"from": older.pk, "to": older.pk}, follow=True)
    assert "请选择这篇稿件的两个历史版本" in response.content.decode()


def test_editor_restores_an_earlier_revision_keeping_the_workflow_state(client, edited):
    article, older, _newer = edited
    article.refresh_from_db()
    article.publish(by=make_staff("editor"))  # published after the edits
    url = reverse("admin:articles_article_revision", args=[article.pk, older.pk])
    preview = client.get(url)
    assert preview.status_code == 200
    assert "滨海县总工会召开职工代表大会。" in preview.content.decode()
    # Viewing an old version changes nothing.
    assert "第五届" in Article.objects.get(pk=article.pk).body

    response = client.post(url, posted_data(preview))
    assert response.status_code == 302, response.content.decode()[:3000]
    restored = Article.objects.get(pk=article.pk)
    assert restored.body == "<p>滨海县总工会召开职工代表大会。</p>"
    assert byline(article) == ["刘静", "杨真真"]
    assert restored.status == Article.Status.PUBLISHED
    assert restored.is_published is True
    assert Version.objects.get_for_object(article).count() == 4  # + publish, restore


@pytest.mark.parametrize("view", ["compare", "revision"])
def test_correspondent_can_neither_compare_nor_restore(client, edited, view):
    article, older, newer = edited
    client.force_login(make_staff("correspondent", union=county("binhai")))
    if view == "compare":
        url = reverse("admin:articles_article_compare", args=[article.pk])
        response = client.get(url, {"from": older.pk, "to": newer.pk})
    else:
        url = reverse("admin:articles_article_revision", args=[article.pk, older.pk])
        response = client.post(url, {"title": "x"})
    assert response.status_code == 403
    assert "第五届" in Article.objects.get(pk=article.pk).body


def test_correspondent_history_offers_no_version_links_that_answer_403(client, edited):
    """The history lists saves by name; opening one (restoring) is for editors."""
    article, older, newer = edited
    client.force_login(make_staff("correspondent", union=county("binhai")))
    history = reverse("admin:articles_article_history", args=[article.pk])
    page = client.get(history)
    assert page.status_code == 200
    html = page.content.decode()
    revision = reverse("admin:articles_article_revision", args=[article.pk, older.pk])
    assert revision not in html
    assert 'id="change-history"' in html
    editor = older.revision.user
    editor.author.name = "编辑甲"
    editor.author.save()
    html = client.get(history).content.decode()
    assert "编辑甲" in html


def test_revisions_keep_tags_and_restoring_brings_them_back(client, db):
    client.force_login(make_staff("editor"))
    article = make_article(status=Article.Status.DRAFT, days_ago=None, tags=["劳模"])
    client.post(change_url(article), form_data(article))
    assert (
        client.post(
            change_url(article), form_data(article, tags="安全生产")
        ).status_code
        == 302
    )
    assert list(article.tags.names()) == ["安全生产"]
    newer, older = Version.objects.get_for_object(article)[:2]

    url = reverse("admin:articles_article_compare", args=[article.pk])
    rows = {
        str(row.label): row
        for row in client.get(url, {"from": older.pk, "to": newer.pk}).context["rows"]
    }
    assert (rows["标签"].old, rows["标签"].new) == ("劳模", "安全生产")

    restore = reverse("admin:articles_article_revision", args=[article.pk, older.pk])
    preview = client.get(restore)
    assert list(article.tags.names()) == ["安全生产"]  # looking changes nothing
    assert client.post(restore, posted_data(preview)).status_code == 302
    assert list(Article.objects.get(pk=article.pk).tags.names()) == ["劳模"]
