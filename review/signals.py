"""The review app's hooks into the article workflow."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from articles.models import ArticleTransition, workflow_check

from . import audit, chain
from .models import SignOff

RECORDED = {
    ArticleTransition.Action.PUBLISH,
    ArticleTransition.Action.SCHEDULE,
    ArticleTransition.Action.WITHDRAW,
}
NEW_ROUND = {ArticleTransition.Action.SUBMIT, ArticleTransition.Action.RETURN}


@receiver(workflow_check)
def check_workflow_move(sender, article, action, by, **kwargs):
    chain.check_move(article, action, by)


@receiver(post_save, sender=ArticleTransition)
def follow_transition(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    if instance.action in NEW_ROUND:
        # A returned or resubmitted story is reviewed again from 初审.
        SignOff.objects.filter(article=instance.article_id, current=True).update(
            current=False
        )
    elif instance.action in RECORDED:
        audit.record(instance)
