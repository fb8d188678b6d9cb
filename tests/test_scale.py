"""Costs that must not grow with the number of articles."""

import pytest

from articles import pagination
from articles.models import Photo
from tests.factories import county, make_article, make_photo, make_section


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(pagination.CappedPaginator, "max_pages", 2)


def test_section_pages_stop_at_the_cap(client, db, small_cap):
    section = make_section(name="大栏目")
    for _ in range(45):
        make_article(section=section)
    url = section.get_absolute_url()
    html = client.get(url).content.decode()
    assert "第 1 页，共显示最近 2 页" in html
    assert client.get(url + "?page=2").status_code == 200
    assert client.get(url + "?page=3").status_code == 404


def test_small_sections_show_their_real_page_count(client, db, small_cap):
    section = make_section(name="小栏目")
    for _ in range(25):
        make_article(section=section)
    html = client.get(section.get_absolute_url()).content.decode()
    assert "第 1 / 2 页" in html


def test_capped_count_reads_a_limited_subquery(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    make_article()
    paginator = pagination.CappedPaginator(Article.objects.published(), 20)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 1
    assert "LIMIT 1001" in queries.captured_queries[0]["sql"]


def test_published_photos_of_a_county(db):
    union = county("binhai")
    shown = make_photo("已发布稿件的图片", county_union=union)
    hidden = make_photo("草稿的图片", county_union=union)
    make_article(cover_photo=shown)
    make_article(cover_photo=hidden, status="draft")
    gallery = make_photo("组图图片", county_union=union)
    make_article(photos=[gallery])
    photos = set(Photo.objects.published().filter(county_union=union))
    assert photos == {shown, gallery}
