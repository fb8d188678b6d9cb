"""Every workflow button of the change form saves the form first (issue 16).

The buttons post the change form itself with _workflow=<move>: the form is
saved with the same checks as 保存, then the story moves, in one
transaction. A refused save or move shows the form again as typed, with
nothing saved and nothing moved.
"""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from articles.models import Article, ArticleTransition
from review.models import SignOff, Term
from tests.factories import county, make_article, make_staff
from tests.review_helpers import chained_section, desk, story
from tests.workflow_helpers import change_url, form_data, posted_data

Action = ArticleTransition.Action


def press(client, article, move, **overrides):
    """Post the change form as it stands, pressing the workflow button."""
    response = client.get(change_url(article))
    data = posted_data(response)
    data.update(overrides)
    data["_workflow"] = move
    return client.post(change_url(article), data)


def shown_messages(client, response):
    page = client.get(response["Location"])
    return [str(m) for m in get_messages(page.wsgi_request)]


@pytest.fixture
def writer(db):
    return make_staff("correspondent", union=county("xiangshui"))


@pytest.fixture
def draft(writer):
    return make_article(
        status=Article.Status.DRAFT,
        county_union=county("xiangshui"),
        created_by=writer,
        title="原来的标题",
        days_ago=None,
    )


def test_submit_saves_the_typed_title_then_submits(client, writer, draft):
    client.force_login(writer)
    response = press(client, draft, "submit", title="改过的标题")
    assert response.status_code == 302
    saved = Article.objects.get(pk=draft.pk)
    assert saved.title == "改过的标题"
    assert saved.status == Article.Status.REVIEW
    assert saved.transitions.get().action == Action.SUBMIT
    assert "已保存，提交审核" in shown_messages(client, response)[0]


def test_submit_notifies_editors_as_before(client, writer, draft):
    editor = make_staff("editor", email="bianji@example.com")
    client.force_login(writer)
    press(client, draft, "submit", title="改过的标题")
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert "改过的标题" in mail.outbox[0].subject


def test_publish_saves_the_typed_body_then_publishes(client, db):
    article = make_article(status=Article.Status.REVIEW, days_ago=None)
    client.force_login(make_staff("editor"))
    press(client, article, "publish", body="<p>编辑改过的正文。</p>")
    saved = Article.objects.get(pk=article.pk)
    assert saved.body == "<p>编辑改过的正文。</p>"
    assert saved.is_published is True


def test_publish_with_a_future_time_in_the_form_schedules(client, db):
    article = make_article(status=Article.Status.REVIEW, days_ago=None)
    client.force_login(make_staff("editor"))
    press(
        client, article, "publish", publish_at_0="2099-05-01", publish_at_1="08:30:00"
    )
    saved = Article.objects.get(pk=article.pk)
    assert saved.is_scheduled is True
    assert saved.transitions.get().action == Action.SCHEDULE


def test_return_saves_the_editors_changes_and_records_the_comment(client, writer):
    article = make_article(
        status=Article.Status.REVIEW, county_union=county("xiangshui"), days_ago=None
    )
    client.force_login(make_staff("editor"))
    press(client, article, "return", title="编辑改的标题", comment="请补充数字。")
    saved = Article.objects.get(pk=article.pk)
    assert saved.title == "编辑改的标题"
    assert saved.desk_status == Article.DeskStatus.RETURNED
    assert saved.transitions.get().comment == "请补充数字。"


def test_return_without_comment_keeps_the_form_and_saves_nothing(client, db):
    article = make_article(status=Article.Status.REVIEW, days_ago=None, title="旧")
    before = Article.objects.get(pk=article.pk).updated_at
    client.force_login(make_staff("editor"))
    response = press(client, article, "return", title="没保存的标题", comment=" ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "未能退回修改" in page and "请写明修改意见" in page
    assert "没保存的标题" in page  # the typed title is still in the form
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.status, saved.updated_at) == (
        "旧",
        Article.Status.REVIEW,
        before,
    )
    assert saved.transitions.exists() is False


def test_refused_move_keeps_the_typed_comment(client, db):
    article = make_article(status=Article.Status.REVIEW, days_ago=None)
    client.force_login(make_staff("editor"))
    # An empty title fails validation: no save, no move, comment kept.
    response = press(client, article, "return", title="", comment="导语太长。")
    assert response.status_code == 200
    page = response.content.decode()
    assert "导语太长。" in page
    assert "没有退回修改" in page
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW


def test_stale_form_refuses_the_move_and_keeps_the_text(client, writer, draft):
    client.force_login(writer)
    stale = posted_data(client.get(change_url(draft)))
    Article.objects.filter(pk=draft.pk).update(
        updated_at=draft.updated_at + timedelta(seconds=5)
    )
    response = client.post(
        change_url(draft),
        {**stale, "body": "<p>通讯员的新段落。</p>", "_workflow": "submit"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "保存被拒绝" in page and "通讯员的新段落。" in page
    saved = Article.objects.get(pk=draft.pk)
    assert saved.status == Article.Status.DRAFT
    assert "通讯员的新段落" not in saved.body


def test_a_move_without_permission_is_refused_in_the_form(client, writer, draft):
    client.force_login(writer)
    response = press(client, draft, "publish", title="想直接发布")
    assert response.status_code == 200
    assert "没有这项操作的权限" in response.content.decode()
    saved = Article.objects.get(pk=draft.pk)
    assert (saved.title, saved.status) == ("原来的标题", Article.Status.DRAFT)


def test_correspondent_still_cannot_change_a_published_story(client, writer):
    article = make_article(
        status=Article.Status.PUBLISHED,
        county_union=county("xiangshui"),
        created_by=writer,
        title="已发布",
    )
    client.force_login(writer)
    data = form_data(article, title="通讯员改的", _workflow="submit")
    response = client.post(change_url(article), data)
    assert response.status_code == 403
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.status) == ("已发布", Article.Status.PUBLISHED)


def test_withdraw_saves_first_and_records_the_comment(client, db):
    article = make_article(status=Article.Status.PUBLISHED, title="旧标题")
    client.force_login(make_staff("editor"))
    press(client, article, "withdraw", title="更正后的标题", comment="数据有误")
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.status) == ("更正后的标题", Article.Status.WITHDRAWN)
    assert saved.transitions.get().comment == "数据有误"


def test_withdraw_without_edits_says_only_that_it_withdrew(client, db):
    """No '没有未发布的修改' notice beside 撤稿: nothing was typed."""
    article = make_article(status=Article.Status.PUBLISHED, title="要撤的稿")
    client.force_login(make_staff("editor"))
    response = press(client, article, "withdraw", comment="数据有误")
    shown = shown_messages(client, response)
    assert Article.objects.get(pk=article.pk).status == Article.Status.WITHDRAWN
    assert shown == ["“要撤的稿”：已保存，撤稿。"]


def test_stage_sign_needs_acknowledgement_and_rolls_back_the_save(client, db):
    Term.objects.create(word="惟一", level="caution", suggestion="唯一")
    people = desk()
    article = story(chained_section(3), body="<p>这是好办法。</p>")
    client.force_login(people["editor"])
    # The edit brings in a 提示 term: signing needs it acknowledged.
    response = press(client, article, "sign_first", body="<p>这是惟一的办法。</p>")
    assert response.status_code == 200
    assert "已核对提示词" in response.content.decode()
    assert "惟一" not in Article.objects.get(pk=article.pk).body
    assert SignOff.objects.filter(article=article).exists() is False

    press(
        client,
        article,
        "sign_first",
        body="<p>这是惟一的办法。</p>",
        acknowledge_terms="on",
        comment="属实",
    )
    assert "惟一" in Article.objects.get(pk=article.pk).body
    assert SignOff.objects.get(article=article).opinion == "属实"


def test_plain_save_still_only_saves(client, writer, draft):
    client.force_login(writer)
    data = posted_data(client.get(change_url(draft)))
    data.update(title="只保存", _save="保存")
    assert client.post(change_url(draft), data).status_code == 302
    saved = Article.objects.get(pk=draft.pk)
    assert (saved.title, saved.status) == ("只保存", Article.Status.DRAFT)


def test_the_buttons_are_part_of_the_change_form(client, writer, draft):
    client.force_login(writer)
    page = client.get(change_url(draft)).content.decode()
    start = page.index('id="article_form"')
    form = page[start : page.index("</form>", start)]
    assert 'name="_workflow" value="submit"' in form
    assert "/transition/" not in page


def test_publish_time_typed_in_the_past_is_kept(client, db):
    """A time typed into the form is the time the story goes out, as when the
    box copied it (a back-dated story keeps its date)."""
    article = make_article(status=Article.Status.REVIEW, days_ago=None)
    client.force_login(make_staff("editor"))
    when = timezone.localtime() - timedelta(days=3)
    press(
        client,
        article,
        "publish",
        publish_at_0=when.strftime("%Y-%m-%d"),
        publish_at_1="09:00:00",
    )
    saved = Article.objects.get(pk=article.pk)
    local = timezone.localtime(saved.publish_at)
    assert (local.date(), local.hour) == (when.date(), 9)
    assert saved.transitions.get().action == Action.PUBLISH
