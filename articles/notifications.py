"""E-mails sent when an article moves through the workflow."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .roles import EDITOR, display_name

logger = logging.getLogger(__name__)


def notify_transition(transition):
    """Tell editors about a submission and writers about returns and publishing."""
    action = type(transition).Action
    article = transition.article
    if transition.action == action.SUBMIT:
        recipients = _editor_addresses()
        subject = _("待审稿件：%(title)s") % {"title": article.title}
    elif transition.action in {action.RETURN, action.PUBLISH, action.SCHEDULE}:
        recipients = _writer_addresses(article)
        subject = _("您的稿件已%(action)s：%(title)s") % {
            "action": transition.get_action_display(),
            "title": article.title,
        }
    else:
        return
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    lines = [
        _("稿件：%(title)s") % {"title": article.title},
        _("操作：%(action)s（%(who)s）")
        % {
            "action": transition.get_action_display(),
            "who": display_name(transition.by),
        },
    ]
    if transition.action == action.SCHEDULE:
        lines.append(
            _("发布时间：%(when)s")
            % {
                "when": timezone.localtime(article.publish_at).strftime(
                    "%Y-%m-%d %H:%M"
                )
            }
        )
    if transition.comment:
        lines.append(_("意见：%(comment)s") % {"comment": transition.comment})
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    lines.append(_("后台链接：%(url)s") % {"url": settings.SITE_URL + change_url})
    try:
        send_mail(subject, "\n".join(lines), None, sorted(set(recipients)))
    except OSError:
        # A mail server outage must not undo the editorial step itself.
        logger.exception("Could not send workflow e-mail for article %s", article.pk)


def _editor_addresses():
    return list(
        get_user_model()
        .objects.filter(groups__name=EDITOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _writer_addresses(article):
    """The story's creator, plus byline authors who have staff accounts."""
    addresses = list(
        article.bylines.filter(author__user__is_active=True).values_list(
            "author__user__email", flat=True
        )
    )
    if article.created_by_id and article.created_by.is_active:
        addresses.append(article.created_by.email)
    return addresses
