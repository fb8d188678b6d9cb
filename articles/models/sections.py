"""Sections (栏目) and printed issues (期刊)."""


from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..text import unique_slug


class Section(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("新闻列表")
        TOPIC = "topic", _("专题栏目")
        PHOTO = "photo", _("图说新闻")

    name = models.CharField(_("栏目名称"), max_length=60, unique=True)
    slug = models.SlugField(
        _("网址名"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_("留空则按栏目名称的拼音生成；发布后不要修改。"),
    )
    kind = models.CharField(
        _("类型"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.NEWS,
        help_text=_("图说新闻栏目以图片墙展示。"),
    )
    description = models.TextField(_("栏目简介"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("显示顺序"), default=0, help_text=_("数字小的排在前面。")
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Section, self.name, max_length=80)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})

    @property
    def is_photo_news(self):
        return self.kind == self.Kind.PHOTO


class Issue(models.Model):
    """One printed issue (期刊) of the bulletin, e.g. 2024 年第 2 期."""

    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveSmallIntegerField(_("期号"), help_text=_("当年的第几期。"))
    published_on = models.DateField(_("出版日期"))
    cover = models.ForeignKey(
        "Photo",
        verbose_name=_("封面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="unique_issue")
        ]
        verbose_name = _("期刊")
        verbose_name_plural = _("期刊")

    def __str__(self):
        return _("%(year)d 年第 %(number)d 期") % {
            "year": self.year,
            "number": self.number,
        }

    def get_absolute_url(self):
        return reverse(
            "articles:issue", kwargs={"year": self.year, "number": self.number}
        )

    @property
    def code(self):
        """The short form used on the command line: 2024-2."""
        return f"{self.year}-{self.number}"
