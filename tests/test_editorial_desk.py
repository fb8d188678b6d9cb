"""The editors' desk on the admin index: queues and county statistics."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.desk import county_statistics, parse_month
from articles.models import Article, ArticleTransition
from counties.models import CountyUnion
from tests.factories import (
    county,
    make_article,
    make_author,
    make_photo,
    make_staff,
)

MARCH = parse_month("2026-03")


def at(day, hour=10):
    return timezone.make_aware(datetime(2026, 3, day, hour))


def move_steps(article, *days):
    """Date an article's recorded steps, oldest first, on the given days."""
    steps = article.transitions.order_by("at", "pk")
    for step, day in zip(steps, days, strict=True):
        ArticleTransition.objects.filter(pk=step.pk).update(at=at(day))


@pytest.fixture
def march(db):
    editor = make_staff("editor")
    xiangshui, binhai = county("xiangshui"), county("binhai")

    a = make_article(status=Article.Status.DRAFT, days_ago=None, county_union=xiangshui)
    a.submit(by=editor)
    a.return_to_writer(by=editor, comment="补充")
    a.submit(by=editor)
    a.publish(by=editor)
    move_steps(a, 2, 3, 4, 5)
    Article.objects.filter(pk=a.pk).update(publish_at=at(5))

    b = make_article(status=Article.Status.DRAFT, days_ago=None, county_union=xiangshui)
    b.submit(by=editor)
    move_steps(b, 30)

    binhai_eye = make_author("滨海摄影", county_union=binhai)
    xiangshui_eye = make_author("响水摄影", county_union=xiangshui)
    cover = make_photo(credits=[binhai_eye])
    shared = make_photo(credits=[xiangshui_eye, binhai_eye])
    c = make_article(county_union=binhai, cover_photo=cover, photos=[shared])
    Article.objects.filter(pk=c.pk).update(publish_at=at(31, 23))  # 23:00 Beijing

    february = make_article(
        county_union=binhai, photos=[make_photo(credits=[binhai_eye])]
    )
    Article.objects.filter(pk=february.pk).update(
        publish_at=at(1, 0) - timedelta(minutes=1)
    )
    withdrawn = make_article(status=Article.Status.WITHDRAWN, county_union=binhai)
    Article.objects.filter(pk=withdrawn.pk).update(publish_at=at(10))
    nowhere = make_article()
    Article.objects.filter(pk=nowhere.pk).update(publish_at=at(12))
    return editor


EXPECTED = {
    # name: (submitted, published, returned, photos)
    "响水县": (2, 1, 1, 1),
    "滨海县": (0, 1, 0, 2),
    "未注明县区": (0, 1, 0, 0),
}


def test_county_statistics_match_the_articles(march):
    rows = {row.name: row for row in county_statistics(MARCH)}
    assert len(rows) == 10  # nine county unions and the unassigned row
    for name, numbers in EXPECTED.items():
        row = rows[name]
        assert (row.submitted, row.published, row.returned, row.photos) == numbers
    others = [row for name, row in rows.items() if name not in EXPECTED]
    assert {(r.submitted, r.published, r.returned, r.photos) for r in others} == {
        (0, 0, 0, 0)
    }


def test_month_filter_on_the_admin_index(client, march):
    client.force_login(march)
    response = client.get(reverse("admin:index"), {"month": "2026-02"})
    rows = {row.name: row for row in response.context["county_rows"]}
    assert rows["滨海县"].published == 1
    assert rows["响水县"].submitted == 0
    assert "县级工会发稿统计（2026年2月）" in response.content.decode()


def test_statistics_export_to_csv(client, march):
    client.force_login(march)
    url = reverse("admin:articles_article_statistics_csv")
    response = client.get(url, {"month": "2026-03"})
    assert response["Content-Type"].startswith("text/csv")
    assert "county-statistics-2026-03.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["县级工会", "月份", "提交", "发布", "退回", "图片署名"]
    by_name = {row[0]: row for row in table[1:]}
    for name, numbers in EXPECTED.items():
        assert by_name[name] == [name, "2026-03", *map(str, numbers)]
    assert len(table) == 11


@pytest.mark.parametrize("value", ["2026-13", "abc", "", "1-01", "0001-01", "2026-3-1"])
def test_bad_month_falls_back_to_this_month(client, db, value):
    assert parse_month(value) == timezone.localdate().replace(day=1)
    client.force_login(make_staff("editor"))
    assert client.get(reverse("admin:index"), {"month": value}).status_code == 200
    csv_url = reverse("admin:articles_article_statistics_csv")
    assert client.get(csv_url, {"month": value}).status_code == 200


@pytest.mark.parametrize("role", ["correspondent", "photographer"])
def test_only_editors_see_the_desk_and_export(client, db, role):
    client.force_login(make_staff(role, union=county("binhai")))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "county_rows" not in response.context
    assert "编辑台" not in response.content.decode()
    csv_url = reverse("admin:articles_article_statistics_csv")
    assert client.get(csv_url).status_code == 403


def test_review_queue_is_oldest_first(client, db):
    editor = make_staff("editor")
    newer = make_article(status=Article.Status.DRAFT, days_ago=None, title="后交的")
    older = make_article(status=Article.Status.DRAFT, days_ago=None, title="先交的")
    older.submit(by=editor)
    newer.submit(by=editor)
    ArticleTransition.objects.filter(article=older).update(
        at=timezone.now() - timedelta(days=2)
    )
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    assert list(response.context["awaiting_review"]) == [older, newer]
    assert list(response.context["recently_published"]) == []


# The admin index an editor opens: session, user, two permission lookups,
# the recent-actions box, and the desk's eight (counties, steps, published,
# photos, review queue, schedule, recently published, pending changes of
# live stories), however many rows.
ADMIN_INDEX_QUERIES = 13


@pytest.mark.parametrize("per_county", [1, 4])
def test_admin_index_query_count_is_flat(
    client, db, django_assert_num_queries, per_county
):
    editor = make_staff("editor")
    for union in CountyUnion.objects.all():
        for _ in range(per_county):
            article = make_article(
                status=Article.Status.DRAFT, days_ago=None, county_union=union
            )
            article.submit(by=editor)
            make_article(county_union=union, days_ago=0.01)
            make_article(county_union=union, days_ago=-1)
    client.force_login(editor)
    with django_assert_num_queries(ADMIN_INDEX_QUERIES):
        client.get(reverse("admin:index"))
