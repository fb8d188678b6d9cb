"""The article form's background requests: autosave and presence.

Mounted under the admin (editing/urls.py): every view needs a staff login,
a CSRF token and POST, and answers only for a form the user may save, with
the same scope and role rules as the article admin itself.
"""

import json
import re

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article

from . import payload, presence
from .models import PRESENCE_KEEP, Autosave, EditingSession

TAB_KEY = re.compile(r"^[A-Za-z0-9-]{8,40}$")


def _refused(message, status):
    return JsonResponse({"error": message}, status=status)


def _article_form(request, object_id):
    """(article, None) for a form the user may save, else (None, response).

    object_id None is the add form's "new article".
    """
    model_admin = admin.site.get_model_admin(Article)
    if object_id is None:
        if model_admin.has_add_permission(request):
            return None, None
        return None, _refused(_("您没有新建稿件的权限。"), 403)
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        return None, _refused(_("稿件不存在，或您无权查看。"), 404)
    if not model_admin.has_change_permission(request, article):
        return None, _refused(_("您不能修改这篇稿件，内容没有自动保存。"), 403)
    return article, None


@require_POST
def autosave(request, object_id=None):
    """Keep the form's content as the user's autosave of the article."""
    article, refused = _article_form(request, object_id)
    if refused:
        return refused
    # Refused before the body is read: Django itself would answer a body
    # over DATA_UPLOAD_MAX_MEMORY_SIZE with a bare 400.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > payload.MAX_BYTES:
        return _refused(payload.too_large_message(), 413)
    try:
        fields, labels = payload.clean(request.body)
    except ValidationError as error:
        status = 413 if error.code == "size" else 400
        return _refused(" ".join(error.messages), status)
    now = timezone.now()
    Autosave.objects.update_or_create(
        user=request.user,
        article=article,
        defaults={
            "content": json.dumps(
                {"fields": fields, "labels": labels}, ensure_ascii=False
            ),
            "size": len(request.body),
            "saved_at": now,
        },
    )
    return JsonResponse(
        {"saved_at": now.isoformat(), "time": timezone.localtime(now).strftime("%H:%M")}
    )


@require_POST
def discard(request, object_id=None):
    """放弃: delete the user's autosave of the form."""
    article, refused = _article_form(request, object_id)
    if refused:
        return refused
    Autosave.objects.of_form(request.user, article).delete()
    return JsonResponse({"discarded": True})


def _open_tab(request, object_id):
    """(article, tab key, None) for a change form the user may save, else
    (None, None, response)."""
    article, refused = _article_form(request, object_id)
    if refused:
        return None, None, refused
    try:
        key = json.loads(request.body.decode("utf-8")).get("key")
    except (UnicodeDecodeError, ValueError, AttributeError):
        key = None
    if not isinstance(key, str) or not TAB_KEY.match(key):
        return None, None, _refused(_("请求有误：缺少窗口标识。"), 400)
    return article, key, None


@require_POST
def ping(request, object_id):
    """The open form's heartbeat: note this tab, answer who else is here."""
    article, key, refused = _open_tab(request, object_id)
    if refused:
        return refused
    now = timezone.now()
    EditingSession.objects.update_or_create(
        user=request.user,
        article=article,
        key=key,
        defaults={"last_seen_at": now},
        create_defaults={"started_at": now, "last_seen_at": now},
    )
    EditingSession.objects.filter(last_seen_at__lt=now - PRESENCE_KEEP).delete()
    return JsonResponse({"others": presence.others(article, request.user, now)})


@require_POST
def leave(request, object_id):
    """The tab is closing: it no longer counts as editing."""
    article, key, refused = _open_tab(request, object_id)
    if refused:
        return refused
    EditingSession.objects.filter(user=request.user, article=article, key=key).delete()
    return JsonResponse({"left": True})
