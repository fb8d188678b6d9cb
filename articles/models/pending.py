"""Edits of live stories waiting for 更新发布 (docs/editing.md)."""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .stories import Article


class PendingChange(models.Model):
    """An editor's saved change to a live story that readers do not see yet.

    One per article at most: saving a published story's form writes here
    (articles/pending.py) instead of to the article, and 更新发布 applies it.
    It holds the whole edited content, not a diff: the article's form
    fields, the tags by name, and the byline and gallery ids in order.
    """

    article = models.OneToOneField(
        Article,
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="pending_change",
    )
    # JSON text, as byline_json: {attname: value} of the form's fields.
    fields_json = models.TextField(_("修改后的字段"), default="{}")
    tags_json = models.TextField(_("修改后的标签"), default="[]")
    bylines_json = models.TextField(_("修改后的署名"), default="[]")
    gallery_json = models.TextField(_("修改后的组图"), default="[]")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Readers never see it: saving one starts no page-cache generation.
    shows_on_pages = False

    class Meta:
        verbose_name = _("未发布的修改")
        verbose_name_plural = _("未发布的修改")

    def __str__(self):
        return gettext("“%(title)s”的未发布修改") % {"title": self.article.title}

    @property
    def fields(self):
        return json.loads(self.fields_json)

    @property
    def tag_names(self):
        return json.loads(self.tags_json)

    @property
    def byline_ids(self):
        return json.loads(self.bylines_json)

    @property
    def gallery_ids(self):
        return json.loads(self.gallery_json)
