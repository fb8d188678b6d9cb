"""Autosave of the article form (editing app), posted as the page's script does."""

import json
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from editing import payload
from editing.models import Autosave
from serving import pagecache

from .factories import county, make_article, make_staff
from .workflow_helpers import change_url, form_data

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"
OFFER = 'id="autosave-offer"'  # the 恢复未保存的内容 banner


def autosave_url(article=None):
    if article is None:
        return reverse("editing:autosave_new")
    return reverse("editing:autosave", args=[article.pk])


def discard_url(article=None):
    if article is None:
        return reverse("editing:discard_new")
    return reverse("editing:discard", args=[article.pk])


def content(title="自动保存的标题", body="<p>打了一半的正文。</p>", **extra):
    fields = [["title", title], ["body", body], ["opened_version", "x"]]
    fields += [[name, value] for name, value in extra.items()]
    return {"fields": fields, "labels": {}}


def page_config(html):
    """The settings the page hands static/js/desk-editing.js, or None."""
    found = re.search(r'id="editing-panel" data-config="([^"]*)"', html)
    return json.loads(unescape(found.group(1))) if found else None


def offered_titles(html):
    config = page_config(html)
    offer = config and config["offer"]
    return [value for name, value in offer["fields"] if name == "title"] if offer else []


def send(client, url, data):
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def desk():
    union = county("binhai")
    return {
        "editor": make_staff("editor"),
        "writer": make_staff("correspondent", union=union),
        "other_writer": make_staff("correspondent", union=county("xiangshui")),
        "draft": make_article(
            status=Article.Status.DRAFT, days_ago=None, county_union=union
        ),
        "published": make_article(county_union=union),
    }


def test_an_autosave_is_kept_for_the_user_and_article(client, desk):
    client.force_login(desk["writer"])
    response = send(client, autosave_url(desk["draft"]), content())
    assert response.status_code == 200
    assert "time" in response.json()
    kept = Autosave.objects.get(user=desk["writer"], article=desk["draft"])
    assert ["title", "自动保存的标题"] in kept.fields


def test_a_second_autosave_replaces_the_first(client, desk):
    client.force_login(desk["writer"])
    send(client, autosave_url(desk["draft"]), content(title="第一次"))
    send(client, autosave_url(desk["draft"]), content(title="第二次"))
    kept = Autosave.objects.get(user=desk["writer"], article=desk["draft"])
    assert ["title", "第二次"] in kept.fields
    assert Autosave.objects.count() == 1


def test_the_csrf_token_is_not_kept(client, desk):
    client.force_login(desk["writer"])
    send(
        client,
        autosave_url(desk["draft"]),
        content(csrfmiddlewaretoken="secret-token"),
    )
    kept = Autosave.objects.get()
    assert "csrfmiddlewaretoken" not in {name for name, _value in kept.fields}


def test_autosave_leaves_the_article_row_and_revisions_alone(client, desk):
    draft = desk["draft"]
    before = Article.objects.filter(pk=draft.pk).values().get()
    versions = Version.objects.count()
    client.force_login(desk["writer"])
    assert send(client, autosave_url(draft), content()).status_code == 200
    assert Article.objects.filter(pk=draft.pk).values().get() == before
    assert Version.objects.count() == versions


def test_autosave_of_a_published_story_leaves_the_public_page(client, desk):
    published = desk["published"]
    page = client.get(published.get_absolute_url())
    generation = cache.get(pagecache.GENERATION_KEY)
    client.force_login(desk["editor"])
    response = send(client, autosave_url(published), content(title="测试一行"))
    assert response.status_code == 200
    assert cache.get(pagecache.GENERATION_KEY) == generation
    client.logout()
    assert "测试一行" not in client.get(published.get_absolute_url()).content.decode()
    assert page.status_code == 200


def test_the_add_form_has_one_new_article_autosave_per_user(client, desk):
    client.force_login(desk["writer"])
    send(client, autosave_url(), content(title="新稿件"))
    send(client, autosave_url(), content(title="新稿件，改过"))
    kept = Autosave.objects.get(user=desk["writer"], article__isnull=True)
    assert ["title", "新稿件，改过"] in kept.fields


def test_opening_the_form_again_offers_the_autosave_with_its_time(client, desk):
    client.force_login(desk["writer"])
    send(client, autosave_url(desk["draft"]), content(title="没来得及保存"))
    html = client.get(change_url(desk["draft"])).content.decode()
    assert OFFER in html
    assert "恢复未保存的内容" in html
    assert offered_titles(html) == ["没来得及保存"]
    kept = Autosave.objects.get()
    from django.utils import timezone

    assert timezone.localtime(kept.saved_at).strftime("%Y-%m-%d %H:%M") in html


def test_the_add_form_offers_the_new_article_autosave(client, desk):
    client.force_login(desk["writer"])
    send(client, autosave_url(), content(title="新稿件的标题"))
    html = client.get(ADD_URL).content.decode()
    assert OFFER in html
    assert "恢复未保存的内容" in html
    assert offered_titles(html) == ["新稿件的标题"]


def test_no_offer_without_an_autosave(client, desk):
    client.force_login(desk["writer"])
    html = client.get(change_url(desk["draft"])).content.decode()
    assert OFFER not in html
    assert page_config(html)["offer"] is None


def test_other_users_autosaves_are_never_shown(client, desk):
    client.force_login(desk["editor"])
    send(client, autosave_url(desk["draft"]), content(title="编辑的半截稿"))
    send(client, autosave_url(), content(title="编辑的新稿"))
    client.force_login(desk["writer"])
    for url in (change_url(desk["draft"]), ADD_URL):
        html = client.get(url).content.decode()
        assert OFFER not in html
        assert page_config(html)["offer"] is None


def test_discard_deletes_only_the_users_own_autosave(client, desk):
    client.force_login(desk["editor"])
    send(client, autosave_url(desk["draft"]), content(title="编辑的"))
    client.force_login(desk["writer"])
    send(client, autosave_url(desk["draft"]), content(title="通讯员的"))
    response = client.post(discard_url(desk["draft"]))
    assert response.status_code == 200
    assert list(Autosave.objects.values_list("user", flat=True)) == [desk["editor"].pk]


def test_discard_of_the_new_article_autosave(client, desk):
    client.force_login(desk["writer"])
    send(client, autosave_url(), content())
    assert client.post(discard_url()).status_code == 200
    assert Autosave.objects.exists() is False


def test_saving_the_form_deletes_the_users_autosave(client, desk):
    draft = desk["draft"]
    client.force_login(desk["editor"])
    send(client, autosave_url(draft), content(title="编辑的半截稿"))
    client.force_login(desk["writer"])
    send(client, autosave_url(draft), content(title="通讯员的半截稿"))
    response = client.post(change_url(draft), form_data(draft, title="保存了"))
    assert response.status_code == 302
    # The saver's own autosave is gone; the other user's stays.
    assert list(Autosave.objects.values_list("user", flat=True)) == [desk["editor"].pk]


def test_a_refused_stale_save_keeps_the_autosave(client, desk):
    draft = desk["draft"]
    client.force_login(desk["writer"])
    send(client, autosave_url(draft), content())
    response = client.post(
        change_url(draft),
        form_data(draft, opened_version="2000-01-01T00:00:00+00:00", title="晚了"),
    )
    assert response.status_code == 200
    assert Autosave.objects.filter(user=desk["writer"]).exists() is True
    # The refused form comes back with the text: no restore banner over it.
    assert OFFER not in response.content.decode()


def test_adding_a_story_deletes_the_new_article_autosave(client, desk):
    client.force_login(desk["editor"])
    send(client, autosave_url(), content(title="新稿"))
    data = form_data(desk["draft"], title="新建的稿件", slug="")
    for name in ("opened_version", "bylines-0-id", "bylines-0-article"):
        data.pop(name, None)
    response = client.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Autosave.objects.exists() is False


# Who may autosave what: the article admin's own scope and role rules.


@pytest.mark.parametrize(
    ("who", "story", "status"),
    [
        ("writer", "draft", 200),
        ("writer", "published", 403),  # correspondents never touch live stories
        ("other_writer", "draft", 404),  # another county's draft is invisible
        ("editor", "draft", 200),
        ("editor", "published", 200),
    ],
)
def test_autosave_permissions(client, desk, who, story, status):
    client.force_login(desk[who])
    response = send(client, autosave_url(desk[story]), content())
    assert response.status_code == status
    assert Autosave.objects.exists() is (status == 200)
    if status != 200:
        assert response.json()["error"]


def test_a_photographer_cannot_autosave_a_new_article(client, desk):
    client.force_login(make_staff("photographer"))
    response = send(client, autosave_url(), content())
    assert response.status_code == 403
    assert Autosave.objects.exists() is False


def test_anonymous_requests_go_to_the_login_page(client, desk):
    for url in (autosave_url(desk["draft"]), autosave_url(), discard_url()):
        response = send(client, url, content())
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert Autosave.objects.exists() is False


def test_get_is_refused(client, desk):
    client.force_login(desk["writer"])
    assert client.get(autosave_url(desk["draft"])).status_code == 405


def test_a_post_without_the_csrf_token_is_refused(desk):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(desk["writer"])
    response = send(client, autosave_url(desk["draft"]), content())
    assert response.status_code == 403
    assert Autosave.objects.exists() is False


def test_unknown_article_is_a_404(client, desk):
    client.force_login(desk["editor"])
    for object_id in ("999999", "abc"):
        url = reverse("editing:autosave", args=[object_id])
        assert send(client, url, content()).status_code == 404


# The payload: size limit and shape, each with a Chinese message, never a 500.


def test_an_oversized_autosave_is_refused_in_chinese(client, desk):
    client.force_login(desk["writer"])
    big = content(body="字" * payload.MAX_BYTES)
    response = send(client, autosave_url(desk["draft"]), big)
    assert response.status_code == 413
    assert "内容太长" in response.json()["error"]
    assert Autosave.objects.exists() is False


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        b"\xff\xfe",
        "[]",
        '{"fields": "x"}',
        '{"fields": [["title"]]}',
        '{"fields": [["title", 5]]}',
        '{"fields": [[5, "x"]]}',
        '{"fields": [["' + "n" * 300 + '", "x"]]}',
        '{"fields": [], "labels": []}',
        '{"fields": [["title", "a\\u0000b"]]}',
        '{"fields": [["title", "\\ud800"]]}',
        '{"fields": [["author", "1"]], "labels": {"author": {"1": "\\u0000"}}}',
        '{"fields": [' + ",".join(['["a", "b"]'] * (payload.MAX_FIELDS + 1)) + "]}",
    ],
)
def test_a_malformed_autosave_is_a_chinese_400(client, desk, body):
    client.force_login(desk["writer"])
    response = send(client, autosave_url(desk["draft"]), body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert any("\u4e00" <= char <= "\u9fff" for char in error)
    assert Autosave.objects.exists() is False


def test_labels_of_autocomplete_choices_are_kept(client, desk):
    client.force_login(desk["writer"])
    data = content(**{"bylines-0-author": "7"})
    data["labels"] = {"bylines-0-author": {"7": "王芳（滨海县总工会）"}, "gone": {}}
    send(client, autosave_url(desk["draft"]), data)
    kept = Autosave.objects.get()
    assert kept.labels == {"bylines-0-author": {"7": "王芳（滨海县总工会）"}}


def test_read_only_form_has_no_autosave(client, desk):
    client.force_login(desk["writer"])
    html = client.get(change_url(desk["published"])).content.decode()
    assert page_config(html) is None
