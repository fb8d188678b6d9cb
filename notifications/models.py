"""In-app notices of workflow steps, beside the e-mails of articles/notifications."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleTransition
from articles.roles import EDITOR

# A scheduled story's "went live" notice is made when someone looks (there is
# no cron); schedules older than this are not looked at any more.
WENT_LIVE_WINDOW = timedelta(days=30)


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user.pk)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self):
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """One notice to one person about one workflow step of a story."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("提交审核")
        RETURNED = "returned", _("退回修改")
        PUBLISHED = "published", _("已发布")
        WENT_LIVE = "went_live", _("定时发布已上线")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    article = models.ForeignKey(
        Article,
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    transition = models.ForeignKey(
        ArticleTransition,
        verbose_name=_("流程记录"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Made again (a second look, two requests at once) changes nothing.
            models.UniqueConstraint(
                fields=["recipient", "transition", "kind"],
                name="one_notice_per_step",
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "-created_at"],
                name="notice_recipient_unread",
            )
        ]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self):
        return self.text

    @property
    def text(self):
        """The notice in one sentence, naming the person by display name."""
        from articles.roles import display_name

        title = self.article.title
        who = display_name(self.transition.by)
        if self.kind == self.Kind.SUBMITTED:
            return _("%(who)s 提交了稿件“%(title)s”，等待审核。") % {
                "who": who,
                "title": title,
            }
        if self.kind == self.Kind.RETURNED:
            return _("%(who)s 退回了您的稿件“%(title)s”，请按意见修改。") % {
                "who": who,
                "title": title,
            }
        if self.kind == self.Kind.PUBLISHED:
            return _("%(who)s 发布了稿件“%(title)s”。") % {"who": who, "title": title}
        return _("定时发布的稿件“%(title)s”已经上线。") % {"title": title}


def writers(article):
    """Staff who wrote the story: its creator and byline authors with accounts."""
    User = get_user_model()
    return User.objects.filter(
        Q(pk=article.created_by_id) | Q(author__bylines__article=article.pk),
        is_active=True,
    ).distinct()


def editors():
    return get_user_model().objects.filter(groups__name=EDITOR, is_active=True)


# Workflow action → (notice kind, who gets it).
NOTICES = {
    ArticleTransition.Action.SUBMIT: (Notification.Kind.SUBMITTED, editors),
    ArticleTransition.Action.RETURN: (Notification.Kind.RETURNED, None),
    ArticleTransition.Action.PUBLISH: (Notification.Kind.PUBLISHED, None),
}


def notify_step(transition):
    """Notices for one workflow step; the person who took it gets none."""
    if transition.action not in NOTICES:
        return
    kind, recipients = NOTICES[transition.action]
    people = recipients() if recipients else writers(transition.article)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                kind=kind,
                article=transition.article,
                transition=transition,
                created_at=transition.at,
            )
            for person in people.exclude(pk=transition.by_id)
        ],
        ignore_conflicts=True,
    )


def catch_up_went_live(user, now=None):
    """Notices for the user's scheduled stories whose time has come.

    Nothing runs at the publish time itself, so this is called whenever the
    user's notices are read. Each schedule step gives at most one notice per
    person (the unique constraint), and only if no later step replaced it.
    """
    now = now or timezone.now()
    later = ArticleTransition.objects.filter(
        article=OuterRef("article"), at__gt=OuterRef("at")
    )
    mine = (
        Q(by=user.pk)
        | Q(article__created_by=user.pk)
        | Q(article__bylines__author__user=user.pk)
    )
    steps = (
        ArticleTransition.objects.filter(
            mine,
            action=ArticleTransition.Action.SCHEDULE,
            at__gte=now - WENT_LIVE_WINDOW,
            article__in=Article.objects.published(now),
        )
        .exclude(Exists(later))
        .exclude(
            Exists(
                Notification.objects.filter(
                    recipient=user.pk,
                    transition=OuterRef("pk"),
                    kind=Notification.Kind.WENT_LIVE,
                )
            )
        )
        .select_related("article")
        .distinct()
    )
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user.pk,
                kind=Notification.Kind.WENT_LIVE,
                article=step.article,
                transition=step,
                created_at=step.article.publish_at,
            )
            for step in steps
        ],
        ignore_conflicts=True,
    )
