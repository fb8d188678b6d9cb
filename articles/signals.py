"""Keep each article's search vector current whenever it or its photos change."""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Article, ArticlePhoto, Photo
from .search import index_article, uses_search_vector


@receiver(post_save, sender=Article, dispatch_uid="articles.index_article")
def article_saved(sender, instance, **kwargs):
    index_article(instance)


@receiver(post_save, sender=Photo, dispatch_uid="articles.index_photo_caption")
def photo_saved(sender, instance, created, **kwargs):
    # A new photo is in no article yet; an edited caption is indexed text.
    if not created and uses_search_vector():
        using = Article.objects.filter(
            Q(cover_photo=instance) | Q(gallery__photo=instance)
        ).values("pk")
        Article.objects.filter(pk__in=using).update_search_vectors()


@receiver(post_save, sender=ArticlePhoto, dispatch_uid="articles.index_gallery_add")
@receiver(post_delete, sender=ArticlePhoto, dispatch_uid="articles.index_gallery_del")
def gallery_changed(sender, instance, **kwargs):
    # The admin saves the gallery inline after the article itself.
    if uses_search_vector():
        Article.objects.filter(pk=instance.article_id).update_search_vectors()
