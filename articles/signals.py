"""Keep what readers see derived from an article current when its parts change.

Every receiver here hands the affected articles to
ArticleQuerySet.refresh_derived(), the one function that recomputes them.

Two kinds of derived data: the search vector (articles/search.py) and the
reader fields copied onto articles and photos (bylines, tags, excerpt,
photo credits), which let pages print them without a join.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from .models import Article, ArticleAuthor, ArticlePhoto, Author, Photo, PhotoCredit
from .search import index_article


@receiver(post_save, sender=Article, dispatch_uid="articles.index_article")
def article_saved(sender, instance, raw, **kwargs):
    if raw:
        # A restored revision or a fixture: save() did not run and the
        # revision does not carry the derived fields.
        Article.objects.filter(pk=instance.pk).refresh_derived()
    else:
        # save() kept the lead; the search vector needs the saved row.
        index_article(instance)


@receiver(post_save, sender=Photo, dispatch_uid="articles.index_photo_caption")
def photo_saved(sender, instance, created, **kwargs):
    # A new photo is in no article yet; an edited caption is indexed text.
    if not created:
        using = Article.objects.filter(
            Q(cover_photo=instance) | Q(gallery__photo=instance)
        ).values("pk")
        Article.objects.filter(pk__in=using).refresh_derived()


@receiver(post_save, sender=ArticlePhoto, dispatch_uid="articles.index_gallery_add")
@receiver(post_delete, sender=ArticlePhoto, dispatch_uid="articles.index_gallery_del")
def gallery_changed(sender, instance, **kwargs):
    # The admin saves the gallery inline after the article itself.
    Article.objects.filter(pk=instance.article_id).refresh_derived()


@receiver(post_save, sender=ArticleAuthor, dispatch_uid="articles.byline_saved")
@receiver(post_delete, sender=ArticleAuthor, dispatch_uid="articles.byline_deleted")
def byline_changed(sender, instance, **kwargs):
    Article.objects.filter(pk=instance.article_id).refresh_derived()


@receiver(post_save, sender=TaggedItem, dispatch_uid="articles.tag_added")
@receiver(post_delete, sender=TaggedItem, dispatch_uid="articles.tag_removed")
def tagging_changed(sender, instance, **kwargs):
    if instance.content_type_id == ContentType.objects.get_for_model(Article).pk:
        Article.objects.filter(pk=instance.object_id).refresh_derived()


@receiver(post_save, sender=Author, dispatch_uid="articles.author_renamed")
def author_saved(sender, instance, created, **kwargs):
    # A new author is on nothing yet; a renamed one is printed everywhere.
    if not created:
        Article.objects.filter(bylines__author=instance).refresh_derived()
        Photo.objects.filter(credit_entries__author=instance).refresh_credit_names()


@receiver(post_save, sender=Tag, dispatch_uid="articles.tag_renamed")
def tag_saved(sender, instance, created, **kwargs):
    if not created:
        Article.objects.filter(tagged_items__tag=instance).refresh_derived()


@receiver(post_save, sender=PhotoCredit, dispatch_uid="articles.credit_saved")
@receiver(post_delete, sender=PhotoCredit, dispatch_uid="articles.credit_deleted")
def credit_changed(sender, instance, **kwargs):
    Photo.objects.filter(pk=instance.photo_id).refresh_credit_names()
