"""E-mail to the signers of the next stage once a stage is signed."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def notify_next_stage(signoff, stage, permission):
    """Tell everyone who may sign stage that the story now waits for them."""
    app_label, codename = permission.split(".")
    recipients = sorted(
        set(
            get_user_model()
            .objects.filter(
                is_active=True,
                groups__permissions__codename=codename,
                groups__permissions__content_type__app_label=app_label,
            )
            .exclude(email="")
            .exclude(pk=signoff.by_id)
            .values_list("email", flat=True)
        )
    )
    if not recipients or signoff.article_id is None:
        return
    url = settings.SITE_URL + reverse(
        "admin:articles_article_change", args=[signoff.article_id]
    )
    lines = [
        _("稿件：%(title)s") % {"title": signoff.article_title},
        _("%(done)s：%(who)s")
        % {"done": signoff.get_action_display(), "who": signoff.by_name},
        _("审核意见：%(opinion)s") % {"opinion": signoff.opinion or "—"},
        _("后台链接：%(url)s") % {"url": url},
    ]
    subject = _("等待%(stage)s：%(title)s") % {
        "stage": stage.label,
        "title": signoff.article_title,
    }
    try:
        send_mail(subject, "\n".join(lines), None, recipients)
    except OSError:
        # A mail server outage must not undo the sign-off itself.
        logger.exception(
            "Could not send review e-mail for article %s", signoff.article_id
        )
