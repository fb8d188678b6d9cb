"""Work that spans several models: importing a whole bulletin."""

import functools
import io
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw

from counties.models import CountyUnion
from security.text import clean_text
from serving import pagecache

from . import photo_service
from .bulletin import ParsedPhoto, parse_bulletin
from .models import Article, ArticleAuthor, Author, Section

TOPIC_NAME_MIN_LENGTH = 8


@dataclass
class ImportSummary:
    sections: int = 0
    articles: int = 0
    photos: int = 0
    authors: int = 0
    skipped: int = 0


def placeholder_image():
    """A striped PNG standing in until the original photo comes.

    Only staff see it, marked 原图待补 by the page; readers get the caption
    as text (Photo.is_image_shown), so it carries no words of its own.
    """
    return ContentFile(_placeholder_png(), name="placeholder.png")


@functools.cache
def _placeholder_png():
    # Drawn once per process: a bulletin has many photo items.
    image = Image.new("RGB", (1200, 800), (222, 222, 222))
    draw = ImageDraw.Draw(image)
    for x in range(-800, 1200, 60):
        draw.line([(x, 800), (x + 800, 0)], fill=(205, 205, 205), width=18)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def import_bulletin(*, text, publish, by=None, date=None, progress=None, issue=None):
    """Import bulletin text in one transaction and return an ImportSummary.

    Items already imported (same section and title) are skipped, so a second
    run changes nothing. With issue (an Issue), every item is filed into it
    in printed order; skipped items not yet in an issue are filed too. A malformed text raises BulletinError before any
    write. Files written for a transaction that fails are removed again.
    """
    return import_sections(
        sections=parse_bulletin(clean_text(text)),
        publish=publish,
        by=by,
        date=date,
        progress=progress,
        issue=issue,
    )


def import_sections(*, sections, publish, by=None, date=None, progress=None, issue=None):
    """Write parsed bulletin sections (from text or a .docx) as import_bulletin does.

    A photo item carrying its picture gets it through the photo service's
    checks; a picture refused there raises ValidationError and nothing stays
    written, no row and no file.
    """
    total = sum(len(section.items) for section in sections)
    base_time = _publish_base(date)
    with pagecache.batched(), photo_service.atomic():
        return _write(
            sections,
            publish=publish,
            by=by,
            base_time=base_time,
            progress=progress or (lambda *args: None),
            total=total,
            issue=issue,
        )


def _publish_base(date):
    if date is None:
        return timezone.now()
    return timezone.make_aware(datetime.combine(date, time(8, 0)))


def _write(sections, *, publish, by, base_time, progress, total, issue):
    summary = ImportSummary()
    unions = CountyUnion.objects.all()
    len(unions)  # evaluate once; named_in() then reuses the cached rows
    authors = {}
    done = 0
    for section_position, parsed in enumerate(sections):
        kind = _section_kind(parsed)
        # Looked up as it is stored (clean_fields: a tab becomes a space),
        # or a second import would not find what the first one wrote.
        section, created = Section.objects.get_or_create(
            name=clean_text(parsed.name, single_line=True),
            defaults={"kind": kind, "position": section_position},
        )
        summary.sections += created
        for item in parsed.items:
            done += 1
            title = item.title
            existing = _existing(section, item)
            if existing.exists():
                if issue is not None:
                    existing.filter(issue__isnull=True).update(
                        issue=issue, issue_position=done
                    )
                summary.skipped += 1
                progress(done, total, title, False)
                continue
            text = (
                item.caption
                if isinstance(item, ParsedPhoto)
                else " ".join(item.paragraphs)
            )
            # A county named in the title wins over one named in the text.
            union = unions.named_in(title) or unions.named_in(text)
            article = Article(
                title=title,
                section=section,
                county_union=union,
                created_by=by,
                updated_by=by,
                issue=issue,
                issue_position=done if issue is not None else None,
            )
            if publish:
                article.status = Article.Status.PUBLISHED
                # One minute apart so lists keep the printed order.
                article.publish_at = base_time - timedelta(minutes=done)
            names = item.credits if isinstance(item, ParsedPhoto) else item.byline
            people = [_author(authors, name, union, summary) for name in names]
            if isinstance(item, ParsedPhoto):
                article.dateline = ""
                article.body = f"<p>{escape(item.caption)}</p>"
                article.cover_photo = _photo(item, people, union, by)
                summary.photos += 1
            else:
                article.dateline = item.dateline
                article.body = "".join(f"<p>{escape(p)}</p>" for p in item.paragraphs)
            article.save()
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=article, author=person, position=position)
                for position, person in enumerate(people)
            )
            # bulk_create sends no signals.
            Article.objects.filter(pk=article.pk).refresh_derived()
            summary.articles += 1
            progress(done, total, title, True)
    return summary


def _existing(section, item):
    """The item as imported before: an article by its title; a photo item by
    its caption, since editors may well have changed its headline."""
    if isinstance(item, ParsedPhoto):
        return Article.objects.filter(
            section=section, cover_photo__caption=clean_text(item.caption)
        )
    title = clean_text(item.title, single_line=True)  # as stored
    return Article.objects.filter(section=section, title=title)


def _section_kind(parsed):
    if parsed.is_photo_news:
        return Section.Kind.PHOTO
    # Slogan-length headings ("谱写绿色盐城新篇章 …") are special-topic columns;
    # short ones ("新闻速递") are ordinary news lists.
    if len(parsed.name) > TOPIC_NAME_MIN_LENGTH:
        return Section.Kind.TOPIC
    return Section.Kind.NEWS


def author_named(name, union):
    """(Author, created): the existing Author of that name, or a new one in union."""
    author = Author.objects.filter(name=name).first()
    if author is None:
        return Author.objects.create(name=name, county_union=union), True
    return author, False


def _author(cache, name, union, summary):
    if name not in cache:
        cache[name], created = author_named(name, union)
        summary.authors += created
    return cache[name]


def _photo(item, people, union, by):
    return photo_service.store_photo(
        placeholder_image() if item.picture is None else item.picture.blob,
        caption=item.caption,
        credits=people,
        county_union=union,
        awaiting_original=item.picture is None,
        uploaded_by=by,
    )
