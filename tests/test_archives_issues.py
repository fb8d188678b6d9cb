"""Date archives, print issues and import_bulletin --issue."""

import datetime as dt
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Issue
from articles.services import import_bulletin
from tests.factories import make_article, make_section, make_user

PRINTED_ORDER = [
    ("新闻速递", "响水县总工会 “三聚焦”助推新就业形态职工建会入会"),
    ("新闻速递", "滨海县开展“双维”集体协商"),
    ("新闻速递", "大丰区总工会联合举办新春招聘会"),
    ("谱写绿色盐城新篇章 书写工会工作新答卷", "亭湖区总工会助力工会社工赋能成长"),
    ("谱写绿色盐城新篇章 书写工会工作新答卷", "建湖县总工会坚持“四抓”用心用情服务职工"),
    ("谱写绿色盐城新篇章 书写工会工作新答卷", "盐都区总工会助推企业培育发展新质生产力"),
]


@pytest.fixture
def issue(db, seed_text):
    issue = Issue.objects.create(year=2024, number=2, published_on=date(2024, 2, 20))
    import_bulletin(text=seed_text, publish=True, issue=issue)
    return issue


def toc(response):
    return [
        (article.section.name, article.title)
        for article in response.context["articles"]
    ]


def test_import_files_articles_in_printed_order(issue):
    filed = list(issue.articles.order_by("issue_position"))
    assert len(filed) == 10
    assert [a.title for a in filed[:6]] == [title for _, title in PRINTED_ORDER]
    assert filed[6].section.name == "图说新闻"
    assert "东台市" in filed[6].cover_photo.caption


def test_issue_page_table_of_contents_grouped_in_printed_order(client, issue):
    response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    assert toc(response)[:6] == PRINTED_ORDER
    html = response.content.decode()
    positions = [html.index(title) for _, title in PRINTED_ORDER]
    assert positions == sorted(positions)
    assert html.count("<h3>新闻速递</h3>") == 1
    assert html.index("<h3>新闻速递</h3>") < html.index("<h3>图说新闻</h3>")


def test_print_view_has_every_article_and_the_print_stylesheet(client, issue):
    response = client.get(reverse("articles:issue-print", args=[2024, 2]))
    html = response.content.decode()
    assert "css/print.css" in html
    assert "site.css" not in html
    for _, title in PRINTED_ORDER:
        assert html.count(f">{title}<") == 2  # table of contents and the article
    assert html.index("龙年春节刚过") < html.index("江苏盐滨建设工程公司")
    assert "秦西江 张楠 摄" in html


def test_unpublished_articles_stay_out_of_the_public_issue(client, issue):
    hidden = Article.objects.get(title=PRINTED_ORDER[1][1])
    hidden.status = Article.Status.DRAFT
    hidden.save()
    for url in [
        issue.get_absolute_url(),
        reverse("articles:issue-print", args=[2024, 2]),
    ]:
        assert hidden.title not in client.get(url).content.decode()
    client.force_login(make_user(superuser=True))
    assert hidden.title in client.get(issue.get_absolute_url()).content.decode()


def test_issue_list_counts_published_articles(client, issue):
    Issue.objects.create(year=2024, number=3, published_on=date(2024, 3, 20))
    response = client.get(reverse("articles:issues"))
    html = response.content.decode()
    assert "2024 年第 2 期" in html and "2024 年第 3 期" in html
    counts = {str(i): i.article_count for i in response.context["object_list"]}
    assert counts == {"2024 年第 3 期": 0, "2024 年第 2 期": 10}


def test_unknown_issue_is_not_found(client, db):
    assert client.get(reverse("articles:issue", args=[2024, 9])).status_code == 404


@pytest.mark.parametrize("n", [1, 4])
def test_issue_pages_query_counts_are_flat(client, db, django_assert_num_queries, n):
    issue = Issue.objects.create(year=2024, number=1, published_on=date(2024, 1, 1))
    for position in range(n):
        make_article(issue=issue, issue_position=position, section=make_section())
    # nav, issue, articles (+section, county, cover; bylines are copies on
    # the rows)
    with django_assert_num_queries(3):
        client.get(issue.get_absolute_url())
    # issue, articles, gallery (no nav here)
    with django_assert_num_queries(3):
        client.get(reverse("articles:issue-print", args=[2024, 1]))
    # count, issues with their counts (the nav is remembered from the first
    # page: nothing changed since)
    with django_assert_num_queries(2):
        client.get(reverse("articles:issues"))


def test_command_creates_and_fills_the_issue(db, tmp_path, seed_text):
    path = tmp_path / "bulletin.md"
    path.write_text(seed_text, encoding="utf-8")
    call_command(
        "import_bulletin",
        str(path),
        "--publish",
        "--date",
        "2024-02-20",
        "--issue",
        "2024-2",
    )
    issue = Issue.objects.get(year=2024, number=2)
    assert issue.published_on == date(2024, 2, 20)
    assert issue.articles.count() == 10
    call_command("import_bulletin", str(path), "--publish", "--issue", "2024-2")
    assert Article.objects.count() == 10
    assert list(
        issue.articles.order_by("issue_position").values_list(
            "issue_position", flat=True
        )
    ) == list(range(1, 11))


def test_command_files_an_earlier_import_into_the_issue(db, tmp_path, seed_text):
    path = tmp_path / "bulletin.md"
    path.write_text(seed_text, encoding="utf-8")
    call_command("import_bulletin", str(path), "--publish")
    call_command("import_bulletin", str(path), "--issue", "2024-2")
    issue = Issue.objects.get(year=2024, number=2)
    titles = list(
        issue.articles.order_by("issue_position").values_list("title", flat=True)
    )
    assert titles[:6] == [title for _, title in PRINTED_ORDER]


@pytest.mark.parametrize("code", ["2024", "24-2", "2024-0", "2024-x", "第二期"])
def test_command_rejects_a_bad_issue_code(db, tmp_path, seed_text, code):
    path = tmp_path / "bulletin.md"
    path.write_text(seed_text, encoding="utf-8")
    with pytest.raises(CommandError, match="期刊格式"):
        call_command("import_bulletin", str(path), "--issue", code)
    assert Article.objects.count() == 0 and Issue.objects.count() == 0


def test_month_archive_lists_published_articles_of_that_month(client, db):
    now = timezone.localtime()
    make_article(title="本月稿件", days_ago=0)
    make_article(title="本月草稿", days_ago=0, status="draft")
    make_article(title="定时稿件", days_ago=-1)
    url = reverse("articles:archive-month", args=[now.year, now.month])
    response = client.get(url)
    assert response.status_code == 200
    titles = [a.title for a in response.context["object_list"]]
    assert titles == ["本月稿件"]


def test_year_archive_and_index_link_the_months(client, db):
    make_article(title="一篇稿件", days_ago=0)
    now = timezone.localtime()
    month_url = reverse("articles:archive-month", args=[now.year, f"{now.month:02d}"])
    for url in [
        reverse("articles:archive"),
        reverse("articles:archive-year", args=[now.year]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert month_url in html and "一篇稿件" in html


def test_archive_months_are_those_django_reads_from_every_row(client, db):
    """months() probes calendar months instead of reading every date; it must
    give what datetimes() gives, month edges in Asia/Shanghai included."""
    utc = dt.UTC
    published_at = [
        dt.datetime(2023, 12, 31, 16, 10, tzinfo=utc),  # 1 Jan 2024, 00:10 local
        dt.datetime(2024, 1, 31, 15, 30, tzinfo=utc),  # 31 Jan, 23:30 local
        dt.datetime(2024, 1, 31, 16, 30, tzinfo=utc),  # 1 Feb, 00:30 local
        dt.datetime(2024, 5, 10, 4, 0, tzinfo=utc),  # after two empty months
        dt.datetime(2024, 5, 31, 16, 0, tzinfo=utc),  # 1 Jun, 00:00 local: June
    ]
    for when in published_at:
        article = make_article()
        Article.objects.filter(pk=article.pk).update(publish_at=when)
    hidden = make_article(status="draft", days_ago=None)
    Article.objects.filter(pk=hidden.pk).update(
        publish_at=dt.datetime(2024, 3, 15, tzinfo=utc)
    )
    make_article(days_ago=-3)  # scheduled
    published = Article.objects.published()
    expected = list(published.datetimes("publish_at", "month"))
    assert [(m.year, m.month) for m in expected][:3] == [
        (2024, 1),
        (2024, 2),
        (2024, 5),
    ]
    assert published.months() == expected
    assert published.months("DESC") == expected[::-1]
    response = client.get(reverse("articles:archive"))
    assert list(response.context["date_list"]) == expected[::-1]
    year = client.get(reverse("articles:archive-year", args=[2024]))
    assert [(m.year, m.month) for m in year.context["date_list"]] == [
        (2024, 1),
        (2024, 2),
        (2024, 5),
        (2024, 6),
    ]
    assert Article.objects.none().months() == []


def test_empty_month_is_a_calm_page(client, db):
    response = client.get(reverse("articles:archive-month", args=[2001, 1]))
    assert response.status_code == 200
    assert "暂无稿件" in response.content.decode()


@pytest.mark.parametrize("n", [1, 4])
def test_archive_query_counts_are_flat(client, db, django_assert_num_queries, n):
    for _ in range(n):
        make_article(tags=["劳模"], days_ago=0)
    now = timezone.localtime()
    # nav, months, count, rows
    with django_assert_num_queries(4):
        client.get(reverse("articles:archive-month", args=[now.year, now.month]))
