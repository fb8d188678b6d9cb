"""The admin article list at any size: pages, rows and queries (issue 22)."""

import pytest

from articles.admin import ArticleAdmin
from articles.models import Article
from articles.pagination import DeferredJoinPaginator
from tests.factories import make_article, make_author, make_user

CHANGELIST = "/admin/articles/article/"


def newest_first():
    return Article.objects.order_by("-publish_at", "-pk")


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_deferred_join_pages_hold_the_same_rows_as_offset_pages(db, number):
    for days_ago in [3, 1, 1, 2, None, 5, 1, 4, None, 2]:
        make_article(days_ago=days_ago)
    plain = [a.pk for a in newest_first()[(number - 1) * 3 : number * 3]]
    page = DeferredJoinPaginator(newest_first(), 3).page(number)
    assert [a.pk for a in page.object_list] == plain


def test_a_deep_admin_page_lists_its_rows_in_order(client, db, monkeypatch):
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    for days_ago in range(1, 8):
        make_article(title=f"第{days_ago}天前", days_ago=days_ago)
    client.force_login(make_user(superuser=True))
    response = client.get(CHANGELIST, {"p": 3})
    assert [a.title for a in response.context["cl"].result_list] == [
        "第5天前",
        "第6天前",
    ]


def test_a_deep_admin_page_keeps_filters_and_search(client, db, monkeypatch):
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    qin = make_author("秦西江")
    for days_ago in range(1, 6):
        make_article(title=f"劳模座谈{days_ago}", days_ago=days_ago, authors=[qin])
        make_article(title=f"别的稿件{days_ago}", days_ago=days_ago)
    client.force_login(make_user(superuser=True))
    response = client.get(CHANGELIST, {"p": 2, "q": "秦西江"})
    assert [a.title for a in response.context["cl"].result_list] == [
        "劳模座谈3",
        "劳模座谈4",
    ]
    response = client.get(CHANGELIST, {"p": 3, "author": "秦西江"})
    assert [a.title for a in response.context["cl"].result_list] == ["劳模座谈5"]
