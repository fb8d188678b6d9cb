"""Every mounted URL prefix is inventoried, and none lets a request write
cache keys of its choosing; the page cache trusts no value it reads."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from serving import pagecache

from .factories import make_article

BASE_DIR = Path(__file__).resolve().parent.parent
COMPRESSOR = "/tinymce/compressor/?js=true&plugins=pagecache:generation"


def routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        if isinstance(entry, URLResolver):
            yield from routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def first_segment(route):
    """admin/r/<int:x>/ -> /admin/; sitemap-<section>.xml -> /sitemap-*.xml."""
    segment = re.split(r"[/(]", route, maxsplit=1)[0]
    segment = re.sub(r"<[^>]+>", "*", segment)
    return f"/{segment}/" if "/" in route.split("(")[0] else f"/{segment}"


def inventoried_prefixes():
    """The prefixes listed in docs/security.md's inventory table."""
    text = (BASE_DIR / "docs" / "security.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `(/[^`]*)`", text, re.MULTILINE))


def test_every_mounted_prefix_is_in_the_security_inventory():
    mounted = {first_segment(route) for route in routes()}
    mounted = {prefix.replace("//", "/") for prefix in mounted}
    assert "/admin/" in mounted
    assert mounted - inventoried_prefixes() == set()


def test_the_editing_requests_are_staff_only_and_post_only(client, db):
    """The article form's autosave and presence requests (editing app)."""
    from .factories import make_staff

    article = make_article()
    editing = [
        "/" + re.sub(r"<[^>]+>", str(article.pk), route)
        for route in routes()
        if route.startswith("admin/articles/article/editing/")
    ]
    assert len(editing) == 6
    for url in editing:
        response = client.post(url, "{}", content_type="application/json")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    client.force_login(make_staff("editor"))
    for url in editing:
        assert client.get(url).status_code == 405


def test_tinymce_urls_are_not_mounted(client, db):
    for url in (COMPRESSOR, "/tinymce/filebrowser/", "/tinymce/flatpages_link_list/"):
        assert client.get(url).status_code == 404


def test_no_request_writes_the_page_cache_generation(client, db):
    """The red-team request: it turned the page cache off for five minutes."""
    article = make_article()
    client.get(article.get_absolute_url())
    generation = cache.get(pagecache.GENERATION_KEY)
    client.get(COMPRESSOR)
    assert cache.get(pagecache.GENERATION_KEY) == generation
    pagecache.forget_local()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_the_tinymce_compressor_is_refused_by_the_system_checks():
    with override_settings(TINYMCE_COMPRESSOR=True):
        with pytest.raises(Exception, match="newsroom.E002"):
            call_command("check", fail_level="ERROR")


@pytest.mark.parametrize(
    "garbage",
    [
        {"ETag": '"x"', "Last-Modified": "x"},  # what the compressor wrote
        "pagecache",
        ("token",),
        ("token", "soon"),
        (1, None),
        None,
    ],
)
def test_a_generation_of_the_wrong_shape_is_replaced(client, db, garbage):
    article = make_article()
    cache.set(pagecache.GENERATION_KEY, garbage, None)
    pagecache.forget_local()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert pagecache.valid_generation(cache.get(pagecache.GENERATION_KEY)) is True
    pagecache.forget_local()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    "garbage",
    [
        {"ETag": '"x"'},
        b"<h1>defaced</h1>",
        ("gen", 200, [], b"<h1>defaced</h1>"),
        ("gen", "200", [], b"<h1>defaced</h1>", '"e"', 0, 0.0),
        ("gen", 200, [("X-Evil", 1)], b"<h1>defaced</h1>", '"e"', 0, 0.0),
        ("gen", 200, {"a": "b"}, "<h1>defaced</h1>", '"e"', 0, 0.0),
    ],
)
def test_a_page_entry_of_the_wrong_shape_is_rendered_over(client, db, garbage):
    article = make_article(title="正常的稿件")
    url = article.get_absolute_url()
    client.get(url)
    generation = cache.get(pagecache.GENERATION_KEY)
    if isinstance(garbage, tuple) and garbage[0] == "gen":
        garbage = (generation[0], *garbage[1:])
    request = client.get(url).wsgi_request
    cache.set(pagecache.page_key(request), garbage, 60)
    pagecache.forget_local()
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    assert "正常的稿件" in response.content.decode()
    assert "defaced" not in response.content.decode()
    pagecache.forget_local()
    assert client.get(url)["X-Page-Cache"] == "hit"


@pytest.mark.skipif(not settings.REDIS_URL, reason="lists keys of the Redis db")
def test_anonymous_requests_write_only_the_page_caches_keys(client, db):
    """Every mounted route, anonymously, with hostile parameters: the only
    keys in Redis afterwards are the page cache's own, hashed ones."""
    import redis

    make_article()
    query = "?js=true&plugins=pagecache:generation&themes=x&term=x&q=x&page=1"
    for route in routes():
        path = "/" + re.sub(r"<[^>]+>|\(\?P<\w+>[^)]*\)", "x", route)
        client.get(path.replace("^", "").replace("$", "") + query)
        client.post(path.replace("^", "").replace("$", ""), {"plugins": "x"})
    keys = redis.Redis.from_url(settings.REDIS_URL).keys("*")
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    allowed = re.compile(
        rf"{prefix}:1:(readyz:probe|pagecache:generation|pagecache:count:[0-9a-f]{{32}}:\w+"
        rf"|pagecache:page:[0-9a-f]{{32}}"
        r"(:refresh)?)$"
    )
    assert [key for key in keys if not allowed.match(key.decode())] == []
