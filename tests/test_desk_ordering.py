"""Bylines, gallery and credits in the order editors set."""

from django.urls import reverse
from reversion.models import Version

from articles.models import Article, ArticleAuthor, ArticlePhoto, PhotoCredit
from articles.revisions import _bylines, version_snapshot
from tests.factories import make_article, make_author, make_photo, make_staff
from tests.workflow_helpers import change_url, form_data


def positions(article):
    return list(
        ArticleAuthor.objects.filter(article=article)
        .order_by("position", "pk")
        .values_list("author__name", "position")
    )


def test_new_rows_go_to_the_end_not_to_zero(db):
    article = make_article()
    photo = make_photo()
    for name in ["甲", "乙", "丙"]:
        ArticleAuthor.objects.create(article=article, author=make_author(name))
        PhotoCredit.objects.create(photo=photo, author=make_author(name))
    ArticlePhoto.objects.create(article=article, photo=photo)
    assert [p for _n, p in positions(article)] == [1, 2, 3]
    assert Article.objects.get(pk=article.pk).byline == "甲 乙 丙"
    assert list(photo.credit_entries.values_list("position", flat=True)) == [1, 2, 3]
    assert article.gallery.get().position == 1


def test_admin_save_renumbers_in_the_order_posted(client, db):
    client.force_login(make_staff("editor"))
    a, b, c = make_author("甲"), make_author("乙"), make_author("丙")
    article = make_article(status=Article.Status.DRAFT, authors=[a, b, c])
    data = form_data(article)
    # Dragged: 丙 first, then 甲, 乙; a tie (two at 5) keeps the page order.
    data["bylines-0-position"], data["bylines-1-position"] = 5, 5
    data["bylines-2-position"] = 2
    assert client.post(change_url(article), data).status_code == 302
    assert positions(article) == [("丙", 1), ("甲", 2), ("乙", 3)]
    assert Article.objects.get(pk=article.pk).byline == "丙 甲 乙"


def test_a_row_added_without_a_position_goes_last(client, db):
    client.force_login(make_staff("editor"))
    a, b, new = make_author("甲"), make_author("乙"), make_author("丁")
    article = make_article(status=Article.Status.DRAFT, authors=[a, b])
    data = form_data(article)
    data.update(
        {"bylines-TOTAL_FORMS": "3", "bylines-2-position": "",
         "bylines-2-author": new.pk, "bylines-2-article": article.pk}
    )  # fmt: skip
    assert client.post(change_url(article), data).status_code == 302
    assert positions(article) == [("甲", 1), ("乙", 2), ("丁", 3)]


def test_deleting_a_row_closes_the_gap(client, db):
    client.force_login(make_staff("editor"))
    a, b, c = make_author("甲"), make_author("乙"), make_author("丙")
    article = make_article(status=Article.Status.DRAFT, authors=[a, b, c])
    data = form_data(article, **{"bylines-0-DELETE": "on"})
    assert client.post(change_url(article), data).status_code == 302
    assert positions(article) == [("乙", 1), ("丙", 2)]


def test_equal_positions_print_in_one_order_everywhere(client, db):
    """Rows left at one position (older data) read by row everywhere."""
    client.force_login(make_staff("editor"))
    first, second = make_author("刘静"), make_author("杨真真")
    article = make_article(status=Article.Status.DRAFT)
    for author in [first, second]:
        ArticleAuthor.objects.create(article=article, author=author, position=0)
    ArticleAuthor.objects.filter(article=article).update(position=0)
    Article.objects.filter(pk=article.pk).refresh_reader_fields()
    assert Article.objects.get(pk=article.pk).byline == "刘静 杨真真"
    client.post(change_url(article), form_data(article))
    version = Version.objects.get_for_object(article).first()
    assert _bylines(version_snapshot(version).byline_ids) == "刘静 杨真真"
    history = reverse("admin:articles_article_history", args=[article.pk])
    assert client.get(history).status_code == 200
