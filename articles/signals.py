"""Keep each article's search vector current whenever it or its cover changes."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Article, Photo
from .search import index_article, uses_search_vector


@receiver(post_save, sender=Article, dispatch_uid="articles.index_article")
def article_saved(sender, instance, **kwargs):
    index_article(instance)


@receiver(post_save, sender=Photo, dispatch_uid="articles.index_cover_caption")
def photo_saved(sender, instance, created, **kwargs):
    # A new photo is nobody's cover yet; an edited caption is indexed text.
    if not created and uses_search_vector():
        Article.objects.filter(cover_photo=instance).update_search_vectors()
