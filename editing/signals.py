"""A successful save of the article form deletes the saver's autosave.

The admin logs every successful add and change of a form (LogEntry) and only
then; listening there keeps the hook out of ArticleAdmin, and covers every
path that saves the whole form (保存, the workflow buttons that save first,
restoring a revision).
"""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save

from .models import Autosave


def form_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.action_flag not in {ADDITION, CHANGE}:
        return
    from articles.models import Article

    if instance.content_type_id != ContentType.objects.get_for_model(Article).pk:
        return
    mine = Autosave.objects.filter(user_id=instance.user_id)
    if instance.action_flag == ADDITION:
        # The add form's autosave was for the story now created.
        mine.filter(article__isnull=True).delete()
    mine.filter(article_id=instance.object_id).delete()


def connect():
    post_save.connect(form_saved, sender=LogEntry, dispatch_uid="editing.form_saved")
