"""Who else has an article's form open, in the words the form shows."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.roles import display_name

from .models import EditingSession


def ago(since, now):
    """"刚刚", "2 分钟前", "3 小时前"."""
    seconds = max(0, (now - since).total_seconds())
    if seconds < 60:
        return _("刚刚")
    if seconds < 3600:
        return _("%(count)d 分钟前") % {"count": seconds // 60}
    return _("%(count)d 小时前") % {"count": seconds // 3600}


def others(article, user, now=None):
    """[{"name", "since", "text"}] for each other user with the form open."""
    now = now or timezone.now()
    rows = list(EditingSession.objects.others_on(article, user, now))
    users = get_user_model().objects.select_related("author").in_bulk(
        [row["user"] for row in rows]
    )
    return [
        {
            "name": display_name(users[row["user"]]),
            "since": row["since"].isoformat(),
            "text": _("%(name)s 正在编辑（%(ago)s）")
            % {
                "name": display_name(users[row["user"]]),
                "ago": ago(row["since"], now),
            },
        }
        for row in rows
        if row["user"] in users
    ]
