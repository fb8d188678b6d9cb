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
# The admin also refuses a role (403) and a method (405).
ADMIN_ALLOWED = ALLOWED | {403, 405}
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


def sweep(client, urls, allowed=ALLOWED):
    failures = []
    for url in urls:
        status = client.get(url).status_code
        if status not in allowed:
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


# The admin, as every role: each query parameter a view reads, one at a time
# on the lists (every filter's own parameters, search, ordering, paging) and
# all at once elsewhere, fed NUL, overlong and wrong-typed values.

ROLES = ["superuser", "editor", "correspondent", "photographer"]
ADMIN_VALUES = ["%00", "abc,1", "99999999999999999999", "盐城" * 500]
ADMIN_IDS = ["abc", "%00", "-1", "99999999999999999999", "x" * 300]
# Search, ordering, page and the to-field of pop-ups; the flags (all, e,
# _popup, _facets) only test for presence.
LIST_PARAMETERS = ["q", "o", "p", "_to_field"]
OTHER_PARAMETERS = [
    "_changelist_filters",
    "_popup",
    "_to_field",
    "from",
    "to",
    "month",
    "next",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "page",
    "q",
]


def admin_patterns(resolver=None, prefix=""):
    """Every (route, name) under admin/."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from admin_patterns(entry, route)
        elif isinstance(entry, URLPattern) and route.startswith("admin/"):
            yield route, entry.name


ADMIN_ROUTES = sorted(set(admin_patterns()), key=lambda item: item[0])
CHANGELISTS = [
    name for _route, name in ADMIN_ROUTES if name and name.endswith("_changelist")
]
# Not logout (it would end the sweep's session); the unnamed
# <object_id>/ routes only redirect to the change page.
OTHER_ADMIN_ROUTES = [
    route
    for route, name in ADMIN_ROUTES
    if not (name or "").endswith("_changelist")
    and name != "logout"
    and not (name is None and route.endswith("<path:object_id>/"))
]
REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)|\([^)]*\)")


@pytest.fixture
def admin_content(db):
    """One object of each kind the admin lists, and a revision."""
    from reversion import create_revision

    from .factories import county

    author = make_author("王晓", county_union=county("binhai"))
    photo = make_photo(credits=[author])
    with create_revision():
        make_article(
            authors=[author],
            cover_photo=photo,
            tags=["劳模"],
            county_union=author.county_union,
        )
        make_article(status=Article.Status.DRAFT, days_ago=None)


def role_user(role):
    from .factories import county, make_staff, make_user

    if role == "superuser":
        return make_user(superuser=True)
    return make_staff(role, union=county("binhai"))


def admin_url(route, object_id=None):
    """The route filled with ids of objects that exist in the test data
    (or with object_id for the object's)."""
    from django.contrib.contenttypes.models import ContentType
    from reversion.models import Version

    model = model_of(route)
    real_id = model.objects.values_list("pk", flat=True).first() if model else None
    version = str(Version.objects.values_list("pk", flat=True).first() or 1)
    values = {
        "object_id": object_id or str(real_id or 1),
        "id": object_id or str(real_id or 1),
        "content_type_id": str(ContentType.objects.get_for_model(Article).pk),
        "app_label": "articles",
        "url": "no-such-page/",
    }
    # Unnamed groups of reversion's regex routes: (object, version) or
    # (version) alone.
    unnamed = REGEX_GROUP.findall(route).count("")
    groups = iter([values["object_id"], version][-unnamed:] if unnamed else [])
    path = REGEX_GROUP.sub(
        lambda match: values.get(match.group(1)) or next(groups), route
    )
    path = PARAM.sub(
        lambda match: values.get(match.group("name"), values["object_id"]), path
    )
    return "/" + path.replace("^", "").replace("$", "")


def model_of(route):
    from django.apps import apps

    parts = route.split("/")
    try:
        return apps.get_model(parts[1], parts[2])
    except (LookupError, ValueError, IndexError):
        return None


def list_parameters(user, name):
    """The changelist's own filter parameters plus search, order and paging."""
    from django.apps import apps
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    app_label, model_name = name.removesuffix("_changelist").split("_", 1)
    model_admin = admin.site.get_model_admin(apps.get_model(app_label, model_name))
    request = RequestFactory().get(reverse(f"admin:{name}"))
    request.user = user
    parameters = list(LIST_PARAMETERS)
    if model_admin.has_view_or_change_permission(request):
        changelist = model_admin.get_changelist_instance(request)
        for spec in changelist.filter_specs:
            parameters += spec.expected_parameters()
    return parameters


def test_the_admin_sweep_finds_every_list_and_its_filters(admin_content):
    assert "articles_article_changelist" in CHANGELISTS
    parameters = list_parameters(role_user("superuser"), "articles_article_changelist")
    assert {"author", "status__exact", "publish_at__gte"} <= set(parameters)
    assert any("object_id" in route for route in OTHER_ADMIN_ROUTES)
    assert any(route.startswith("admin/r/") for route in OTHER_ADMIN_ROUTES)


def can_view(user, name):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return model_admin_of(name).has_view_or_change_permission(request)


def model_admin_of(name):
    from django.apps import apps
    from django.contrib import admin

    app_label, model_name = name.removesuffix("_changelist").split("_", 1)
    return admin.site.get_model_admin(apps.get_model(app_label, model_name))


@pytest.mark.parametrize("role", ROLES)
def test_hostile_admin_list_parameters_never_fail(client, admin_content, role):
    """Each list the role may open, each parameter, each value. The
    superuser (no newsroom role) sweeps only the lists no role opens."""
    from django.urls import reverse

    user = role_user(role)
    client.force_login(user)
    names = [name for name in CHANGELISTS if can_view(user, name)]
    if role == "superuser":
        editor = role_user("editor")
        names = [name for name in names if not can_view(editor, name)]
    assert names
    urls = [
        f"{reverse(f'admin:{name}')}?{parameter}={value}"
        for name in names
        for parameter in list_parameters(user, name)
        for value in ADMIN_VALUES
    ]
    assert sweep(client, urls, ADMIN_ALLOWED) == []


@pytest.mark.parametrize("role", ROLES)
def test_hostile_admin_parameters_and_ids_never_fail(client, admin_content, role):
    client.force_login(role_user(role))
    urls = []
    for route in OTHER_ADMIN_ROUTES:
        url = admin_url(route)
        urls += [
            f"{url}?" + "&".join(f"{name}={value}" for name in OTHER_PARAMETERS)
            for value in ADMIN_VALUES
        ]
        if "object_id" in route or REGEX_GROUP.findall(route).count("") == 2:
            urls += [admin_url(route, value) for value in ADMIN_IDS]
    assert sweep(client, urls, ADMIN_ALLOWED) == []
