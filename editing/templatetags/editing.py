"""{% editing_panel %}: autosave and presence on the article form."""

import json

from django import template
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.roles import display_name

from .. import payload, presence
from ..models import PRESENCE_PING, Autosave

register = template.Library()


def _strings():
    return {
        "saving": _("正在自动保存…"),
        "saved": _("已自动保存 %(time)s"),
        "retrying": _("自动保存失败，正在重试…"),
        "offline": _("网络已断开，恢复后会自动保存…"),
        "loggedOut": _("登录已失效，内容未能自动保存；请在新窗口登录后回到这里。"),
        "refused": _("自动保存未进行："),
        "tooLarge": payload.too_large_message(),
        "restored": _("已恢复未保存的内容，请检查后点“保存”。"),
        "discarded": _("已放弃自动保存的内容。"),
        "discardFailed": _("未能放弃自动保存的内容，请稍后再试。"),
    }


def _offer(request, article):
    """The user's autosave of this form, if it is to be offered."""
    found = Autosave.objects.of_form(request.user, article).first()
    if found is None:
        return None
    offer = {
        "fields": found.fields,
        "labels": found.labels,
        "when": timezone.localtime(found.saved_at).strftime("%Y-%m-%d %H:%M"),
        "later": None,
    }
    if article is not None and article.updated_at and article.updated_at > found.saved_at:
        offer["later"] = _(
            "这之后稿件已由 %(who)s 于 %(when)s 保存过；恢复后请核对再保存。"
        ) % {
            "who": display_name(article.updated_by),
            "when": timezone.localtime(article.updated_at).strftime("%Y-%m-%d %H:%M"),
        }
    return offer


@register.inclusion_tag("admin/editing/panel.html", takes_context=True)
def editing_panel(context):
    """Nothing on a read-only form or a pop-up; else the autosave banner
    (only when the form is opened, not when a refused save comes back),
    who else is editing, and the settings static/js/desk-editing.js reads."""
    request = context["request"]
    article = None if context.get("add") else context.get("original")
    allowed = (
        context.get("has_add_permission")
        if article is None
        else context.get("has_change_permission")
    )
    if not allowed or context.get("is_popup"):
        return {"enabled": False}
    offer = _offer(request, article) if request.method == "GET" else None
    if article is None:
        urls = {
            "autosave": reverse("editing:autosave_new"),
            "discard": reverse("editing:discard_new"),
        }
        others = []
    else:
        object_id = quote(article.pk)
        urls = {
            name: reverse(f"editing:{name}", args=[object_id])
            for name in ("autosave", "discard", "presence", "leave")
        }
        others = presence.others(article, request.user)
    config = {
        "urls": urls,
        "ping": PRESENCE_PING,
        "offer": offer,
        "strings": _strings(),
        "maxBytes": payload.MAX_BYTES,
        # A refused save came back: the form holds text not yet saved.
        "unsaved": request.method == "POST",
    }
    return {
        "enabled": True,
        "offer": offer,
        "others": others,
        # A data attribute, not a <script> block: the admin's pages carry
        # no script but files (tests/test_hardening.py).
        "config": json.dumps(config, ensure_ascii=False),
    }
