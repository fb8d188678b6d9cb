"""三审 sign-offs, the term list and the 发稿记录 (publication audit)."""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_stage_count():
    return settings.REVIEW_DEFAULT_STAGES


class SectionReview(models.Model):
    """How many review stages a section's stories pass before publication."""

    class Stages(models.IntegerChoices):
        ONE = 1, _("一审（编辑审核后发布）")
        TWO = 2, _("二审（初审、主编复审签发）")
        THREE = 3, _("三审（初审、复审、总编终审签发）")

    section = models.OneToOneField(
        "articles.Section",
        verbose_name=_("栏目"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="review",
    )
    stages = models.PositiveSmallIntegerField(
        _("审核级数"),
        choices=Stages.choices,
        default=default_stage_count,
        help_text=_(
            "三审：编辑初审、主编复审、总编终审签发后才发布；二审：主编签发；"
            "一审：编辑直接发布。"
        ),
    )

    class Meta:
        verbose_name = _("审核级数")
        verbose_name_plural = _("审核级数")

    def __str__(self):
        return f"{self.section} · {self.get_stages_display()}"


class SignOffQuerySet(models.QuerySet):
    def current(self, article):
        """The sign-offs of the article's present round of review."""
        return self.filter(article=article, current=True)


class SignOff(models.Model):
    """One stage of 三审 signed: who, when, their opinion, terms acknowledged.

    The story is a nullable link plus copies of what the record needs, so
    deleting a draft never deletes who reviewed it.
    """

    class Stage(models.TextChoices):
        FIRST = "first", _("初审")
        SECOND = "second", _("复审")
        THIRD = "third", _("终审")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="signoffs",
    )
    article_title = models.CharField(_("稿件标题"), max_length=200)
    stage = models.CharField(_("审核环节"), max_length=10, choices=Stage.choices)
    final = models.BooleanField(_("签发"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签署人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_name = models.CharField(_("签署人姓名"), max_length=150)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    opinion = models.TextField(_("审核意见"), blank=True)
    acknowledged_json = models.TextField(
        _("已确认的提示词"), default="[]", editable=False
    )
    # False once the story is returned or submitted again: a new round.
    current = models.BooleanField(_("本轮有效"), default=True)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["article", "current"], name="signoff_current")]
        verbose_name = _("审核签署")
        verbose_name_plural = _("审核签署")
        permissions = [
            ("sign_first", _("可签署初审")),
            ("sign_second", _("可签署复审")),
            ("sign_third", _("可签署终审")),
        ]

    def __str__(self):
        return f"{self.article_title} · {self.get_stage_display()} · {self.by_name}"

    def get_action_display(self):
        """The step's name in the workflow's messages (初审通过…)."""
        return _("%(stage)s通过") % {"stage": self.get_stage_display()}

    @property
    def acknowledged(self):
        """[{"word", "level", "place", "suggestion"}, …] the signer confirmed."""
        return json.loads(self.acknowledged_json)

    @property
    def acknowledged_words(self):
        return "、".join(dict.fromkeys(hit["word"] for hit in self.acknowledged))


class Term(models.Model):
    """A word the checker flags: 禁用 blocks the story, 提示 asks to confirm."""

    class Level(models.TextChoices):
        BANNED = "banned", _("禁用")
        CAUTION = "caution", _("提示")

    word = models.CharField(_("词语"), max_length=100, unique=True)
    level = models.CharField(
        _("级别"),
        max_length=10,
        choices=Level.choices,
        default=Level.CAUTION,
        help_text=_("禁用：有此词不能提交和审核；提示：审核人须确认。"),
    )
    suggestion = models.CharField(_("建议的写法"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True, help_text=_("依据或出处。"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("审校词语")
        verbose_name_plural = _("审校词语")

    def __str__(self):
        return self.word


class PublicationRecordQuerySet(models.QuerySet):
    def between(self, start, end):
        """Records of [start, end): aware datetimes."""
        return self.filter(at__gte=start, at__lt=end)


class PublicationRecord(models.Model):
    """发稿记录: a story published, scheduled or withdrawn, as it was then.

    Everything is copied onto the row (no CASCADE from Article), so the
    record outlives the story and later edits.
    """

    class Action(models.TextChoices):
        PUBLISH = "publish", _("发布")
        SCHEDULE = "schedule", _("定时发布")
        WITHDRAW = "withdraw", _("撤稿")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    article_number = models.PositiveBigIntegerField(_("稿件编号"))
    title = models.CharField(_("标题"), max_length=200)
    section = models.CharField(_("栏目"), max_length=60)
    county_union = models.CharField(_("县级工会"), max_length=60, blank=True)
    writers = models.CharField(_("作者"), max_length=300, blank=True)
    created_by = models.CharField(_("创建人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("操作时间"), db_index=True)
    publish_at = models.DateTimeField(_("发布时间"), null=True)
    by = models.CharField(_("操作人"), max_length=150)
    comment = models.TextField(_("意见"), blank=True)
    stages_json = models.TextField(_("审核签署"), default="[]")
    term_hits_json = models.TextField(_("提示和禁用词"), default="[]")

    objects = PublicationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("发稿记录")
        verbose_name_plural = _("发稿记录")

    def __str__(self):
        return f"{self.title} · {self.get_action_display()}"

    @property
    def stages(self):
        return json.loads(self.stages_json)

    @property
    def term_hits(self):
        return json.loads(self.term_hits_json)
