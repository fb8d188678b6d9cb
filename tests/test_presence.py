"""Who else is editing: the change form's heartbeat, leave signal and notice."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from editing.models import PRESENCE_TIMEOUT, EditingSession
from editing.presence import ago

from .factories import county, make_article, make_staff
from .workflow_helpers import change_url

pytestmark = pytest.mark.django_db

TAB_A = "a" * 32
TAB_B = "b" * 32


def named(user, name):
    """Give the user's Author a name, as `add_staff --name` does."""
    user.author.name = name
    user.author.save()
    return user


def ping(client, article, key=TAB_A):
    return client.post(
        reverse("editing:presence", args=[article.pk]),
        json.dumps({"key": key}),
        content_type="application/json",
    )


def leave(client, article, key=TAB_A):
    return client.post(
        reverse("editing:leave", args=[article.pk]),
        json.dumps({"key": key}),
        content_type="application/json",
    )


@pytest.fixture
def desk():
    union = county("binhai")
    return {
        "wang": named(make_staff("editor", username="wangfang"), "王芳"),
        "liu": named(make_staff("editor", username="liujing"), "刘静"),
        "writer": named(make_staff("correspondent", union=union), "张军"),
        "other_writer": make_staff("correspondent", union=county("xiangshui")),
        "draft": make_article(
            status=Article.Status.DRAFT, days_ago=None, county_union=union
        ),
        "published": make_article(county_union=union),
    }


def test_a_ping_records_the_tab_and_answers_nobody_else(client, desk):
    client.force_login(desk["wang"])
    response = ping(client, desk["draft"])
    assert response.status_code == 200
    assert response.json() == {"others": []}
    assert EditingSession.objects.filter(user=desk["wang"], key=TAB_A).count() == 1


def test_each_sees_the_other_by_display_name(client, desk):
    draft = desk["draft"]
    client.force_login(desk["wang"])
    ping(client, draft)
    client.force_login(desk["liu"])
    others = ping(client, draft, TAB_B).json()["others"]
    assert [other["text"] for other in others] == ["王芳 正在编辑（刚刚）"]
    client.force_login(desk["wang"])
    others = ping(client, draft).json()["others"]
    assert [other["name"] for other in others] == ["刘静"]
    assert "liujing" not in json.dumps(others)


def test_the_notice_counts_from_when_the_form_was_opened(client, desk):
    draft = desk["draft"]
    client.force_login(desk["wang"])
    ping(client, draft)
    EditingSession.objects.update(started_at=timezone.now() - timedelta(minutes=2))
    client.force_login(desk["liu"])
    others = ping(client, draft, TAB_B).json()["others"]
    assert others[0]["text"] == "王芳 正在编辑（2 分钟前）"


def test_the_change_form_shows_who_else_is_editing(client, desk):
    draft = desk["draft"]
    client.force_login(desk["wang"])
    ping(client, draft)
    EditingSession.objects.update(started_at=timezone.now() - timedelta(minutes=2))
    client.force_login(desk["liu"])
    html = client.get(change_url(draft)).content.decode()
    assert "王芳 正在编辑（2 分钟前）" in html
    assert "wangfang" not in html


def test_the_users_own_tabs_are_not_others(client, desk):
    client.force_login(desk["wang"])
    ping(client, desk["draft"])
    assert ping(client, desk["draft"], TAB_B).json() == {"others": []}


def test_two_tabs_of_one_user_are_one_notice(client, desk):
    client.force_login(desk["wang"])
    ping(client, desk["draft"])
    ping(client, desk["draft"], TAB_B)
    client.force_login(desk["liu"])
    assert len(ping(client, desk["draft"], "c" * 32).json()["others"]) == 1


def test_presence_is_per_article(client, desk):
    client.force_login(desk["wang"])
    ping(client, desk["published"])
    client.force_login(desk["liu"])
    assert ping(client, desk["draft"]).json() == {"others": []}


def test_a_silent_tab_expires(client, desk):
    draft = desk["draft"]
    client.force_login(desk["wang"])
    ping(client, draft)
    client.force_login(desk["liu"])
    assert len(ping(client, draft, TAB_B).json()["others"]) == 1
    EditingSession.objects.filter(user=desk["wang"]).update(
        last_seen_at=timezone.now() - timedelta(seconds=PRESENCE_TIMEOUT + 1)
    )
    assert ping(client, draft, TAB_B).json() == {"others": []}
    assert PRESENCE_TIMEOUT < 60  # gone within a minute of closing the tab


def test_leaving_removes_the_tab_at_once(client, desk):
    draft = desk["draft"]
    client.force_login(desk["wang"])
    ping(client, draft)
    assert leave(client, draft).status_code == 200
    client.force_login(desk["liu"])
    assert ping(client, draft, TAB_B).json() == {"others": []}


def test_leave_cannot_end_another_users_tab(client, desk):
    draft = desk["draft"]
    client.force_login(desk["wang"])
    ping(client, draft)
    client.force_login(desk["liu"])
    leave(client, draft, TAB_A)  # the same key, another user
    assert EditingSession.objects.filter(user=desk["wang"]).exists() is True


def test_long_gone_tabs_are_deleted(client, desk):
    client.force_login(desk["wang"])
    ping(client, desk["draft"])
    EditingSession.objects.update(last_seen_at=timezone.now() - timedelta(hours=2))
    client.force_login(desk["liu"])
    ping(client, desk["published"])
    assert EditingSession.objects.filter(user=desk["wang"]).exists() is False


@pytest.mark.parametrize(
    ("who", "story", "status"),
    [
        ("writer", "draft", 200),
        ("writer", "published", 403),  # read-only to correspondents
        ("other_writer", "draft", 404),  # another county's draft
        ("wang", "published", 200),
    ],
)
def test_presence_permissions(client, desk, who, story, status):
    client.force_login(desk[who])
    assert ping(client, desk[story]).status_code == status
    assert leave(client, desk[story]).status_code == status
    assert EditingSession.objects.exists() is False or status == 200


def test_a_correspondent_cannot_watch_a_story_they_cannot_edit(client, desk):
    """The heartbeat is no way to see who works on a read-only story."""
    client.force_login(desk["wang"])
    ping(client, desk["published"])
    client.force_login(desk["writer"])
    response = ping(client, desk["published"])
    assert response.status_code == 403
    assert "王芳" not in response.content.decode()


def test_anonymous_pings_go_to_the_login_page(client, desk):
    response = ping(client, desk["draft"])
    assert response.status_code == 302
    assert EditingSession.objects.exists() is False


@pytest.mark.parametrize("body", ["", "{}", '{"key": 5}', '{"key": "short"}', "[1]"])
def test_a_ping_without_a_proper_tab_key_is_a_400(client, desk, body):
    client.force_login(desk["wang"])
    response = client.post(
        reverse("editing:presence", args=[desk["draft"].pk]),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "窗口标识" in response.json()["error"]


def test_get_is_refused(client, desk):
    client.force_login(desk["wang"])
    assert client.get(reverse("editing:presence", args=[desk["draft"].pk])).status_code == 405


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(5, "刚刚"), (59, "刚刚"), (60, "1 分钟前"), (3599, "59 分钟前"), (7200, "2 小时前")],
)
def test_ago(seconds, words):
    now = timezone.now()
    assert ago(now - timedelta(seconds=seconds), now) == words
