"""Write drafts from .docx stories: one transaction, no file left on failure.

Every document is read and checked before anything is written; then all the
drafts of one upload are written together. A picture refused by the photo
desk's checks, or any later failure, rolls the transaction back, and
images.removed_on_error() deletes every file the photos had written.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import reversion
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from articles import images
from articles.models import Article, ArticleAuthor, ArticlePhoto, Photo
from articles.services import author_named

from .document import DocumentError
from .story import read_story

MAX_FILES = 10
# Renditions are most of an import's time, and Pillow works outside the GIL:
# two threads use both cores of the server; more would only add memory.
PHOTO_WORKERS = 2


@dataclass
class Upload:
    """A document as received: its file name and bytes."""

    name: str
    data: bytes


def import_stories(*, uploads, by, county, section):
    """Import each upload as a draft in county and section; return the Articles.

    Raises DocumentError naming the file and the reason; then nothing is
    stored: no article, no photo row, no file.
    """
    stories = [read_story(upload.name, upload.data) for upload in uploads]
    with images.removed_on_error(), transaction.atomic():
        return [
            _write(story, by=by, county=county, section=section) for story in stories
        ]


def _write(story, *, by, county, section):
    photos = _photos(story, by=by, county=county)
    with reversion.create_revision():
        article = Article(
            title=story.title,
            section=section,
            county_union=county,
            dateline=story.dateline,
            body=story.body,
            status=Article.Status.DRAFT,
            cover_photo=photos[0] if photos else None,
            created_by=by,
            updated_by=by,
        )
        article.save()
        for position, name in enumerate(story.byline):
            author, _created = author_named(name, county)
            ArticleAuthor.objects.create(
                article=article, author=author, position=position
            )
        for position, photo in enumerate(photos):
            ArticlePhoto.objects.create(article=article, photo=photo, position=position)
        reversion.set_user(by)
        reversion.set_comment(_("从 Word 导入：%(file)s") % {"file": story.filename})
    return article


def _photos(story, *, by, county):
    """The story's pictures as saved Photos with credits, in document order.

    The files (checks, upright original, renditions) are made in worker
    threads; the rows are written here, in the caller's transaction. Every
    file a thread wrote is recorded for images.removed_on_error(), even when
    another picture failed.
    """
    with ThreadPoolExecutor(max_workers=PHOTO_WORKERS) as pool:
        futures = [
            pool.submit(_photo_files, story, number, item, by=by, county=county)
            for number, item in enumerate(story.photos, start=1)
        ]
    photos, failure = [], None
    for future in futures:
        try:
            photo = future.result()
        except Exception as error:
            failure = failure or error
            continue
        images.note_written(photo.image.storage, photo.stored_names())
        photos.append(photo)
    if failure is not None:
        raise failure
    for photo, item in zip(photos, story.photos, strict=True):
        photo.save()
        photo.add_credits([author_named(name, county)[0] for name in item.credits])
    return photos


def _photo_files(story, number, item, *, by, county):
    """An unsaved Photo whose files went through the photo desk's pipeline:
    checks, EXIF orientation, metadata stripped, renditions."""
    try:
        clean = images.clean_upload(
            ContentFile(item.picture.blob, name=item.picture.name)
        )
    except ValidationError as error:
        raise DocumentError(
            story.filename,
            _("第 %(number)d 张图片：%(reason)s")
            % {"number": number, "reason": " ".join(error.messages)},
        ) from error
    clean.content.decoded = clean.image  # store_files() reuses the pixels
    photo = Photo(
        image=clean.content,
        caption=item.caption,
        county_union=county,
        uploaded_by=by,
    )
    photo.store_files()
    clean.content.decoded = None  # the pixels are not needed past this point
    return photo
