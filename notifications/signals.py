from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import ArticleTransition

from .models import notify_step


@receiver(post_save, sender=ArticleTransition)
def notice_for_step(sender, instance, created, raw=False, **kwargs):
    """Each recorded workflow step tells the people concerned, in the app."""
    if created and not raw:
        notify_step(instance)
