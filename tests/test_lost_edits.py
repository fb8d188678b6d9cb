"""Two people edit one article: the stale save is refused, nothing is lost."""

from datetime import timedelta

import pytest

from articles.models import Article
from tests.factories import county, make_article, make_staff
from tests.workflow_helpers import change_url, form_data


def open_form(client, article):
    """GET the change form and return the version token it carries."""
    response = client.get(change_url(article))
    return response.context["adminform"].form["opened_version"].value()


def test_second_stale_save_is_refused_and_keeps_its_text(client, db):
    article = make_article(
        status=Article.Status.DRAFT, county_union=county("xiangshui"), days_ago=None
    )
    first = make_staff("editor", username="liujing")
    first.first_name = "静"
    first.last_name = "刘"
    first.save()
    second = make_staff("correspondent", union=county("xiangshui"))

    client.force_login(second)
    stale_token = open_form(client, article)
    client.force_login(first)
    token = open_form(client, article)
    response = client.post(
        change_url(article), form_data(article, token, body="<p>刘静的修改。</p>")
    )
    assert response.status_code == 302

    client.force_login(second)
    response = client.post(
        change_url(article),
        form_data(article, stale_token, body="<p>通讯员补充的第二段。</p>"),
    )
    assert response.status_code == 200  # form shown again, not saved
    page = response.content.decode()
    assert "保存被拒绝" in page
    assert "刘静" in page  # who changed it
    saved = Article.objects.get(pk=article.pk)
    when = saved.updated_at.astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Shanghai")
    ).strftime("%Y-%m-%d %H:%M:%S")
    assert when in page  # and when
    assert "通讯员补充的第二段。" in page  # the refused text is still in the form
    assert saved.body == "<p>刘静的修改。</p>"


def test_saving_again_after_the_warning_is_a_deliberate_overwrite(client, db):
    article = make_article(status=Article.Status.DRAFT, days_ago=None)
    editor = make_staff("editor")
    client.force_login(editor)
    stale_token = open_form(client, article)
    Article.objects.filter(pk=article.pk).update(
        updated_at=article.updated_at + timedelta(seconds=5)
    )
    refused = client.post(
        change_url(article), form_data(article, stale_token, title="我的标题")
    )
    fresh_token = refused.context["adminform"].form["opened_version"].value()
    assert fresh_token != stale_token
    accepted = client.post(
        change_url(article), form_data(article, fresh_token, title="我的标题")
    )
    assert accepted.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "我的标题"


def test_a_workflow_step_in_between_also_makes_the_form_stale(client, db):
    writer = make_staff("correspondent", union=county("xiangshui"))
    editor = make_staff("editor")
    article = make_article(
        status=Article.Status.REVIEW, county_union=county("xiangshui"), days_ago=None
    )
    client.force_login(editor)
    token = open_form(client, article)
    article.return_to_writer(by=writer, comment="补充数字")
    response = client.post(change_url(article), form_data(article, token, title="新"))
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).title != "新"


@pytest.mark.parametrize("token", ["", "garbage", "2026-13-45T99:00:00+00:00"])
def test_missing_or_forged_token_is_refused_not_a_crash(client, db, token):
    article = make_article(status=Article.Status.DRAFT, days_ago=None)
    client.force_login(make_staff("editor"))
    data = form_data(article, title="无令牌")
    data["opened_version"] = token
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "保存被拒绝" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title != "无令牌"
