"""The photo service: every file a photo has is written, and removed, here.

store_photo() turns an upload, or the bytes of a picture from a document,
into a Photo: the photo desk's checks (images.clean_upload), the upright,
metadata-free original, every rendition, then the row and its credits.
save_photo() does the same for a Photo a form has filled in, and gives a
saved photo a new original. The admin photo form, the bulk upload, the
bulletin import and the Word import all call them; nothing else writes a
photo's files.

Files take no part in a database transaction. The files written inside a
photo_service.atomic() block are therefore remembered and deleted again when the
block fails, whatever failed after them (a later picture, an inline, the
change log). The old files of a photo that is deleted or given a new
original are deleted once the transaction commits.
"""

import contextlib
import contextvars
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from serving import pagecache

from . import images
from .models import Photo, PhotoCredit

# Renditions are most of an import's time, and Pillow works outside the GIL:
# two threads use both cores of the server; more would only add memory.
WORKERS = 2

# The files written inside the innermost photo_service.atomic() block, as
# (storage, name) pairs; None outside any block.
_written = contextvars.ContextVar("photo_files_written", default=None)


@dataclass
class NewPhoto:
    """One photo of a batch for store_photos()."""

    image: object  # an uploaded file, bytes, or an images.CleanImage
    caption: str
    credits: list = field(default_factory=list)  # Authors, in printed order
    fields: dict = field(default_factory=dict)  # other Photo fields


class PictureRefused(ValidationError):
    """Picture `number` (counted from 1) of a batch failed the checks."""

    def __init__(self, number, error):
        super().__init__(error.error_list)
        self.number = number


def check(upload):
    """The photo desk's checks: an images.CleanImage, or ValidationError.

    Takes an uploaded file, any File, bytes, or an already checked
    CleanImage (returned as it is). Nothing is written.
    """
    if isinstance(upload, images.CleanImage):
        return upload
    if isinstance(upload, bytes):
        upload = ContentFile(upload, name="picture")
    return images.clean_upload(upload)


@contextlib.contextmanager
def atomic(using=None):
    """transaction.atomic() that also deletes the photo files written inside
    the block when the block fails.

    Wrap in it everything that must succeed for the photos to stay: a form's
    whole save, a whole import. Blocks nest; an inner block that succeeds
    hands its files to the outer one.
    """
    outer = _written.get()
    written = []
    token = _written.set(written)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        _delete(written)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(written)


def store_photo(image, *, caption, credits=(), **fields):
    """Check image, store it with its renditions and write a new Photo.

    fields are other Photo fields (county_union, uploaded_by, ...); credits
    are Authors in printed order. Raises ValidationError for a refused
    picture; then nothing is written.
    """
    return save_photo(Photo(caption=caption, **fields), image, credits=credits)


def save_photo(photo, image=None, *, credits=()):
    """Save photo; with image, first store it as the photo's original.

    The image is checked unless it is already a CleanImage (a form's cleaned
    value). A saved photo given a new original stops waiting for one, and
    its old files are deleted once the transaction commits. credits (Authors,
    in printed order) are added to a new photo.
    """
    creating = photo.pk is None
    stale = [] if creating or image is None else _files_in_database(photo)
    clean = check(image) if image is not None else None
    with atomic():
        if clean is not None:
            store_files(photo, clean)
            if not creating:
                photo.awaiting_original = False
        photo.save()
        if credits:
            _credit([(photo, credits)])
    if stale:
        kept = set(photo.stored_names())
        _delete_on_commit(
            [(photo.image.storage, name) for name in stale if name not in kept]
        )
    return photo


def store_photos(batch, *, workers=WORKERS):
    """Store a batch of NewPhotos and return the Photos, in batch order.

    Checks and files are done in `workers` threads, the rows in this one.
    Raises PictureRefused for the first picture refused by the checks, once
    every thread has finished; then nothing stays written.
    """
    photos = [Photo(caption=new.caption, **new.fields) for new in batch]
    with pagecache.batched(), atomic():
        with ThreadPoolExecutor(max_workers=workers) as pool:
            # Each thread runs in a copy of this context, which shares the
            # block's list of written files.
            futures = [
                pool.submit(
                    contextvars.copy_context().run, store_files, photo, new.image
                )
                for photo, new in zip(photos, batch, strict=True)
            ]
        for number, future in enumerate(futures, start=1):
            try:
                future.result()
            except ValidationError as error:
                raise PictureRefused(number, error) from error
        for photo in photos:
            photo.save()
        _credit(
            [(photo, new.credits) for photo, new in zip(photos, batch, strict=True)]
        )
    return photos


def remake_renditions(photo):
    """Make the renditions again from the stored original, dropping stale ones."""
    storage = photo.image.storage
    previous = set(photo.stored_names()[1:])
    make_renditions(photo)
    Photo.objects.filter(pk=photo.pk).update(
        rendition_source=photo.rendition_source,
        rendition_sizes=photo.rendition_sizes,
    )
    _delete((storage, name) for name in previous - set(photo.stored_names()))


@receiver(post_delete, sender=Photo, dispatch_uid="articles.photo_service.deleted")
def delete_photo_files(sender, instance, **kwargs):
    """Remove the files of a deleted photo once the deletion is committed."""
    storage = instance.image.storage
    _delete_on_commit([(storage, name) for name in instance.stored_names()])


def store_files(photo, image):
    """Check image, store it as photo's original and make its renditions;
    the row is not saved.

    Touches files, not the database, so threads may run it. The files are
    recorded for the enclosing atomic() block once all are written, or
    deleted at once if one of them cannot be written.
    """
    clean = check(image)
    storage = photo.image.storage
    written = []
    try:
        photo.image.save(clean.name, clean, save=False)
        written.append((storage, photo.image.name))
        _store_renditions(photo, clean.image, written)
    except BaseException:
        _delete(written)
        raise
    block = _written.get()
    if block is not None:
        block.extend(written)


def make_renditions(photo):
    """Write the renditions of photo's stored original (not saving the row)."""
    storage = photo.image.storage
    image = images.open_stored(photo.image.name, storage, images.RENDITION_WIDTHS[-1])
    written = []
    try:
        _store_renditions(photo, image, written)
    except BaseException:
        _delete(written)
        raise


def _store_renditions(photo, image, written):
    """Write every rendition of photo's original from its decoded pixels,
    adding (storage, name) to written as each is stored."""
    storage = photo.image.storage
    widths = []
    for width, extension, data in images.renditions(image):
        name = images.rendition_name(photo.image.name, width, extension)
        _replace(storage, name, data)
        written.append((storage, name))
        if width not in widths:
            widths.append(width)
    photo.set_renditions(sorted(widths))


def _replace(storage, name, data):
    # Rendition names are fixed, so an old file of the same name (from an
    # earlier run) is replaced rather than saved beside it under a suffix.
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # another process wrote it between the two calls
        storage.delete(saved)


def _files_in_database(photo):
    """The stored names of photo's files as its saved row has them."""
    row = (
        Photo.objects.filter(pk=photo.pk)
        .values("image", "rendition_source", "rendition_sizes")
        .first()
    )
    return Photo(**row).stored_names() if row else []


def _credit(pairs):
    """Credit new photos to authors in printed order: (Photo, [Author]) pairs.

    One insert for all; bulk_create sends no signal, so the printed names
    are copied here, for the rows and the instances.
    """
    pairs = [(photo, authors) for photo, authors in pairs if authors]
    if not pairs:
        return
    PhotoCredit.objects.bulk_create(
        PhotoCredit(photo=photo, author=author, position=position)
        for photo, authors in pairs
        for position, author in enumerate(authors)
    )
    credited = Photo.objects.filter(pk__in=[photo.pk for photo, _authors in pairs])
    credited.refresh_credit_names()
    names = dict(credited.values_list("pk", "credit_names"))
    for photo, _authors in pairs:
        photo.credit_names = names[photo.pk]


def _delete_on_commit(files):
    if files:
        transaction.on_commit(lambda: _delete(files))


def _delete(files):
    for storage, name in files:
        storage.delete(name)
