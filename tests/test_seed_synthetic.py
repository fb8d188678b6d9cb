"""seed_synthetic fills a database with realistic articles in bulk."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles.models import Article, ArticleAuthor, Section
from counties.models import CountyUnion


@pytest.fixture
def synthetic(db):
    call_command("seed_synthetic", "--articles", "300", "--batch-size", "70")
    return Article.objects.all()


def test_writes_the_requested_number_of_articles(synthetic):
    assert synthetic.count() == 300


def test_articles_have_chinese_titles_and_bulletin_length_bodies(synthetic):
    news = synthetic.exclude(section__kind=Section.Kind.PHOTO)
    for article in news[:50]:
        assert re.search(r"[\u4e00-\u9fff]{6}", article.title)
        assert 200 <= len(article.body) <= 4000
        assert article.body.startswith("<p>")


def test_bylines_have_one_to_four_authors_in_order(synthetic):
    counts = synthetic.annotate(n=Count("bylines")).values_list("n", flat=True)
    assert set(counts) <= {1, 2, 3, 4}
    assert {1, 4} <= set(counts)
    article = synthetic.annotate(n=Count("bylines")).filter(n=4).first()
    positions = list(
        ArticleAuthor.objects.filter(article=article)
        .order_by("position")
        .values_list("position", flat=True)
    )
    assert positions == [0, 1, 2, 3]


def test_spread_over_nine_counties_sections_and_five_years(synthetic):
    assert synthetic.values("county_union").distinct().count() == 9
    assert CountyUnion.objects.count() == 9
    kinds = set(synthetic.values_list("section__kind", flat=True))
    assert kinds == {Section.Kind.NEWS, Section.Kind.TOPIC, Section.Kind.PHOTO}
    years = {a.publish_at.year for a in synthetic.exclude(publish_at=None)}
    assert len(years) >= 5


def test_has_tags_photos_and_mostly_published_articles(synthetic):
    assert synthetic.filter(tags__isnull=False).distinct().count() > 100
    photo_items = synthetic.filter(section__kind=Section.Kind.PHOTO)
    assert photo_items.exists() is True
    assert photo_items.filter(cover_photo__isnull=True).exists() is False
    assert photo_items.first().cover_photo.credit_entries.exists() is True
    published = Article.objects.published().count()
    assert 0.85 * 300 < published < 300


def test_reader_pages_show_synthetic_articles(client, synthetic):
    article = Article.objects.published().exclude(body="").first()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.title in response.content.decode()
    section = article.section
    assert client.get(section.get_absolute_url()).status_code == 200


def test_running_twice_adds_more_articles(synthetic):
    call_command("seed_synthetic", "--articles", "10")
    assert Article.objects.count() == 310


def test_rejects_a_count_below_one(db):
    with pytest.raises(CommandError, match="至少为 1"):
        call_command("seed_synthetic", "--articles", "0")


def test_bench_pages_measures_every_reader_page_and_the_admin_list(synthetic, settings):
    """make bench's per-page table: each page answers 200 (the command stops
    on anything else) and gets a row with its time and query count."""
    import io

    settings.PAGE_CACHE_SECONDS = 0
    out = io.StringIO()
    call_command("bench_pages", "--rounds", "1", stdout=out)
    rows = [line for line in out.getvalue().splitlines() if line.startswith("| ")]
    labels = [row.split(" | ")[0].lstrip("| ") for row in rows[2:]]
    for label in [
        "首页",
        "稿件",
        "县级工会",
        "标签（最常用）",
        "网站地图索引",
        "后台稿件列表",
    ]:
        assert label in labels
    for row in rows[2:]:
        queries, after_a_change = (
            int(cell) for cell in row.strip(" |").split(" | ")[-2:]
        )
        # Every page reads the database after a change; a repeat may read
        # less (what is remembered per content generation), never more.
        assert 0 < after_a_change and queries <= after_a_change


def test_bench_assessment_times_first_and_cached_requests(synthetic):
    """make bench's assessment section: four rows, first requests build the
    report with the same queries for a year and a quarter, an ended year's
    cached report costs fewer, and BENCH.md gets the table and the targets."""
    import io

    from bench.run import render_assessment

    out = io.StringIO()
    call_command("bench_assessment", "--rounds", "1", stdout=out)
    rows = [line for line in out.getvalue().splitlines() if line.startswith("| ")]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]
    assert [row[0] for row in cells] == [
        "考核排名（上一整年）",
        "考核通报 Excel（上一整年）",
        "考核排名（本季度）",
        "考核通报 Excel（本季度）",
    ]
    first_queries = {row[4] for row in cells}
    assert len(first_queries) == 1
    year_page, year_export, quarter_page, _quarter_export = cells
    assert int(year_page[8]) < int(year_page[4])  # served from the cache
    assert int(year_export[8]) < int(year_export[4])
    assert quarter_page[8] == quarter_page[4]  # still running: built each time

    section = render_assessment(out.getvalue())
    assert "## Assessment ranking and export" in section
    assert all(row in section for row in rows)
    assert "met: the same number of queries for a year and a quarter" in section
