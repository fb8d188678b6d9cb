"""信息工作考核: points rules, targets, take-ups by higher outlets, headlines."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Points until editors write a rule for a date.
DEFAULT_POINTS = {
    "news": Decimal(1),
    "topic": Decimal(2),
    "photo": Decimal(1),
    "issue_piece": Decimal(0),
    "headline": Decimal(1),
    "provincial": Decimal(3),
    "national": Decimal(5),
}


def points_field(label, help_text):
    return models.DecimalField(
        label, max_digits=5, decimal_places=1, default=0, help_text=help_text
    )


class PointsRuleQuerySet(models.QuerySet):
    def covering(self, day, exclude=None):
        """Rules valid on `day` (a date); the one that counts, if any."""
        rules = self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )
        return rules.exclude(pk=exclude) if exclude else rules


class PointsRule(models.Model):
    """Points per published piece, valid from one date to another.

    A piece is scored by the rule valid on its publish date (local time);
    dates no rule covers use DEFAULT_POINTS. Nothing is stored per piece, so
    editing a rule changes every period it covers at once.
    """

    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(
        _("截止日期"), null=True, blank=True, help_text=_("含当天；留空表示长期有效。")
    )
    news = points_field(_("新闻稿（每篇）"), _("新闻列表栏目的稿件。"))
    topic = points_field(_("专题栏目稿（每篇）"), _("专题栏目的稿件。"))
    photo = points_field(_("图说新闻（每条）"), _("图说新闻栏目的每一条。"))
    issue_piece = points_field(
        _("刊登于印刷期刊（加分）"), _("稿件编入某一期期刊时另加的分。")
    )
    headline = points_field(
        _("头条（加分）"), _("标记为期刊或首页头条的稿件另加的分。")
    )
    provincial = points_field(
        _("省级媒体采用（加分）"), _("每一家省级媒体（如省总工会）采用另加的分。")
    )
    national = points_field(
        _("国家级媒体采用（加分）"),
        _("每一家国家级媒体（如全国总工会、人民网、学习强国）采用另加的分。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = PointsRuleQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")

    def __str__(self):
        if self.valid_to:
            return _("%(start)s 至 %(end)s 的积分规则") % {
                "start": self.valid_from,
                "end": self.valid_to,
            }
        return _("%(start)s 起的积分规则") % {"start": self.valid_from}

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("截止日期不能早于起始日期。")}, code="order"
            )
        if self.valid_from is None:
            return
        others = PointsRule.objects.exclude(pk=self.pk).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        if self.valid_to is not None:
            others = others.filter(valid_from__lte=self.valid_to)
        clash = others.order_by("valid_from").first()
        if clash is not None:
            raise ValidationError(
                _("与“%(other)s”的有效期重叠；请先修改那条规则的截止日期。")
                % {"other": clash},
                code="overlap",
            )

    def points(self):
        """{kind: Decimal} as DEFAULT_POINTS has it."""
        return {name: getattr(self, name) for name in DEFAULT_POINTS}


class Target(models.Model):
    """A county union's targets for a year, or one correspondent's."""

    year = models.PositiveSmallIntegerField(_("年度"))
    county_union = models.ForeignKey(
        "counties.CountyUnion",
        verbose_name=_("县级工会"),
        on_delete=models.CASCADE,
        related_name="assessment_targets",
    )
    author = models.ForeignKey(
        "articles.Author",
        verbose_name=_("通讯员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessment_targets",
        help_text=_("留空即县级工会的目标；选通讯员则为其个人目标。"),
    )
    submitted = models.PositiveIntegerField(_("报送目标（篇）"), default=0)
    published = models.PositiveIntegerField(_("采用目标（篇）"), default=0)
    points = models.DecimalField(
        _("积分目标"), max_digits=7, decimal_places=1, default=0
    )

    class Meta:
        ordering = ["-year", "county_union__position", "author__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "county_union"],
                condition=Q(author__isnull=True),
                name="unique_county_target",
            ),
            models.UniqueConstraint(
                fields=["year", "author"],
                condition=Q(author__isnull=False),
                name="unique_author_target",
            ),
        ]
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")

    def __str__(self):
        who = self.author.name if self.author_id else self.county_union.short_name
        return _("%(who)s %(year)d 年目标") % {"who": who, "year": self.year}

    def clean(self):
        if (
            self.author_id
            and self.county_union_id
            and self.author.county_union_id != self.county_union_id
        ):
            raise ValidationError(
                {"author": _("该通讯员不属于所选的县级工会。")}, code="county"
            )
        duplicate = Target.objects.exclude(pk=self.pk).filter(year=self.year)
        if self.author_id:
            duplicate = duplicate.filter(author=self.author_id)
        else:
            duplicate = duplicate.filter(
                county_union=self.county_union_id, author__isnull=True
            )
        if self.year and self.county_union_id and duplicate.exists():
            raise ValidationError(_("这一年的目标已经填过了，请修改原来那条。"))


class TakeUp(models.Model):
    """A piece taken up (采用) by a higher-level outlet, with its link."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("省级")
        NATIONAL = "national", _("国家级")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="take_ups",
    )
    outlet = models.CharField(
        _("采用媒体"), max_length=60, help_text=_("如省总工会网站、人民网、学习强国。")
    )
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    url = models.URLField(_("链接"), max_length=500, blank=True)
    taken_on = models.DateField(_("采用日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-taken_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "outlet"], name="unique_take_up_outlet"
            )
        ]
        verbose_name = _("上级媒体采用")
        verbose_name_plural = _("上级媒体采用")

    def __str__(self):
        return f"{self.outlet} · {self.article}"


class Headline(models.Model):
    """A piece marked as headline (头条) of a print issue or the home page."""

    class Placement(models.TextChoices):
        ISSUE = "issue", _("期刊头条")
        HOME = "home", _("首页头条")

    article = models.OneToOneField(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="headline_mark",
    )
    placement = models.CharField(
        _("位置"), max_length=10, choices=Placement.choices, default=Placement.ISSUE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("头条")
        verbose_name_plural = _("头条")

    def __str__(self):
        return f"{self.get_placement_display()} · {self.article}"


class Ranking(PointsRule):
    """The ranking page's place in the admin index, and its permissions.

    A proxy so that the admin lists 考核排名 for whoever holds view_ranking
    (editors and correspondents); view_all_rankings lets one see every
    county, the rest see their own county's figures only.
    """

    class Meta:
        proxy = True
        verbose_name = _("考核排名")
        verbose_name_plural = _("考核排名与通报")
        permissions = [("view_all_rankings", _("可查看所有县区的考核排名"))]
