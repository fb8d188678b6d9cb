"""Changes to live stories that readers do not see until an editor applies them.

Saving the admin form of a story readers can see (published, its publish
time passed) writes a PendingChange instead of the article: the whole edited
content, i.e. the form's article fields, the tags by name and the byline and
gallery ids in order. Readers keep the published text; the change form shows
the pending content so the editor keeps working on it. 更新发布 (publish())
applies it in one transaction with one revision and one page-cache
generation; 放弃修改 (discard()) drops it. See docs/editing.md.
"""

import json
from datetime import datetime

import reversion
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext
from taggit.models import Tag

from security.text import clean_fields
from serving import pagecache

from .admin_forms import ArticleAdminForm
from .models import Article, ArticleAuthor, ArticlePhoto, Author, PendingChange, Photo
from .revisions import Snapshot
from .text import clean_html

# The article's own fields an editor changes in the admin form (tags aside,
# kept by name); the status, the workflow stamps and the readers' copies are
# never part of a change.
FIELDS = [
    *(name for name in ArticleAdminForm.Meta.fields if name != "tags"),
    "issue",
    "issue_position",
]


def keeps_changes_pending(article):
    """True when saving this story's form must not reach readers: it is live,
    or it already has a pending change (which the form then shows).

    Asked of the stored row, once per instance: the form may have moved the
    instance's publish time already.
    """
    if article.pk is None:
        return False
    if "_keeps_pending" not in article.__dict__:
        article.__dict__["_keeps_pending"] = (
            pending_change(article) is not None
            or Article.objects.published().filter(pk=article.pk).exists()
        )
    return article.__dict__["_keeps_pending"]


def pending_change(article):
    """The article's open PendingChange, or None (read once per instance)."""
    if "_pending_change" not in article.__dict__:
        article.__dict__["_pending_change"] = (
            PendingChange.objects.select_related("updated_by__author")
            .filter(article=article.pk)
            .first()
        )
    return article.__dict__["_pending_change"]


def version_token(change):
    """What a form opened on this pending change carries ("" for none)."""
    return change.updated_at.isoformat() if change is not None else ""


def keep(article, *, edited, changed, tag_names, byline_ids, gallery_ids, by):
    """Keep the edit as the article's pending change; return it, or None when
    the edit leaves the story as readers see it (then no change is kept).

    edited is the article instance as the form left it (never saved);
    changed names the fields the form changed: the others keep the pending
    (else the published) value.
    """
    # As Article.save() would store the text.
    clean_fields(edited)
    edited.body = clean_html(edited.body)
    change = pending_change(article)
    stored = Article.objects.get(pk=article.pk)
    live = _stored(_values(stored))
    values = change.fields if change is not None else dict(live)
    edits = _values(edited)
    values.update(
        _stored(
            {
                name: edits[name]
                for name in changed
                if name in edits and not _same_minute(edits[name], values[name])
            }
        )
    )
    unchanged = (
        values == live
        and sorted(tag_names) == sorted(stored.tags.names())
        and (list(byline_ids), list(gallery_ids)) == live_rows(stored)
    )
    if unchanged:
        discard(article, missing_ok=True)
        return None
    change, _created = PendingChange.objects.update_or_create(
        article=article,
        defaults={
            "fields_json": json.dumps(values, cls=DjangoJSONEncoder),
            "tags_json": json.dumps(list(tag_names), ensure_ascii=False),
            "bylines_json": json.dumps(list(byline_ids)),
            "gallery_json": json.dumps(list(gallery_ids)),
            "updated_by": by,
        },
    )
    article.__dict__["_pending_change"] = change
    return change


def form_initial(change):
    """The change as initial values of the article admin form."""
    initial = {name: _value(name, value) for name, value in change.fields.items()}
    # Unsaved Tags: the tag field's widget and has_changed() read names.
    initial["tags"] = [Tag(name=name) for name in change.tag_names]
    return initial


def live_rows(article):
    """(byline author ids, gallery photo ids) of the article, in order."""
    return (
        list(
            article.bylines.order_by("position", "pk").values_list("author", flat=True)
        ),
        list(
            article.gallery.order_by("position", "pk").values_list("photo", flat=True)
        ),
    )


def apply_to_instance(article, change):
    """Put the change's fields on an article instance (not saved)."""
    for name, value in change.fields.items():
        setattr(article, _field(name).attname, _value(name, value))


def show_on_page(article, change):
    """Put the change on an article loaded for its page (a staff preview):
    its fields, and the byline, tags and gallery as the page prints them."""
    apply_to_instance(article, change)
    authors = Author.objects.in_bulk(change.byline_ids)
    article.byline_json = json.dumps(
        [
            [authors[pk].name, authors[pk].slug]
            for pk in change.byline_ids
            if pk in authors
        ],
        ensure_ascii=False,
    )
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=change.tag_names)}
    article.tags_json = json.dumps(
        [
            [name, tags[name].slug, tags[name].pk]
            if name in tags
            # A tag not made yet: linked as taggit would name it.
            else [name, Tag().slugify(name), None]
            for name in sorted(change.tag_names)
        ],
        ensure_ascii=False,
    )
    photos = Photo.objects.in_bulk(change.gallery_ids)
    article.has_gallery = bool(photos)
    article.__dict__["gallery_photos"] = [
        photos[pk] for pk in change.gallery_ids if pk in photos
    ]


def publish(article, *, by):
    """更新发布: apply the article's pending change, make a revision, refresh
    what readers see, and start one page-cache generation."""
    with pagecache.batched(), transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        change = PendingChange.objects.select_for_update().filter(article=article)
        change = change.first()
        if change is None:
            raise ValidationError(
                gettext("“%(title)s”没有未发布的修改，可能已被别人发布或放弃。")
                % {"title": article.title},
                code="none",
            )
        with reversion.create_revision():
            # The related rows first: the revision follows the article's
            # bylines, gallery and tags as they are when it is saved last.
            article.tags.set(change.tag_names)
            _replace_rows(article, ArticleAuthor, "author", Author, change.byline_ids)
            _replace_rows(article, ArticlePhoto, "photo", Photo, change.gallery_ids)
            apply_to_instance(article, change)
            article.updated_by = by
            article.save()
            reversion.set_user(by)
            reversion.set_comment(gettext("更新发布"))
        change.delete()
        Article.objects.filter(pk=article.pk).refresh_derived()
    return article


def discard(article, missing_ok=False):
    """放弃修改: drop the article's pending change; readers see no difference."""
    deleted, _rows = PendingChange.objects.filter(article=article.pk).delete()
    article.__dict__["_pending_change"] = None
    if not deleted and not missing_ok:
        raise ValidationError(
            gettext("“%(title)s”没有未发布的修改。") % {"title": article.title},
            code="none",
        )


def live_snapshot(article):
    """The published state, as the comparison reads it."""
    article = Article.objects.get(pk=article.pk)
    byline_ids, gallery_ids = live_rows(article)
    return Snapshot(
        field_dict={_field(name).attname: v for name, v in _values(article).items()},
        byline_ids=byline_ids,
        gallery_ids=gallery_ids,
        tag_names=list(article.tags.names()),
    )


def pending_snapshot(change):
    """The pending state, as the comparison reads it."""
    return Snapshot(
        field_dict={
            _field(name).attname: _value(name, value)
            for name, value in change.fields.items()
        },
        byline_ids=change.byline_ids,
        gallery_ids=change.gallery_ids,
        tag_names=change.tag_names,
    )


def _same_minute(edited, stored):
    """True for a publish time the form only cut to its minute (the admin's
    time input has no seconds): that is no change."""
    if not isinstance(edited, datetime) or stored is None:
        return False
    stored = _value("publish_at", stored)
    return edited.replace(second=0, microsecond=0) == stored.replace(
        second=0, microsecond=0
    )


def _values(article):
    """{name: value} of the FIELDS of an article instance (pks for links)."""
    return {name: _field(name).value_from_object(article) for name in FIELDS}


def _stored(values):
    """values as a pending change stores them (JSON types)."""
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def _field(name):
    return Article._meta.get_field(name)


def _value(name, value):
    return _field(name).to_python(value)


def _replace_rows(article, model, target, target_model, ids):
    """Make the article's rows of model point at ids, in that order.

    Rows already there are kept (renumbered); an id whose author or photo
    was deleted (or merged away) since the change was saved is left out.
    """
    existing = {
        getattr(row, f"{target}_id"): row
        for row in model.objects.filter(article=article)
    }
    alive = set(target_model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    wanted = [pk for pk in dict.fromkeys(ids) if pk in alive]
    for pk, row in existing.items():
        if pk not in wanted:
            row.delete()
    for position, pk in enumerate(wanted, start=1):
        row = existing.get(pk)
        if row is None:
            model.objects.create(
                article=article, position=position, **{f"{target}_id": pk}
            )
        elif row.position != position:
            row.position = position
            row.save(update_fields=["position"])
