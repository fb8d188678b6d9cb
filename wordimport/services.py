"""Write drafts from .docx stories: one transaction, no file left on failure.

Every document is read and checked before anything is written; then all the
drafts of one upload are written together. A picture refused by the photo
desk's checks, or any later failure, rolls the transaction back, and the
photo service deletes every file the photos had written.
"""

from dataclasses import dataclass

import reversion
from django.utils.translation import gettext as _

from articles import photo_service
from articles.models import Article, ArticleAuthor, ArticlePhoto
from articles.services import author_named
from serving import pagecache

from .document import DocumentError
from .story import read_story

MAX_FILES = 10


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
    # One page-cache bump for the whole upload, not one per saved row.
    with pagecache.batched(), photo_service.atomic():
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
        # One insert each for the byline and the gallery, then one refresh
        # of the derived fields instead of one per row.
        bylines = ArticleAuthor.objects.bulk_create(
            ArticleAuthor(
                article=article, author=author_named(name, county)[0], position=position
            )
            for position, name in enumerate(story.byline)
        )
        gallery = ArticlePhoto.objects.bulk_create(
            ArticlePhoto(article=article, photo=photo, position=position)
            for position, photo in enumerate(photos)
        )
        Article.objects.filter(pk=article.pk).refresh_derived()
        # bulk_create sends no signal: the revision gets the new rows here.
        for row in [*bylines, *gallery]:
            reversion.add_to_revision(row)
        reversion.set_user(by)
        reversion.set_comment(_("从 Word 导入：%(file)s") % {"file": story.filename})
    return article


def _photos(story, *, by, county):
    """The story's pictures as saved Photos with credits, in document order,
    through the photo service (checks, EXIF orientation, renditions)."""
    authors = {
        name: author_named(name, county)[0]
        for name in dict.fromkeys(name for item in story.photos for name in item.credits)
    }
    batch = [
        photo_service.NewPhoto(
            image=item.picture.blob,
            caption=item.caption,
            credits=[authors[name] for name in item.credits],
            fields={"county_union": county, "uploaded_by": by},
        )
        for item in story.photos
    ]
    try:
        return photo_service.store_photos(batch)
    except photo_service.PictureRefused as refused:
        raise DocumentError(
            story.filename,
            _("第 %(number)d 张图片：%(reason)s")
            % {"number": refused.number, "reason": " ".join(refused.messages)},
        ) from refused
