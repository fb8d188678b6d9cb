"""What an open article form keeps on the server: autosaves and presence.

Neither touches the Article row, makes a revision or shows on a reader page
(the app is not in PAGE_CACHE_CONTENT_APPS, so saving one never empties the
page cache).
"""

import json
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A tab pings every PRESENCE_PING seconds; one not heard from for
# PRESENCE_TIMEOUT seconds (two missed pings and some) has gone.
PRESENCE_PING = 15
PRESENCE_TIMEOUT = 45
# Rows of tabs long gone are deleted as pings arrive.
PRESENCE_KEEP = timedelta(hours=1)


class AutosaveQuerySet(models.QuerySet):
    def of_form(self, user, article):
        """The user's autosave of one article's form (article None: the add
        form's "new article")."""
        if article is None:
            return self.filter(user=user, article__isnull=True)
        return self.filter(user=user, article=article)


class Autosave(models.Model):
    """The content of one user's article form, kept while they type.

    One per user and article (and one per user for a new article). It is
    offered back when the form is opened again and deleted once the form is
    saved (signals.py) or the user discards it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="autosaves",
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="autosaves",
        help_text=_("留空：新建稿件的表单。"),
    )
    # JSON: {"fields": [[name, value], ...] in the form's order, "labels":
    # {name: {value: label}} (what autocomplete selects showed for a value)}.
    # A text column, not a JSONField: that field's system check opens a
    # database connection, and `make run` must refuse a bad SECRET_KEY
    # before anything touches the database (tests/test_hardening.py).
    content = models.TextField(_("表单内容"), default="{}")
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    saved_at = models.DateTimeField(_("保存时间"), default=timezone.now)

    objects = AutosaveQuerySet.as_manager()

    class Meta:
        verbose_name = _("自动保存")
        verbose_name_plural = _("自动保存")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="editing_autosave_one_per_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="editing_autosave_one_new_article",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.article_id or 'new'}"

    @property
    def fields(self):
        return json.loads(self.content).get("fields", [])

    @property
    def labels(self):
        return json.loads(self.content).get("labels", {})


class EditingSessionQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(
            last_seen_at__gte=now - timedelta(seconds=PRESENCE_TIMEOUT)
        )

    def others_on(self, article, user, now=None):
        """Who else has the article's form open: one row per user, with
        when they first opened it, earliest first."""
        return (
            self.active(now)
            .filter(article=article)
            .exclude(user=user)
            .values("user")
            .annotate(since=Min("started_at"))
            .order_by("since", "user")
        )


class EditingSession(models.Model):
    """One open change form (a browser tab), kept alive by its pings."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="editing_sessions",
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("稿件"),
        on_delete=models.CASCADE,
        related_name="editing_sessions",
    )
    # Chosen by the tab; only ever looked up together with the user.
    key = models.CharField(_("窗口标识"), max_length=40)
    started_at = models.DateTimeField(_("打开时间"), default=timezone.now)
    last_seen_at = models.DateTimeField(
        _("最近一次心跳"), default=timezone.now, db_index=True
    )

    objects = EditingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("正在编辑")
        verbose_name_plural = _("正在编辑")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article", "key"], name="editing_session_one_per_tab"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.article_id}"
