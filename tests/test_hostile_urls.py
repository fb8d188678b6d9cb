"""Every reader URL, fed hostile paths and parameters, answers 200/400/404.

The URLs come from the URLconf, so pages added later are swept too.
"""

import itertools
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from taggit.models import Tag

from articles.models import Article, Author, Section
from counties.models import CountyUnion

from .factories import make_article, make_author, make_photo

# Not reader pages: the admin has its own tests, TinyMCE serves files, and
# the CSP report endpoint takes only POST (test_hardening covers it).
SKIPPED_PREFIXES = ("admin/", "tinymce/", "media/", "static/", "csp-report/")
ALLOWED = {200, 301, 302, 400, 404, 410}
LONG = "盐城" * 5000  # 10,000 characters

HOSTILE_VALUES = [
    "does-not-exist",
    "abc",
    "0",
    "-1",
    "999999",
    "99999999999999999999999",
    "%00",
    "a%00b",
    "%01%02%1F%7F",
    "%FF%FE",
    "%C0%AE%C0%AE",
    "%E4%B8",
    "%E7%9B%90%E5%9F%8E",
    "..%2F..%2Fetc%2Fpasswd",
    "%0D%0ASet-Cookie:%20x=1",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "x" * 300,
]

HOSTILE_QUERIES = [
    "page=abc",
    "page=999999",
    "page=-1",
    "page=0",
    "page=1.5",
    "page=last",
    "page=%00",
    "page=1&page=2",
    f"q={LONG}",
    "q=" + "a" * 10000,
    "q=%00",
    "q=a%00b",
    "q=%01%02%03%1B%7F",
    "q=%FF%FE%FD",
    "q=%E4%B8",
    "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "q='%20OR%201=1--",
    "q=%25%5F%5C",
    "q=*&section=%00",
    "section=no-such-section&county=no-such-county",
    "start=abc&end=99999-99-99",
    "start=0001-01-01&end=9999-12-31",
    "start=2024-02-30",
    "q[]=1&page[]=2",
    "%FF=%FE",
    "=",
    "&&&",
]


def reader_patterns(resolver=None, prefix=""):
    """Every (route, pattern) of the URLconf outside SKIPPED_PREFIXES."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from reader_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


ROUTES = sorted(set(reader_patterns()))
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def fill(route, values):
    """The route with each <converter:name> replaced by the next value."""
    values = iter(values)
    path = PARAM.sub(lambda match: next(values), route)
    path = path.lstrip("^").rstrip("$")
    return "/" + path


def real_values(converter):
    """Values that exist in the test data, for a route's parameter."""
    if converter == "int":
        return ["2024", "2", "20", "1"]
    slugs = []
    for model in (Section, Article, Author, Tag, CountyUnion):
        slugs += list(model.objects.values_list("slug", flat=True)[:2])
    return slugs + ["2024", "2024-02", "1"]


def working_url(client, route):
    """A URL of the route that answers 200 with the test data, if any."""
    converters = [m.group("converter") or "str" for m in PARAM.finditer(route)]
    if not converters:
        return fill(route, [])
    candidates = itertools.product(*(real_values(c) for c in converters))
    for values in itertools.islice(candidates, 60):
        url = fill(route, values)
        if client.get(url).status_code == 200:
            return url
    return None


@pytest.fixture
def content(seeded):
    author = make_author("王晓")
    photo = make_photo(credits=[author])
    make_article(authors=[author], photos=[photo], cover_photo=photo, tags=["劳模"])


def sweep(client, urls):
    failures = []
    for url in urls:
        status = client.get(url).status_code
        if status not in ALLOWED:
            failures.append((url[:120], status))
    return failures


def test_the_sweep_finds_the_reader_pages():
    assert "sections/<slug:slug>/" in ROUTES
    assert "articles/<slug:slug>/" in ROUTES
    assert len(ROUTES) >= 8


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_hostile_path_values_never_fail(client, content, route):
    converters = list(PARAM.finditer(route))
    urls = [fill(route, [value] * len(converters)) for value in HOSTILE_VALUES]
    urls += [fill(route, ["x"] * len(converters)) + suffix for suffix in ("%FF", "%00")]
    assert sweep(client, urls) == []


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_hostile_query_strings_never_fail(client, content, route):
    url = working_url(client, route)
    if url is None:
        pytest.skip(f"no test data makes {route} answer 200")
    assert sweep(client, [f"{url}?{query}" for query in HOSTILE_QUERIES]) == []


@pytest.mark.django_db
def test_a_nul_in_the_path_is_a_chinese_400(client, content):
    response = client.get("/tags/a%00b/")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/%FF%FE/", "/sections/%C0%AE/", "/tags/%ED%A0%80/", "/articles/%E4%B8/"]
)
def test_invalid_utf8_in_the_path_is_not_found(client, path):
    assert client.get(path).status_code in {400, 404}
