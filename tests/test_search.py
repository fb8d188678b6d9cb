"""Reader search: the seed examples, filters, odd input, and the index."""

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article, ArticlePhoto, Section
from articles.search import highlight, query_terms
from tests.factories import county, make_article, make_photo, make_section

URL = reverse("articles:search")


def titles(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return [article.title for article in response.context["object_list"]]


def test_collective_bargaining_finds_binhai_first(client, seeded):
    found = titles(client, q="集体协商")
    assert found[0] == "滨海县开展“双维”集体协商"


def test_union_membership_finds_xiangshui(client, seeded):
    found = titles(client, q="建会入会")
    assert "响水县总工会 “三聚焦”助推新就业形态职工建会入会" in found


def test_job_fair_finds_dafeng_and_the_dongtai_photo(client, seeded):
    found = titles(client, q="招聘会")
    assert "大丰区总工会联合举办新春招聘会" in found
    dongtai = Article.objects.get(
        section__kind=Section.Kind.PHOTO, county_union__slug="dongtai"
    )
    assert dongtai.title in found


def test_sanitation_workers_finds_jianhu(client, seeded):
    assert titles(client, q="环卫工人") == ["建湖县总工会坚持“四抓”用心用情服务职工"]


def test_visits_find_jianhu_and_the_sheyang_photo(client, seeded):
    found = titles(client, q="慰问")
    assert "建湖县总工会坚持“四抓”用心用情服务职工" in found
    sheyang = Article.objects.get(
        section__kind=Section.Kind.PHOTO,
        county_union__slug="sheyang",
        cover_photo__caption__contains="慰问",
    )
    assert sheyang.title in found


def test_result_page_highlights_the_words_and_keeps_the_query(client, seeded):
    html = client.get(URL, {"q": "环卫工人"}).content.decode()
    assert "<mark>环卫工人</mark>" in html
    assert 'value="环卫工人"' in html


def test_words_of_several_terms_must_all_match(client, seeded):
    assert titles(client, q="环卫工人 招聘会") == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "工" * 10_000,
        "集体协商" * 2_500,
        "\x00\x01\x02慰问\x1f\x7f",
        "%",
        "'",
        "'; DROP TABLE articles_article; --",
        "100% '慰问'",
        "&|!:*()<>\\",
        "<script>alert(1)</script>",
    ],
)
def test_odd_queries_give_a_calm_page(client, seeded, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "\x00" not in html


def test_nul_in_query_still_searches_the_rest(client, seeded):
    found = titles(client, q="环卫\x00工人")
    assert found == ["建湖县总工会坚持“四抓”用心用情服务职工"]


def test_long_query_is_cut_in_the_box(client, seeded):
    response = client.get(URL, {"q": "工" * 10_000})
    assert len(response.context["query"]) == 100


@pytest.mark.parametrize("state", ["draft", "review", "withdrawn", "scheduled"])
def test_unpublished_articles_are_not_found(client, db, state):
    status = "published" if state == "scheduled" else state
    make_article(
        title="秘密的集体协商稿件",
        status=status,
        days_ago=-1 if state == "scheduled" else 1,
    )
    assert titles(client, q="集体协商") == []


def test_section_filter(client, db):
    news, topic = make_section(name="新闻速递"), make_section(name="专题")
    make_article(title="新闻里的劳模", section=news)
    make_article(title="专题里的劳模", section=topic)
    assert titles(client, q="劳模", section=topic.slug) == ["专题里的劳模"]


def test_county_filter(client, db):
    make_article(title="滨海的劳模", county_union=county("binhai"))
    make_article(title="响水的劳模", county_union=county("xiangshui"))
    assert titles(client, q="劳模", county="binhai") == ["滨海的劳模"]


def test_date_range_filter(client, db):
    make_article(title="上个月的劳模", days_ago=30)
    make_article(title="昨天的劳模", days_ago=1)
    make_article(title="前年的劳模", days_ago=800)
    from django.utils import timezone

    today = timezone.localdate()
    start = (today - timezone.timedelta(days=40)).isoformat()
    end = (today - timezone.timedelta(days=20)).isoformat()
    assert titles(client, q="劳模", start=start, end=end) == ["上个月的劳模"]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "not-a-date"},
        {"start": "2024-02-30"},
        {"start": "0001-01-01"},
        {"end": "9999-12-31"},
        {"start": "2024-03-01", "end": "2024-02-01"},
        {"section": "no-such-section"},
        {"county": "\x00"},
    ],
)
def test_bad_filters_give_a_message_not_an_error(client, seeded, params):
    response = client.get(URL, {"q": "工会", **params})
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()


def test_page_past_the_end_is_not_found(client, seeded):
    assert client.get(URL, {"q": "工会", "page": "99"}).status_code == 404


def test_pagination_keeps_query_and_filters(client, db):
    union = county("binhai")
    for n in range(25):
        make_article(title=f"劳模故事{n}", county_union=union)
    response = client.get(URL, {"q": "劳模", "county": "binhai"})
    html = response.content.decode()
    assert response.context["paginator"].count == 25
    assert "?q=%E5%8A%B3%E6%A8%A1&amp;county=binhai&amp;page=2" in html
    second = client.get(URL, {"q": "劳模", "county": "binhai", "page": 2})
    assert len(second.context["object_list"]) == 5


def test_search_query_count_is_flat(client, db, django_assert_num_queries):
    for n in range(12):
        make_article(title=f"劳模故事{n}", tags=["劳模"])
    # nav sections, section and county choices, count, rows
    with django_assert_num_queries(5):
        client.get(URL, {"q": "劳模"})


def test_empty_query_runs_no_search(client, db, django_assert_num_queries):
    # nav sections, section and county choices, plus the page cache's
    # one-off look-up of the next scheduled publication (its cache is cold)
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert response.status_code == 200


def test_edited_title_is_found_after_save(client, db):
    article = make_article(title="旧标题")
    article.title = "职工书屋开放"
    article.save()
    assert titles(client, q="职工书屋") == ["职工书屋开放"]
    assert titles(client, q="旧标题") == []


def test_edited_cover_caption_is_found(client, db):
    photo = make_photo(caption="劳动竞赛现场")
    make_article(title="图片新闻", body="", cover_photo=photo)
    photo.caption = "技能大赛颁奖"
    photo.save()
    assert titles(client, q="技能大赛") == ["图片新闻"]


def test_gallery_captions_are_found_and_kept_current(client, db):
    """A photo set's captions are searchable text of its article, including
    when the gallery is added after the article is saved (as the admin's
    inline does) and when a caption is edited or a photo removed."""
    article = make_article(title="节日慰问组图", body="<p>组图。</p>")
    first = make_photo(caption="环卫工人在清扫街道")
    ArticlePhoto.objects.create(article=article, photo=first, position=0)
    assert titles(client, q="清扫街道") == ["节日慰问组图"]
    first.caption = "快递小哥分拣包裹"
    first.save()
    assert titles(client, q="清扫街道") == []
    assert titles(client, q="分拣包裹") == ["节日慰问组图"]
    ArticlePhoto.objects.filter(photo=first).delete()
    assert titles(client, q="分拣包裹") == []


def test_bulk_created_rows_are_found_after_update_search_vectors(client, db):
    section = make_section()
    from django.utils import timezone

    Article.objects.bulk_create(
        Article(
            title=f"批量稿件{n}",
            slug=f"bulk-{n}",
            body="<p>安康杯竞赛</p>",
            section=section,
            status=Article.Status.PUBLISHED,
            publish_at=timezone.now(),
        )
        for n in range(3)
    )
    Article.objects.all().update_search_vectors()
    assert len(titles(client, q="安康杯")) == 3


def test_query_terms_are_words():
    assert query_terms("环卫工人 慰问") == ["环卫工人", "慰问"]
    assert query_terms("%'\x00") == []


def test_highlight_escapes_html():
    html = highlight("<b>慰问</b> 职工", "慰问")
    assert html == "&lt;b&gt;<mark>慰问</mark>&lt;/b&gt; 职工"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored vector is PostgreSQL-only"
)
def test_title_words_rank_above_body_words(db):
    body_hit = make_article(title="工作动态", body="<p>开展职工书屋建设</p>")
    title_hit = make_article(title="职工书屋建设", body="<p>工作动态</p>", days_ago=5)
    found = list(Article.objects.published().search("职工书屋"))
    assert found == [title_hit, body_hit]


def test_synthetic_articles_are_searchable(client, db):
    from bench.synthetic import generate

    generate(articles=30)
    article = Article.objects.published().exclude(section__kind="photo").first()
    response = client.get(URL, {"q": article.title})
    assert article in response.context["object_list"]


def test_common_words_rank_only_the_newest_matches(client, db, monkeypatch):
    monkeypatch.setattr("articles.search.MAX_RESULTS", 3)
    monkeypatch.setattr("articles.views.MAX_RESULTS", 3)
    old_title_hit = make_article(title="劳模工作室", body="<p>简报</p>", days_ago=9)
    for n in range(4):
        make_article(title=f"简报{n}", body="<p>劳模事迹</p>", days_ago=n)
    response = client.get(URL, {"q": "劳模"})
    found = list(response.context["object_list"])
    assert len(found) == 3 and old_title_hit not in found
    assert "只列出最新的 3 篇" in response.content.decode()
