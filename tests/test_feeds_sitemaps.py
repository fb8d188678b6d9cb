"""RSS feeds, the sitemap and robots.txt: valid XML, published articles only."""

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Author, Photo, Section
from tests.factories import (
    county,
    give_originals,
    make_article,
    make_author,
    make_photo,
    make_section,
)

DC = "{http://purl.org/dc/elements/1.1/}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HIDDEN = {
    "draft": dict(status=Article.Status.DRAFT),
    "review": dict(status=Article.Status.REVIEW),
    "withdrawn": dict(status=Article.Status.WITHDRAWN),
    "scheduled": dict(status=Article.Status.PUBLISHED, days_ago=-1),
}


def feed_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel").findall("item")


def sitemap_urls(client):
    """Every <loc> of every sitemap the index lists, with its lastmod."""
    index = ET.fromstring(client.get(reverse("articles:sitemap")).content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    found = {}
    for loc in index.iter(f"{SITEMAP}loc"):
        response = client.get(loc.text.replace("http://testserver", ""))
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        for url in root.findall(f"{SITEMAP}url"):
            lastmod = url.find(f"{SITEMAP}lastmod")
            found[url.find(f"{SITEMAP}loc").text] = (
                lastmod.text if lastmod is not None else None
            )
    return found


def feed_urls(section, union, author=None, tag=None):
    urls = [
        reverse("articles:feed"),
        reverse("articles:section-feed", args=[section.slug]),
        reverse("articles:county-feed", args=[union.slug]),
    ]
    if author is not None:
        urls.append(reverse("articles:author-feed", args=[author.slug]))
    if tag is not None:
        urls.append(reverse("articles:tag-feed", args=[tag.slug]))
    return urls


def test_latest_feed_has_full_items(client, seeded):
    items = feed_items(client, reverse("articles:feed"))
    by_title = {item.findtext("title"): item for item in items}
    item = by_title["亭湖区总工会助力工会社工赋能成长"]
    assert item.findtext(f"{DC}creator") == "刘静 杨真真 刘保顺"
    assert item.findtext("description").startswith("近年来,亭湖区总工会积极招聘")
    assert item.findtext("pubDate")
    assert item.findtext("link").startswith("http://testserver/articles/")
    categories = [c.text for c in item.findall("category")]
    assert (
        "谱写绿色盐城新篇章 书写工会工作新答卷" in categories and "亭湖区" in categories
    )


def test_photo_item_has_an_absolute_enclosure(client, seeded):
    photo_news = Section.objects.get(kind=Section.Kind.PHOTO)
    give_originals(Photo.objects.all())
    items = feed_items(client, reverse("articles:section-feed", args=[photo_news.slug]))
    assert len(items) == 4
    for item in items:
        enclosure = item.find("enclosure")
        assert enclosure.get("url").startswith("http://testserver/media/photos/")
        assert enclosure.get("type") == "image/png"
        assert int(enclosure.get("length")) > 0


def test_county_feed_lists_only_that_county(client, seeded):
    items = feed_items(client, reverse("articles:county-feed", args=["sheyang"]))
    titles = [item.findtext("title") for item in items]
    assert len(titles) == 2
    assert all(
        Article.objects.get(title=title).county_union.slug == "sheyang"
        for title in titles
    )


def test_unknown_section_feed_is_not_found(client, db):
    assert (
        client.get(reverse("articles:section-feed", args=["nope"])).status_code == 404
    )


@pytest.mark.parametrize("state", list(HIDDEN))
def test_hidden_articles_appear_in_no_feed_or_sitemap(client, db, state):
    section = make_section(name="新闻速递")
    union = county("binhai")
    author = make_author("秦西江")
    shared = dict(section=section, county_union=union, authors=[author], tags=["劳模"])
    public = make_article(title="公开的稿件", **shared)
    hidden = make_article(title="不应出现的稿件", **shared, **HIDDEN[state])
    tag = public.tags.get()
    for url in feed_urls(section, union, author, tag):
        titles = [item.findtext("title") for item in feed_items(client, url)]
        assert titles == ["公开的稿件"]
    locations = sitemap_urls(client)
    assert not any(hidden.slug in loc for loc in locations)
    assert any(
        loc.endswith("/articles/" + Article.objects.get(title="公开的稿件").slug + "/")
        for loc in locations
    )


def test_sitemap_lists_articles_photo_news_sections_and_counties(client, seeded):
    locations = sitemap_urls(client)
    for article in Article.objects.published():
        assert f"http://testserver{article.get_absolute_url()}" in locations
        assert locations[f"http://testserver{article.get_absolute_url()}"]
    for section in Section.objects.all():
        assert locations[f"http://testserver{section.get_absolute_url()}"]
    sheyang = "http://testserver" + reverse("counties:detail", args=["sheyang"])
    assert locations[sheyang]


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_pages_link_their_feeds(client, seeded):
    section = Section.objects.get(name="新闻速递")
    html = client.get(section.get_absolute_url()).content.decode()
    assert f'href="{reverse("articles:feed")}"' in html
    assert f'href="{reverse("articles:section-feed", args=[section.slug])}"' in html
    html = client.get(reverse("counties:detail", args=["binhai"])).content.decode()
    assert f'href="{reverse("articles:county-feed", args=["binhai"])}"' in html


@pytest.mark.parametrize("n", [1, 4])
def test_feed_query_count_is_flat(client, db, django_assert_num_queries, n):
    section = make_section()
    for i in range(n):
        authors = [make_author(f"作者{i}{j}") for j in range(n)]
        make_article(
            section=section,
            authors=authors,
            tags=[f"标签{i}"],
            cover_photo=make_photo(credits=authors[:1]),
        )
    # articles (+section, county, cover; bylines and tags are copies on the
    # rows)
    with django_assert_num_queries(1):
        client.get(reverse("articles:feed"))
    # + the section itself
    with django_assert_num_queries(2):
        client.get(reverse("articles:section-feed", args=[section.slug]))


@pytest.mark.parametrize("n", [1, 4])
def test_sitemap_query_count_is_flat(client, db, django_assert_num_queries, n):
    for _ in range(n):
        make_article(county_union=county("binhai"))
    # each sitemap page: count (for its paginator) and the rows
    with django_assert_num_queries(2):
        client.get(reverse("articles:sitemap-section", args=["articles"]))
    with django_assert_num_queries(2):
        client.get(reverse("articles:sitemap-section", args=["counties"]))
    assert Author.objects.count() == 0


def test_large_sitemaps_are_split_and_dated_by_their_newest_change(
    client, db, monkeypatch, django_assert_max_num_queries
):
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [make_article(title=f"稿件{n}") for n in range(5)]
    edited = articles[1]
    edited.title = "修改过的稿件"
    edited.save()
    make_article(title="草稿", status=Article.Status.DRAFT)
    index = client.get(reverse("articles:sitemap")).content.decode()
    root = ET.fromstring(index)
    entries = {
        sitemap.findtext(f"{SITEMAP}loc"): sitemap.findtext(f"{SITEMAP}lastmod")
        for sitemap in root.findall(f"{SITEMAP}sitemap")
    }
    article_pages = [loc for loc in entries if "sitemap-articles" in loc]
    assert len(article_pages) == 3  # five published articles, two a page
    edited.refresh_from_db()
    assert all(
        datetime.fromisoformat(entries[loc]) == edited.updated_at
        for loc in article_pages
    )
    assert len(sitemap_urls(client)) == 5 + Section.objects.count() + 9
    # The index costs the same few queries however many articles exist.
    with django_assert_max_num_queries(10):
        client.get(reverse("articles:sitemap"))


def test_author_and_tag_feeds_follow_one_author_or_tag(client, db):
    qin, zhang = make_author("秦西江"), make_author("张楠")
    make_article(title="秦西江的稿件", authors=[qin, zhang], tags=["劳模"])
    make_article(title="张楠的稿件", authors=[zhang], tags=["安全生产"])
    author_feed = reverse("articles:author-feed", args=[qin.slug])
    assert [i.findtext("title") for i in feed_items(client, author_feed)] == [
        "秦西江的稿件"
    ]
    page = client.get(qin.get_absolute_url()).content.decode()
    assert f'href="{author_feed}"' in page
    tag = Tag.objects.get(name="安全生产")
    tag_feed = reverse("articles:tag-feed", args=[tag.slug])
    assert [i.findtext("title") for i in feed_items(client, tag_feed)] == ["张楠的稿件"]
    page = client.get(reverse("articles:tag", args=[tag.slug])).content.decode()
    assert f'href="{tag_feed}"' in page
    assert client.get(reverse("articles:tag-feed", args=["nope"])).status_code == 404
    assert client.get(reverse("articles:author-feed", args=["nope"])).status_code == 404


def test_photo_item_waiting_for_its_original_has_no_enclosure(client, seeded):
    photo_news = Section.objects.get(kind=Section.Kind.PHOTO)
    items = feed_items(client, reverse("articles:section-feed", args=[photo_news.slug]))
    assert len(items) == 4
    assert [item.find("enclosure") for item in items] == [None] * 4
    titles = {item.findtext("title") for item in items}
    assert titles == set(
        Article.objects.filter(section=photo_news).values_list("title", flat=True)
    )
    assert not any("…" in title for title in titles)
