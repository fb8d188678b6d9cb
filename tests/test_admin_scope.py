"""Every admin URL a role can reach keeps to what that role may view.

A correspondent sees their own county's stories; a photographer only photos
(and published articles through the reader site). The admin's "view on site"
redirect and every admin URL that takes an object's id are swept with a draft
the account may not see: none may answer with it, its title or its slug.
"""

import re

import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from articles.models import Article

from .factories import county, make_article, make_staff, make_user

pytestmark = pytest.mark.django_db

HIDDEN = {302, 403, 404, 405}


@pytest.fixture
def binhai_draft():
    with reversion.create_revision():
        article = make_article(
            title="滨海县未发稿件",
            slug="bin-hai-xian-wei-fa-gao-jian",
            status=Article.Status.DRAFT,
            county_union=county("binhai"),
            days_ago=None,
        )
    return article


@pytest.fixture
def xiangshui_draft():
    return make_article(
        title="响水县自己的稿件",
        status=Article.Status.DRAFT,
        county_union=county("xiangshui"),
        days_ago=None,
    )


def view_on_site(article):
    content_type = ContentType.objects.get_for_model(Article)
    return reverse("admin:view_on_site", args=[content_type.pk, article.pk])


def login(client, role):
    user = make_staff(role, union=county("xiangshui"))
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    "role, own, other",
    [
        ("correspondent", 302, 404),
        ("photographer", 404, 404),
        ("editor", 302, 302),
    ],
)
def test_view_on_site_answers_only_within_the_roles_view_scope(
    client, binhai_draft, xiangshui_draft, role, own, other
):
    login(client, role)
    assert client.get(view_on_site(xiangshui_draft)).status_code == own
    response = client.get(view_on_site(binhai_draft))
    assert response.status_code == other
    if other == 404:
        assert binhai_draft.slug not in response.get("Location", "")
        assert binhai_draft.slug not in response.content.decode()


def test_view_on_site_sends_anonymous_readers_to_the_log_in(client, binhai_draft):
    response = client.get(view_on_site(binhai_draft))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert binhai_draft.slug not in response["Location"]


def test_view_on_site_of_an_own_published_story_redirects_to_it(client):
    article = make_article(county_union=county("xiangshui"))
    login(client, "correspondent")
    response = client.get(view_on_site(article))
    assert response.status_code == 302
    assert response["Location"].endswith(article.get_absolute_url())


@pytest.mark.parametrize(
    "content_type_id, object_id", [(999999, 1), (1, "abc"), (1, "9" * 30)]
)
def test_view_on_site_of_nothing_is_not_found(client, content_type_id, object_id):
    client.force_login(make_user(superuser=True))
    url = f"/admin/r/{content_type_id}/{object_id}/"
    assert client.get(url).status_code == 404


def object_routes(resolver=None, prefix=""):
    """Admin routes that take an article's id (object_id)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                yield from object_routes(entry, route)
        elif isinstance(entry, URLPattern) and route.startswith("admin/"):
            if "object_id" in route and (
                "articles/article/" in route or route.startswith("admin/r/")
            ):
                yield route.lstrip("^").rstrip("$")


ROUTES = sorted(set(object_routes()))
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def test_the_sweep_finds_the_article_admin_urls():
    assert "admin/articles/article/<path:object_id>/change/" in ROUTES
    assert "admin/articles/article/<path:object_id>/history/" in ROUTES
    assert any(route.startswith("admin/r/") for route in ROUTES)


@pytest.mark.parametrize("role", ["correspondent", "photographer"])
@pytest.mark.parametrize("route", ROUTES)
def test_no_admin_url_shows_a_draft_outside_the_roles_scope(
    client, binhai_draft, role, route
):
    from reversion.models import Version

    login(client, role)
    version = Version.objects.get_for_object(binhai_draft).first()
    values = {
        "object_id": str(binhai_draft.pk),
        "version_id": str(version.pk),
        "content_type_id": str(ContentType.objects.get_for_model(Article).pk),
    }
    # Any other id (a preview link's, say) gets the draft's id: a real
    # object or none, the route must hide the draft either way.
    url = "/" + PARAM.sub(
        lambda match: values.get(match.group(1), str(binhai_draft.pk)), route
    )
    for response in (client.get(url), client.post(url, {"action": "submit"})):
        assert response.status_code in HIDDEN, url
        assert binhai_draft.title not in response.content.decode(), url
        assert binhai_draft.slug not in response.get("Location", ""), url
    binhai_draft.refresh_from_db()
    assert binhai_draft.status == Article.Status.DRAFT
