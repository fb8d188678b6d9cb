"""Bylines, tags, excerpts and photo credits copied onto the rows stay true.

Reader pages print these copies instead of joining (issue 8), so every way
an editor changes the originals must update them: the admin forms, renames,
revision restores, and the bulk paths that bypass save().
"""

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, ArticleAuthor, Photo, PhotoCredit
from tests.factories import make_article, make_author, make_photo, make_staff
from tests.workflow_helpers import change_url, form_data, posted_data


def copies(article):
    fresh = Article.objects.get(pk=article.pk)
    return fresh.byline_entries, fresh.tag_entries, fresh.excerpt


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_admin_byline_order_and_tags_reach_the_copies_and_the_page(client, db):
    client.force_login(make_staff("editor"))
    first, second = make_author("刘静"), make_author("杨真真")
    article = make_article(authors=[first, second], tags=["劳模"])
    data = form_data(article, tags="安全生产, 集体协商")
    # Swap the byline order, as an editor dragging the inline rows would.
    data["bylines-0-position"], data["bylines-1-position"] = 1, 0
    # A live story: the edit reaches readers with 更新发布 (articles/pending.py).
    data["_publish_pending"] = "1"
    assert client.post(change_url(article), data).status_code == 302

    bylines, tags, _ = copies(article)
    assert bylines == [["杨真真", second.slug], ["刘静", first.slug]]
    assert [name for name, _slug, _id in tags] == ["安全生产", "集体协商"]
    client.logout()
    html = page(client, article)
    assert html.index("杨真真") < html.index("刘静")
    assert reverse("articles:tag", args=[Tag.objects.get(name="集体协商").slug]) in html
    assert "劳模" not in html


def test_removing_the_last_author_and_tag_empties_the_copies(db):
    author = make_author("王一")
    article = make_article(authors=[author], tags=["劳模"])
    ArticleAuthor.objects.filter(article=article).delete()
    article.tags.clear()
    assert copies(article)[:2] == ([], [])


def test_renaming_an_author_updates_bylines_and_photo_credits(client, db):
    author = make_author("秦西江")
    photo = make_photo(credits=[author])
    article = make_article(authors=[author], cover_photo=photo)
    author.name = "秦西河"
    author.save()
    assert copies(article)[0] == [["秦西河", author.slug]]
    assert Photo.objects.get(pk=photo.pk).credit_line == "秦西河 摄"
    assert "秦西江" not in page(client, article)


def test_renaming_a_tag_updates_the_articles_carrying_it(db):
    article = make_article(tags=["职工书屋"])
    tag = Tag.objects.get(name="职工书屋")
    tag.name = "职工之家"
    tag.save()
    assert copies(article)[1] == [["职工之家", tag.slug, tag.pk]]


def test_photo_credits_follow_the_admin_inline(admin_client, db):
    zhang, qin = make_author("张楠"), make_author("秦西江")
    photo = make_photo(credits=[zhang])
    entry = PhotoCredit.objects.get(photo=photo)
    data = {
        "caption": photo.caption,
        "alt_text": photo.alt_text,
        "credit_entries-TOTAL_FORMS": "2",
        "credit_entries-INITIAL_FORMS": "1",
        "credit_entries-0-id": entry.pk,
        "credit_entries-0-photo": photo.pk,
        "credit_entries-0-author": zhang.pk,
        "credit_entries-0-position": "1",
        "credit_entries-1-photo": photo.pk,
        "credit_entries-1-author": qin.pk,
        "credit_entries-1-position": "0",
    }
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Photo.objects.get(pk=photo.pk).credit_line == "秦西江 张楠 摄"


def test_saving_an_instance_loaded_before_a_byline_change_keeps_the_copy(db):
    article = make_article(authors=[make_author("甲")])
    loaded_earlier = Article.objects.get(pk=article.pk)
    ArticleAuthor.objects.create(article=article, author=make_author("乙"), position=1)
    loaded_earlier.title = "改过的标题"
    loaded_earlier.save()
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.title == "改过的标题"
    assert fresh.byline == "甲 乙"


def test_excerpt_follows_the_body_and_the_summary_wins(db):
    article = make_article(body="<p>" + "字" * 130 + "</p>", summary="")
    assert article.lead == "字" * 120 + "…"
    article.body = "<p>新的正文</p>"
    article.save(update_fields=["body"])
    assert Article.objects.get(pk=article.pk).lead == "新的正文"
    article.summary = "编辑写的摘要"
    article.save()
    assert Article.objects.get(pk=article.pk).lead == "编辑写的摘要"


def test_restoring_a_revision_restores_the_copies(client, db):
    client.force_login(make_staff("editor"))
    article = make_article(
        status=Article.Status.DRAFT, days_ago=None, authors=[make_author("张三")]
    )
    client.post(change_url(article), form_data(article, tags="劳模"))
    client.post(change_url(article), form_data(article, tags="安全生产"))
    older = Version.objects.get_for_object(article)[1]
    restore = reverse("admin:articles_article_revision", args=[article.pk, older.pk])
    assert client.post(restore, posted_data(client.get(restore))).status_code == 302
    bylines, tags, lead = copies(article)
    assert bylines == [["张三", article.bylines.get().author.slug]]
    assert [name for name, _slug, _id in tags] == ["劳模"]
    assert lead


def test_bulk_paths_write_the_same_copies_a_refresh_would(db):
    call_command("seed_synthetic", "--articles", "120", "--batch-size", "50")
    call_command(
        "import_bulletin",
        "seed/yancheng-union-bulletin-2024-02.md",
        "--publish",
        "--date",
        "2024-02-20",
    )

    def snapshot():
        articles = Article.objects.order_by("pk").values_list(
            "byline_json", "tags_json", "excerpt"
        )
        photos = Photo.objects.order_by("pk").values_list("credit_names", flat=True)
        return list(articles), list(photos)

    written = snapshot()
    assert any(byline != "[]" for byline, _tags, _excerpt in written[0])
    assert any(names for names in written[1])
    Article.objects.all().refresh_reader_fields()
    Photo.objects.all().refresh_credit_names()
    assert snapshot() == written


@pytest.mark.parametrize("deleted", ["article", "tag"])
def test_deleting_things_that_cascade_does_not_fail(db, deleted):
    article = make_article(
        status=Article.Status.DRAFT, authors=[make_author()], tags=["临时"]
    )
    if deleted == "article":
        article.delete()
        assert not Article.objects.filter(pk=article.pk).exists()
    else:
        Tag.objects.get(name="临时").delete()
        assert copies(article)[1] == []
