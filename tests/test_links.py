"""page_url() and slug_url() give what reverse() gives."""

from urllib.parse import unquote

import pytest
from django.urls import clear_script_prefix, resolve, reverse, set_script_prefix

from newsroom.links import page_url, slug_url

SLUGS = ["syn-cad286-37634", "xin-wen-su-di", "binhai", "劳模", "职工 之家", "a_b-9"]
VIEWS = [
    "articles:detail",
    "articles:section",
    "articles:author",
    "articles:tag",
    "counties:detail",
]


@pytest.mark.parametrize("viewname", VIEWS)
def test_slug_url_is_what_reverse_gives(viewname):
    for slug in SLUGS:
        try:
            expected = reverse(viewname, kwargs={"slug": slug})
        except Exception:  # a slug this converter refuses (Chinese for <slug:>)
            continue
        assert slug_url(viewname, slug) == expected
        # The handler resolves the path unquoted.
        assert resolve(unquote(expected)).kwargs == {"slug": slug}


@pytest.mark.parametrize(
    "viewname", ["articles:home", "articles:search", "articles:issues", "counties:list"]
)
def test_page_url_is_what_reverse_gives(viewname):
    assert page_url(viewname) == reverse(viewname)


def test_links_follow_the_script_prefix():
    set_script_prefix("/news/")
    try:
        assert page_url("articles:search") == "/news/search/"
        assert slug_url("articles:tag", "劳模") == reverse(
            "articles:tag", kwargs={"slug": "劳模"}
        )
        assert slug_url("articles:tag", "劳模").startswith("/news/")
    finally:
        clear_script_prefix()
    assert not slug_url("articles:tag", "劳模").startswith("/news/")


def test_a_page_links_under_the_script_prefix_of_its_request(db, settings):
    """Each request reads its own script prefix (LinksMiddleware), through
    the WSGI handler a server calls (the test client sets no prefix)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_started
    from django.db import close_old_connections
    from django.test.client import RequestFactory

    from tests.factories import make_article

    settings.PAGE_CACHE_SECONDS = 0  # both answers rendered, not one cached
    article = make_article(tags=["劳模"])
    path, tag_url = article.get_absolute_url(), reverse("articles:tag", args=["劳模"])
    app = WSGIHandler()

    def page(**environ):
        request = RequestFactory().get(path, **environ)
        response = app(request.environ, lambda status, headers: None)
        return b"".join(response)

    # As the test client does: the request must not close the test's
    # connection (and its transaction).
    request_started.disconnect(close_old_connections)
    try:
        assert f'href="/news{tag_url}"'.encode() in page(SCRIPT_NAME="/news")
        html = page()
        assert f'href="{tag_url}"'.encode() in html
        assert b'href="/news/' not in html
    finally:
        request_started.connect(close_old_connections)
        clear_script_prefix()
