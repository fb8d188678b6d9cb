"""In-app notices of workflow steps (issue 22, part A)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author
from notifications.models import Notification, catch_up_went_live
from tests.factories import county, make_article, make_staff

LIST = "/admin/notifications/notification/"
UNREAD = "/admin/notifications/notification/unread.json"


@pytest.fixture
def staff(db):
    union = county("binhai")
    people = {
        "editor": make_staff("editor", username="zhoubian"),
        "editor2": make_staff("editor", username="libian"),
        "writer": make_staff("correspondent", union=union, username="wangfang"),
        "other": make_staff("correspondent", union=union, username="lisi"),
    }
    Author.objects.filter(user=people["editor"]).update(name="周编辑")
    Author.objects.filter(user=people["writer"]).update(name="王芳")
    for key in people:
        people[key] = type(people[key]).objects.get(pk=people[key].pk)
    return people


def draft(staff):
    return make_article(
        status=Article.Status.DRAFT,
        days_ago=None,
        county_union=county("binhai"),
        created_by=staff["writer"],
        title="滨海县职工运动会开幕",
    )


def notices(user):
    return list(Notification.objects.for_user(user).order_by("pk"))


def test_submission_tells_every_editor_by_the_writers_name(staff):
    draft(staff).submit(by=staff["writer"])
    for editor in (staff["editor"], staff["editor2"]):
        (notice,) = notices(editor)
        assert notice.kind == Notification.Kind.SUBMITTED
        assert notice.text == "王芳 提交了稿件“滨海县职工运动会开幕”，等待审核。"
    assert notices(staff["writer"]) == []
    assert notices(staff["other"]) == []


def test_return_and_publish_tell_the_writer(staff):
    article = draft(staff)
    article.submit(by=staff["writer"])
    article.return_to_writer(by=staff["editor"], comment="补充人数")
    article.submit(by=staff["writer"])
    article.publish(by=staff["editor"])
    kinds = [notice.kind for notice in notices(staff["writer"])]
    assert kinds == [Notification.Kind.RETURNED, Notification.Kind.PUBLISHED]
    assert "周编辑 退回了您的稿件" in notices(staff["writer"])[0].text
    # The acting editor is not told of his own step.
    assert all(
        notice.kind == Notification.Kind.SUBMITTED
        for notice in notices(staff["editor"])
    )


def test_scheduled_story_going_live_is_noticed_once(staff):
    article = draft(staff)
    article.submit(by=staff["writer"])
    article.publish(by=staff["editor"], at=timezone.now() + timedelta(hours=2))
    catch_up_went_live(staff["writer"])
    assert notices(staff["writer"]) == []
    later = timezone.now() + timedelta(hours=3)
    catch_up_went_live(staff["writer"], now=later)
    catch_up_went_live(staff["writer"], now=later)
    (notice,) = notices(staff["writer"])
    assert notice.kind == Notification.Kind.WENT_LIVE
    assert notice.text == "定时发布的稿件“滨海县职工运动会开幕”已经上线。"
    catch_up_went_live(staff["editor"], now=later)
    assert [n.kind for n in notices(staff["editor"])] == [
        Notification.Kind.SUBMITTED,
        Notification.Kind.WENT_LIVE,
    ]
    assert notices(staff["other"]) == []


def test_withdrawn_schedule_never_goes_live(staff):
    article = draft(staff)
    article.submit(by=staff["writer"])
    article.publish(by=staff["editor"], at=timezone.now() + timedelta(hours=2))
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    catch_up_went_live(staff["writer"], now=timezone.now() + timedelta(hours=3))
    assert notices(staff["writer"]) == []


def test_unread_count_list_and_open(client, staff):
    article = draft(staff)
    article.submit(by=staff["writer"])
    article.return_to_writer(by=staff["editor"], comment="补充人数")
    client.force_login(staff["writer"])
    assert client.get(UNREAD).json() == {"unread": 1}
    html = client.get(LIST).content.decode()
    assert "周编辑 退回了您的稿件“滨海县职工运动会开幕”，请按意见修改。" in html
    assert "未读" in html
    (notice,) = notices(staff["writer"])
    response = client.get(
        reverse("admin:notifications_notification_open", args=[notice.pk])
    )
    assert response.url == f"/admin/articles/article/{article.pk}/change/"
    assert client.get(UNREAD).json() == {"unread": 0}


def test_notices_are_private(client, staff):
    draft(staff).submit(by=staff["writer"])
    (notice,) = notices(staff["editor"])
    client.force_login(staff["other"])
    url = reverse("admin:notifications_notification_open", args=[notice.pk])
    assert client.get(url).status_code == 404
    assert "滨海县职工运动会开幕" not in client.get(LIST).content.decode()
    assert client.get(UNREAD).json() == {"unread": 0}


def test_read_all(client, staff):
    article = draft(staff)
    article.submit(by=staff["writer"])
    client.force_login(staff["editor"])
    assert client.get(UNREAD).json() == {"unread": 1}
    assert (
        client.get(reverse("admin:notifications_notification_read_all")).status_code
        == 405
    )
    client.post(reverse("admin:notifications_notification_read_all"))
    assert client.get(UNREAD).json() == {"unread": 0}


@pytest.mark.parametrize("steps", [1, 8])
def test_unread_count_queries_do_not_grow(
    client, staff, django_assert_num_queries, steps
):
    for _ in range(steps):
        article = draft(staff)
        article.submit(by=staff["writer"])
        article.publish(by=staff["editor"], at=timezone.now() - timedelta(minutes=1))
    client.force_login(staff["writer"])
    with django_assert_num_queries(4):
        assert client.get(UNREAD).json() == {"unread": steps}
