"""Bump the page-cache generation whenever content a reader sees changes."""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import pagecache


def _shows_on_pages(sender):
    # Migrations save historical models (their own app registry) before the
    # tables the bump reads may exist: those are not live content.
    # A model may say it never shows (articles.PendingChange: a change to a
    # live story that readers do not see until it is applied).
    return (
        sender._meta.apps is apps
        and sender._meta.app_label in settings.PAGE_CACHE_CONTENT_APPS
        and getattr(sender, "shows_on_pages", True)
    )


def content_saved_or_deleted(sender, **kwargs):
    if _shows_on_pages(sender):
        pagecache.bump()


def content_relation_changed(sender, action, **kwargs):
    if action.startswith("post_") and _shows_on_pages(sender):
        pagecache.bump()


def connect():
    post_save.connect(content_saved_or_deleted, dispatch_uid="pagecache-save")
    post_delete.connect(content_saved_or_deleted, dispatch_uid="pagecache-delete")
    m2m_changed.connect(content_relation_changed, dispatch_uid="pagecache-m2m")
