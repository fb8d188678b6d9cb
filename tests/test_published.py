"""The published() rule: what a reader may see, on every public page."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import county, make_article, make_author, make_section

HIDDEN = {
    "draft": dict(status=Article.Status.DRAFT),
    "review": dict(status=Article.Status.REVIEW),
    "withdrawn": dict(status=Article.Status.WITHDRAWN),
    "scheduled": dict(status=Article.Status.PUBLISHED, days_ago=-1),
    "no publish time": dict(status=Article.Status.PUBLISHED, days_ago=None),
}


@pytest.mark.parametrize("state", list(HIDDEN))
def test_hidden_article_is_not_published(db, state):
    article = make_article(**HIDDEN[state])
    assert Article.objects.published().filter(pk=article.pk).exists() is False
    assert article.is_published is False


def test_published_article_is_published(db):
    article = make_article()
    assert Article.objects.published().filter(pk=article.pk).exists() is True
    assert article.is_published is True


@pytest.mark.parametrize("state", list(HIDDEN) + ["published"])
def test_queryset_and_property_agree(db, state):
    article = make_article(**HIDDEN.get(state, {}))
    in_queryset = Article.objects.published().filter(pk=article.pk).exists()
    assert in_queryset is article.is_published


@pytest.mark.parametrize("state", list(HIDDEN))
def test_hidden_article_appears_on_no_public_page(client, db, state):
    section = make_section(name="新闻速递")
    author = make_author("隐身作者")
    union = county("binhai")
    hidden = make_article(
        title="不应出现的稿件",
        section=section,
        county_union=union,
        authors=[author],
        tags=["秘密"],
        **HIDDEN[state],
    )
    visible = make_article(
        title="公开稿件",
        section=section,
        county_union=union,
        authors=[author],
        tags=["秘密"],
    )
    pages = [
        reverse("articles:home"),
        section.get_absolute_url(),
        union.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:tag", args=["秘密"]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert visible.title in html, url
        assert hidden.title not in html, url
    # A withdrawn story's address says it is gone (410) rather than unknown.
    expected = 410 if state == "withdrawn" else 404
    assert client.get(hidden.get_absolute_url()).status_code == expected


def test_staff_can_preview_a_draft_with_banner(admin_client, db):
    draft = make_article(status=Article.Status.DRAFT, days_ago=None)
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "预览" in response.content.decode()
