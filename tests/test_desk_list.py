"""The admin article list at any size: pages, rows and queries (issue 22)."""

import pytest
from django.contrib.admin.templatetags import admin_list

from articles.admin import ArticleAdmin
from articles.models import Article, PendingChange
from articles.pagination import DeferredJoinPaginator
from articles.templatetags.desk_list import desk_result_list
from tests.factories import county, make_article, make_author, make_staff, make_user

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


@pytest.fixture
def desk(db):
    editor = make_staff("editor", username="zhoubian")
    writer = make_staff("correspondent", union=county("xiangshui"), username="wangfang")
    return {"editor": editor, "writer": writer}


def varied_articles(desk):
    """One story of every kind a row can show."""
    make_article(title='<b>粗体</b> & "引号"', authors=[make_author("秦西江")])
    make_article(title="没有县", county_union=None)
    make_article(title="有县无署名", county_union=county("binhai"))
    make_article(title="定时", days_ago=-2)
    make_article(title="撤稿", status=Article.Status.WITHDRAWN)
    make_article(title="草稿", status=Article.Status.DRAFT, days_ago=None)
    returned = make_article(
        title="退回",
        status=Article.Status.DRAFT,
        days_ago=None,
        county_union=county("xiangshui"),
        created_by=desk["writer"],
    )
    returned.submit(by=desk["writer"])
    returned.return_to_writer(by=desk["editor"], comment="请补充。")
    live = make_article(title="有未发布的修改")
    PendingChange.objects.create(article=live, updated_by=desk["editor"])


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "秦西江"}, {"status__exact": "draft"}, {"o": "-2"}, {"pending": "1"}],
)
def test_rows_written_in_one_pass_match_the_stock_rows(client, desk, params):
    varied_articles(desk)
    client.force_login(desk["editor"])
    cl = client.get(CHANGELIST, params).context["cl"]
    fast = desk_result_list(cl)["results"]
    assert all(len(row) == 1 for row in fast)  # the one-pass rows were used
    stock = admin_list.result_list(cl)["results"]
    assert ["".join(row) for row in fast] == ["".join(row) for row in stock]


def test_a_popup_list_keeps_the_stock_rows(client, desk):
    varied_articles(desk)
    client.force_login(desk["editor"])
    response = client.get(CHANGELIST, {"_popup": "1"})
    assert "data-popup-opener" in response.content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_list_queries_stay_flat_with_rows(
    client, desk, django_assert_num_queries, monkeypatch, rows
):
    """Badges, counties, bylines, links and deep pages add no query a row."""
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    for n in range(rows):
        make_article(
            title=f"稿件{n}",
            county_union=county("xiangshui") if n % 2 else None,
            authors=[make_author(f"作者{n % 3}")] if n % 5 == 0 else (),
        )
    client.force_login(desk["editor"])
    for params in [{}, {"p": 2}, {"q": "稿件", "p": 2}, {"status__exact": "published"}]:
        with django_assert_num_queries(10):
            response = client.get(CHANGELIST, params)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == 2


@pytest.mark.parametrize(
    "q, titles",
    [
        ("座谈", {"劳模座谈会召开"}),  # a word of the title only
        ("慰问品", {"节日走访"}),  # a word of the body only
        ("秦西江", {"劳模座谈会召开", "秦西江的另一篇"}),  # an author's name
        ("不存在的词", set()),
    ],
)
def test_admin_search_finds_title_words_body_words_and_authors(client, db, q, titles):
    """On PostgreSQL through the search vector, elsewhere by substring."""
    qin = make_author("秦西江")
    make_article(title="劳模座谈会召开", body="<p>会上交流经验。</p>", authors=[qin])
    make_article(title="节日走访", body="<p>为一线环卫工人送上慰问品。</p>")
    make_article(title="秦西江的另一篇", body="<p>其他内容。</p>", authors=[qin])
    make_article(title="无关稿件", body="<p>无关。</p>")
    client.force_login(make_user(superuser=True))
    response = client.get(CHANGELIST, {"q": q})
    assert {a.title for a in response.context["cl"].result_list} == titles
