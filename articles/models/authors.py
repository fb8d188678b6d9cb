"""Authors: the people named in bylines and credits, and their old names."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import (
    Q,
)
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..text import unique_slug


class AuthorQuerySet(models.QuerySet):
    def unlinked_namesakes(self, name, union=None):
        """Authors called name with no account yet, the likeliest first.

        With a county: that county's author, then one without a county (the
        importer leaves it empty when the text names none); one of another
        county is someone else. Without: any, those with no county first.
        Oldest first among equals, as the importer made it.
        """
        found = self.filter(name=name, user__isnull=True)
        if union is not None:
            found = found.filter(Q(county_union=union) | Q(county_union__isnull=True))
        return found.order_by(
            models.F("county_union").desc(nulls_last=True)
            if union is not None
            else models.F("county_union").asc(nulls_first=True),
            "pk",
        )


class Author(models.Model):
    """A writer or photographer; bylines and photo credits both point here."""

    name = models.CharField(_("姓名"), max_length=40, db_index=True)
    slug = models.SlugField(_("网址名"), max_length=60, unique=True, blank=True)
    county_union = models.ForeignKey(
        "counties.CountyUnion",
        verbose_name=_("所属县级工会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authors",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("后台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
    )
    bio = models.TextField(_("简介"), blank=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("作者")
        verbose_name_plural = _("作者")

    def __str__(self):
        if self.county_union_id:
            return f"{self.name}（{self.county_union.short_name}）"
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class AuthorRedirect(models.Model):
    """An author page merged into another: its old address answers 301."""

    old_slug = models.SlugField(_("原网址名"), max_length=60, unique=True)
    author = models.ForeignKey(
        Author,
        verbose_name=_("合并到"),
        on_delete=models.CASCADE,
        related_name="redirects",
    )
    merged_at = models.DateTimeField(_("合并时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("作者网址转向")
        verbose_name_plural = _("作者网址转向")

    def __str__(self):
        return f"{self.old_slug} → {self.author.slug}"


def leave_copies_alone(instance, save_kwargs, copies):
    """Make save() of a loaded row leave out fields only a refresh writes.

    An instance loaded before its bylines, tags or credits changed would
    otherwise put the old copy back. Deferred fields are left out as well,
    as save() itself would.
    """
    if (
        save_kwargs.get("update_fields") is None
        and not save_kwargs.get("force_insert")
        and instance.pk is not None
        and not instance._state.adding
    ):
        skipped = copies | instance.get_deferred_fields()
        save_kwargs["update_fields"] = [
            field.name
            for field in instance._meta.concrete_fields
            if not field.primary_key and field.attname not in skipped
        ]


@dataclass(frozen=True, slots=True)
class ReaderLink:
    """A name and its reader page, kept on an article so pages need no join."""

    name: str
    slug: str
    url_name: str

    def get_absolute_url(self):
        return reverse(self.url_name, kwargs={"slug": self.slug})
