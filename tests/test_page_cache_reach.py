"""What the page cache reaches and what it refuses.

Every URL the site links is cached, HEAD included; answers that end a
page's life (404, 410, redirects) tell caches in front to replace their
copy; random values cannot fill the cache; a tag only drafts use has no
public page or feed.
"""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from articles.models import Article
from articles.sitemaps import ArticleSitemap

from .factories import county, make_article, make_author, make_user

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.found.append(attrs["href"])
        if tag == "link" and attrs.get("type") == "application/rss+xml":
            self.found.append(attrs["href"])


def links(url, response):
    text = response.content.decode()
    if response["Content-Type"].startswith(("application/xml", "application/rss")):
        return [
            element.text
            for element in ET.fromstring(text).iter()
            if element.tag.endswith("loc") or element.tag == "link"
        ]
    parser = Links()
    parser.feed(text)
    return [urljoin(url, href) for href in parser.found]


def own(url):
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(("/admin/", "/static/", "/media/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def site(seeded, monkeypatch):
    """The seed bulletin, plus enough articles for paged lists and sitemaps."""
    monkeypatch.setattr(ArticleSitemap, "limit", 5)
    author = make_author("王晓", county_union=county("binhai"))
    for _ in range(25):
        make_article(authors=[author], tags=["劳模"], county_union=author.county_union)


@pytest.fixture
def few(db, monkeypatch):
    """A dozen articles: sitemaps of five a page."""
    monkeypatch.setattr(ArticleSitemap, "limit", 5)
    for _ in range(12):
        make_article(tags=["劳模"])


def test_every_url_the_site_links_is_cached(client, site):
    """Crawl from the home page and the sitemap: every page that answers 200
    is a hit the second time, whatever the link's query string."""
    seen, todo, uncached = set(), ["/", "/sitemap.xml"], []
    while todo and len(seen) < 400:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        if client.get(url).get("X-Page-Cache") != "hit":
            uncached.append(url)
        todo += [link for link in map(own, links(url, response)) if link]
    assert any("?p=2" in url for url in seen)
    assert any("?page=2" in url for url in seen)
    assert len(seen) > 100
    assert uncached == []


def test_paged_sitemaps_are_cached(client, few):
    url = reverse("articles:sitemap-section", args=["articles"]) + "?p=2"
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_head_is_answered_from_the_cache(client, few):
    url = make_article().get_absolute_url()
    first = client.head(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.head(url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=1&page=2", "page=0", "p=99999", "section=%E7%9B%90", "q=a%01"],
)
def test_invalid_values_of_cached_parameters_are_not_stored(client, few, query):
    url = f"/search/?{query}" if query[0] in "qs" else f"/?{query}"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code in {200, 404}
        assert "X-Page-Cache" not in response


def test_query_strings_per_path_are_capped(client, few, settings):
    settings.PAGE_CACHE_QUERIES_PER_PATH = 3
    states = []
    for n in range(6):
        client.get(f"/search/?q=工会{n}")
        states.append(client.get(f"/search/?q=工会{n}").get("X-Page-Cache"))
    assert states == ["hit", "hit", "hit", None, None, None]
    # The path itself, without a query string, is not counted.
    client.get("/search/")
    assert client.get("/search/")["X-Page-Cache"] == "hit"


def shared_max_age(response):
    match = re.search(r"s-maxage=(\d+)", response.get("Cache-Control", ""))
    return int(match.group(1)) if match else None


def test_answers_that_end_a_page_replace_copies_in_front(client, db, settings):
    """410, 404 and redirects carry s-maxage, so nginx or a CDN stores them
    over the page they end instead of serving their old copy on."""
    article = make_article()
    url = article.get_absolute_url()
    assert shared_max_age(client.get(url)) == settings.PAGE_CACHE_SHARED_SECONDS
    article.withdraw(by=make_user(superuser=True))
    gone = client.get(url)
    assert gone.status_code == 410
    assert shared_max_age(gone) == settings.PAGE_CACHE_SHARED_SECONDS
    assert "public" in gone["Cache-Control"]
    missing = client.get("/articles/no-such-story/")
    assert missing.status_code == 404
    assert shared_max_age(missing) == settings.PAGE_CACHE_SHARED_SECONDS
    moved = client.get("/search")
    assert moved.status_code == 301
    assert shared_max_age(moved) == settings.PAGE_CACHE_SHARED_SECONDS


def test_staff_answers_that_end_a_page_stay_private(client, db):
    client.force_login(make_user(superuser=True))
    response = client.get("/articles/no-such-story/")
    assert response.status_code == 404
    assert "private" in response["Cache-Control"]
    assert shared_max_age(response) is None


def test_a_tag_only_drafts_use_has_no_public_page_or_feed(client, db):
    make_article(status=Article.Status.DRAFT, days_ago=None, tags=["保密项目"])
    make_article(tags=["劳模"])
    from taggit.models import Tag

    secret = Tag.objects.get(name="保密项目")
    public = Tag.objects.get(name="劳模")
    for name in ("articles:tag", "articles:tag-feed"):
        assert client.get(reverse(name, args=[secret.slug])).status_code == 404
        assert client.get(reverse(name, args=[public.slug])).status_code == 200


def test_the_cache_keeps_more_pages_than_a_crawl_reads(client, few):
    """Six hundred different pages, then the first again: still a hit (the
    local-memory cache's default of 300 entries culled it)."""
    pages = [f"/archive/{year}/" for year in range(1400, 2000)]
    for url in pages:
        assert client.get(url).status_code == 200
    assert client.get(pages[0])["X-Page-Cache"] == "hit"
