"""The workflow verbs on Article: states, records, refusals and e-mails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, ArticleTransition
from tests.factories import county, make_article, make_author, make_staff


@pytest.fixture
def editor(db):
    return make_staff("editor", email="editor@example.com")


@pytest.fixture
def writer(db):
    return make_staff("correspondent", union=county("xiangshui"), email="w@example.com")


def draft_by(writer):
    return make_article(
        status=Article.Status.DRAFT,
        days_ago=None,
        county_union=county("xiangshui"),
        created_by=writer,
    )


def test_submit_moves_draft_to_review_and_records_it(writer):
    article = draft_by(writer)
    step = article.submit(by=writer)
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert (step.by, step.from_status, step.to_status) == (
        writer,
        Article.Status.DRAFT,
        Article.Status.REVIEW,
    )
    assert article.updated_by == writer


def test_publish_without_time_is_visible_now(editor, writer):
    article = draft_by(writer)
    article.submit(by=writer)
    step = article.publish(by=editor)
    assert step.action == ArticleTransition.Action.PUBLISH
    assert Article.objects.published().filter(pk=article.pk).exists() is True


def test_publish_with_future_time_is_scheduled(editor, writer):
    article = draft_by(writer)
    later = timezone.now() + timedelta(hours=3)
    step = article.publish(by=editor, at=later)
    article.refresh_from_db()
    assert step.action == ArticleTransition.Action.SCHEDULE
    assert article.is_scheduled is True
    assert Article.objects.published().filter(pk=article.pk).exists() is False


def test_return_needs_a_comment(editor, writer):
    article = draft_by(writer)
    article.submit(by=writer)
    with pytest.raises(ValidationError, match="修改意见"):
        article.return_to_writer(by=editor, comment="  ")
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW


def test_return_sends_story_back_to_draft_with_comment(editor, writer):
    article = draft_by(writer)
    article.submit(by=writer)
    step = article.return_to_writer(by=editor, comment="请补充参会人数。")
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert step.comment == "请补充参会人数。"


@pytest.mark.parametrize(
    "status, verb",
    [
        (Article.Status.REVIEW, "submit"),
        (Article.Status.PUBLISHED, "submit"),
        (Article.Status.WITHDRAWN, "publish"),
        (Article.Status.PUBLISHED, "publish"),
        (Article.Status.DRAFT, "return"),
        (Article.Status.DRAFT, "withdraw"),
        (Article.Status.REVIEW, "withdraw"),
    ],
)
def test_move_not_allowed_from_state_is_refused_in_chinese(editor, status, verb):
    article = make_article(status=status)
    calls = {
        "submit": lambda: article.submit(by=editor),
        "publish": lambda: article.publish(by=editor),
        "return": lambda: article.return_to_writer(by=editor, comment="意见"),
        "withdraw": lambda: article.withdraw(by=editor),
    }
    with pytest.raises(ValidationError, match="不能"):
        calls[verb]()
    assert Article.objects.get(pk=article.pk).status == status
    assert article.transitions.exists() is False


def test_stale_object_cannot_repeat_a_move(editor):
    """Two editors holding the same review story: only one publish happens."""
    first = make_article(status=Article.Status.REVIEW)
    second = Article.objects.get(pk=first.pk)
    first.publish(by=editor)
    with pytest.raises(ValidationError):
        second.return_to_writer(by=editor, comment="晚了一步")
    assert Article.objects.get(pk=first.pk).status == Article.Status.PUBLISHED


def test_withdraw_keeps_the_article(editor):
    article = make_article()
    article.withdraw(by=editor, comment="数据有误")
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert article.transitions.get().comment == "数据有误"


def test_published_article_cannot_be_deleted(db):
    article = make_article()
    with pytest.raises(ValidationError, match="不能删除"):
        article.delete()
    assert Article.objects.filter(pk=article.pk).exists() is True


def test_transition_saves_a_revision_by_the_actor(editor):
    from reversion.models import Version

    article = make_article(status=Article.Status.REVIEW)
    article.publish(by=editor)
    version = Version.objects.get_for_object(article).first()
    assert version.revision.user == editor
    assert version.field_dict["status"] == Article.Status.PUBLISHED


# Notifications


def test_submit_mails_the_editors(editor, writer):
    make_staff("editor", email="")  # no address: skipped, no error
    article = draft_by(writer)
    mail.outbox.clear()
    article.submit(by=writer)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["editor@example.com"]
    assert article.title in mail.outbox[0].subject


def test_return_mails_the_writer_with_the_comment(editor, writer):
    article = draft_by(writer)
    article.submit(by=writer)
    mail.outbox.clear()
    article.return_to_writer(by=editor, comment="标题太长。")
    assert [message.to for message in mail.outbox] == [["w@example.com"]]
    assert "标题太长。" in mail.outbox[0].body
    assert "退回修改" in mail.outbox[0].subject


def test_publish_mails_the_writer_and_byline_accounts(editor, writer):
    colleague = make_staff("correspondent", email="c@example.com")
    article = draft_by(writer)
    article.bylines.create(author=colleague.author, position=0)
    article.bylines.create(author=make_author("没有账号的作者"), position=1)
    mail.outbox.clear()
    article.publish(by=editor)
    assert mail.outbox[0].to == ["c@example.com", "w@example.com"]


def test_withdraw_sends_no_mail(editor):
    article = make_article()
    mail.outbox.clear()
    article.withdraw(by=editor)
    assert mail.outbox == []


def test_steps_save_through_the_model_so_signals_fire(editor):
    from django.db.models.signals import post_save

    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.status)

    post_save.connect(receiver, sender=Article, dispatch_uid="test-workflow-signal")
    try:
        article = make_article(status=Article.Status.REVIEW)
        seen.clear()
        article.publish(by=editor)
        article.withdraw(by=editor)
    finally:
        post_save.disconnect(sender=Article, dispatch_uid="test-workflow-signal")
    assert seen == [Article.Status.PUBLISHED, Article.Status.WITHDRAWN]
