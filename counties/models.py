from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CountyUnionQuerySet(models.QuerySet):
    def named_in(self, text):
        """Return the union whose place name appears first in text, or None.

        Matches the place stem ("射阳" of 射阳县) so that "射阳港" or
        "由东台市总工会协办" both count as naming their county.
        """
        text = text or ""
        best, best_at = None, len(text) + 1
        for union in self:
            at = text.find(union.place_stem)
            if 0 <= at < best_at:
                best, best_at = union, at
        return best


class CountyUnion(models.Model):
    class Kind(models.TextChoices):
        COUNTY = "county", _("县")
        DISTRICT = "district", _("区")
        CITY = "city", _("县级市")

    name = models.CharField(
        _("全称"), max_length=60, unique=True, help_text=_("如“响水县总工会”。")
    )
    short_name = models.CharField(
        _("简称"), max_length=20, unique=True, help_text=_("如“响水县”。")
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    slug = models.SlugField(
        _("网址名"),
        max_length=40,
        unique=True,
        help_text=_("拼音，用于网址，发布后不要修改，如 xiangshui。"),
    )
    description = models.TextField(_("简介"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("显示顺序"), default=0, help_text=_("数字小的排在前面。")
    )

    objects = CountyUnionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("县级工会")
        verbose_name_plural = _("县级工会")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("counties:detail", kwargs={"slug": self.slug})

    @property
    def place_stem(self):
        """The place name without its 县/区/市 suffix, as texts often write it."""
        return self.short_name[:-1] if len(self.short_name) > 2 else self.short_name
