"""Preview links: a draft shown to someone without an account (领导审签).

A link is a row (who made it, when it ends, whether it was revoked) and a
token signed with SECRET_KEY over the row's id and a random 128-bit nonce.
The signature means a copy of the database alone cannot make working links;
the row means a link can be revoked, and expires on the day the editor chose.
"""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article

SIGNER_SALT = "previews.PreviewLink"
# pk, "-", 32 hex digits, ".", the signature: nothing else is looked up.
TOKEN_MAX_LENGTH = 120


def new_nonce():
    return secrets.token_hex(16)  # 128 bits


def _signer():
    return signing.Signer(salt=SIGNER_SALT, sep=".")


def previewable(article):
    """True for a story a preview link may show: not yet readable by the
    public (a draft, in review, or scheduled) and not withdrawn."""
    return article.status != Article.Status.WITHDRAWN and not article.is_published


class PreviewLinkQuerySet(models.QuerySet):
    def live(self, now=None):
        """Links that still open: not revoked and not expired."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )

    def find(self, token):
        """The live link a token names, or None for any token that is not
        one (malformed, forged, revoked, expired: the caller cannot tell)."""
        if not isinstance(token, str) or len(token) > TOKEN_MAX_LENGTH:
            return None
        try:
            value = _signer().unsign(token)
        except signing.BadSignature:
            return None
        pk, _sep, nonce = value.partition("-")
        if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
            return None
        # The slug is all a preview page needs of the story before it reads
        # the story as the article page does.
        link = (
            self.live()
            .annotate(article_slug=models.F("article__slug"))
            .filter(pk=int(pk))
            .first()
        )
        if link is None or not hmac.compare_digest(link.nonce, nonce):
            return None
        return link


class PreviewLink(models.Model):
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="preview_links",
        verbose_name=_("稿件"),
    )
    nonce = models.CharField(
        _("随机码"), max_length=32, unique=True, default=new_nonce, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(
        _("有效期至"), help_text=_("过了这个时间，链接打开时显示“页面不存在”。")
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("预览链接")
        verbose_name_plural = _("预览链接")

    def __str__(self):
        return f"{self.article} · {self.expires_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("previews:article", kwargs={"token": self.token})

    @property
    def token(self):
        return _signer().sign(f"{self.pk}-{self.nonce}")

    @classmethod
    def create_for(cls, article, *, by, days):
        """A new link to `article`, open for `days` days from now."""
        if not previewable(article):
            raise ValidationError(
                _("已发布或已撤稿的稿件不能创建预览链接。"), code="published"
            )
        if not 1 <= days <= settings.PREVIEW_LINK_MAX_DAYS:
            raise ValidationError(
                _("有效期须在 1 到 %(max)d 天之间。")
                % {"max": settings.PREVIEW_LINK_MAX_DAYS},
                code="days",
            )
        now = timezone.now()
        return cls.objects.create(
            article=article,
            created_by=by,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )

    def revoke(self, *, by):
        """End the link now; revoking it again changes nothing."""
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.revoked_by = by
            self.save(update_fields=["revoked_at", "revoked_by"])

    @property
    def state(self):
        """有效, 已撤销 or 已过期, as the change form lists it."""
        if self.revoked_at is not None:
            return _("已撤销")
        if self.expires_at <= timezone.now():
            return _("已过期")
        return _("有效")

    @property
    def is_live(self):
        return self.revoked_at is None and self.expires_at > timezone.now()
