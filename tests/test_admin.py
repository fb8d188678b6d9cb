"""The admin loads for a superuser and edits articles with ordered bylines."""

import pytest
from django.urls import reverse

from articles.models import Article, Author, Photo, Section
from counties.models import CountyUnion

MODELS = [Article, Author, Photo, Section, CountyUnion]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_and_add_pages_load(admin_client, seeded, model):
    meta = model._meta
    for view in ["changelist", "add"]:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}")
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_change_page_loads(admin_client, seeded, model):
    meta = model._meta
    obj = model.objects.first()
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    assert admin_client.get(url).status_code == 200


def test_article_changelist_filters(admin_client, seeded):
    url = reverse("admin:articles_article_changelist")
    binhai = CountyUnion.objects.get(slug="binhai")
    response = admin_client.get(url, {"county_union__id__exact": binhai.pk})
    titles = [article.title for article in response.context["cl"].result_list]
    assert titles == ["滨海县开展“双维”集体协商"]


def test_photo_changelist_filters_awaiting_originals(admin_client, seeded):
    url = reverse("admin:articles_photo_changelist")
    response = admin_client.get(url, {"awaiting_original__exact": "1"})
    assert response.context["cl"].result_count == 4


def test_article_editor_is_bundled_tinymce_in_chinese(admin_client, seeded):
    article = Article.objects.first()
    url = reverse("admin:articles_article_change", args=[article.pk])
    html = admin_client.get(url).content.decode()
    assert "/static/tinymce/tinymce.min.js" in html
    assert "zh_CN" in html


def test_admin_saves_body_sanitized_with_ordered_authors(admin_client, db):
    section = Section.objects.create(name="新闻速递")
    first, second = (
        Author.objects.create(name="刘静"),
        Author.objects.create(name="杨真真"),
    )
    data = {
        "title": "后台新建的稿件",
        "section": section.pk,
        "dateline": "本刊讯",
        "summary": "",
        "body": '<p>正文<img src=x onerror="alert(1)"></p><script>alert(2)</script>',
        "tags": "工会, 集体协商",
        "status": "draft",
        "slug": "",
        "bylines-TOTAL_FORMS": "2",
        "bylines-INITIAL_FORMS": "0",
        "bylines-0-position": "1",
        "bylines-0-author": second.pk,
        "bylines-1-position": "0",
        "bylines-1-author": first.pk,
        "gallery-TOTAL_FORMS": "0",
        "gallery-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.for_listing().get(title="后台新建的稿件")
    assert article.byline == "刘静 杨真真"
    assert "script" not in article.body and "onerror" not in article.body
    assert sorted(article.tags.names()) == ["工会", "集体协商"]
    assert article.created_by.is_superuser is True
