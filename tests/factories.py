"""Builders for test data with overridable defaults; times relative to now."""

import io
import itertools
import struct
import zlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles import photo_service
from articles.models import (
    Article,
    ArticleAuthor,
    ArticlePhoto,
    Author,
    Section,
)
from counties.models import CountyUnion

_counter = itertools.count(1)


def county(slug="xiangshui"):
    """One of the nine unions the data migration created."""
    return CountyUnion.objects.get(slug=slug)


def make_section(**fields):
    n = next(_counter)
    fields.setdefault("name", f"栏目{n}")
    return Section.objects.create(**fields)


def make_author(name=None, **fields):
    return Author.objects.create(name=name or f"作者{next(_counter)}", **fields)


def jpeg_bytes(width=64, height=48, color=(200, 30, 30), fmt="JPEG", **save_args):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=fmt, **save_args)
    return buffer.getvalue()


def make_photo(caption="测试图片", credits=(), **fields):
    """A photo stored as the photo desk stores one: checked, with renditions."""
    image = fields.pop("image", None) or SimpleUploadedFile(
        "test.jpg", jpeg_bytes(), content_type="image/jpeg"
    )
    return photo_service.store_photo(
        image, caption=caption, credits=list(credits), **fields
    )


def make_article(
    *,
    status=Article.Status.PUBLISHED,
    days_ago=1,
    authors=(),
    photos=(),
    tags=(),
    section=None,
    **fields,
):
    """An article; published a day ago unless told otherwise.

    days_ago may be negative for a scheduled (future) publish time, or None
    for no publish time at all.
    """
    n = next(_counter)
    fields.setdefault("title", f"测试稿件{n}")
    fields.setdefault("body", f"<p>第{n}篇测试稿件的正文。</p>")
    publish_at = None if days_ago is None else timezone.now() - timedelta(days=days_ago)
    article = Article.objects.create(
        status=status,
        publish_at=publish_at,
        section=section or Section.objects.first() or make_section(),
        **fields,
    )
    for position, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, position=position)
    for position, photo in enumerate(photos):
        ArticlePhoto.objects.create(article=article, photo=photo, position=position)
    if tags:
        article.tags.add(*tags)
    # Signals copied bylines and tags onto the row; the instance follows.
    article.refresh_from_db(fields=["byline_json", "tags_json"])
    return article


def make_user(username=None, *, superuser=False, **fields):
    username = username or f"user{next(_counter)}"
    manager = get_user_model().objects
    if superuser:
        return manager.create_superuser(
            username, f"{username}@example.com", "pw-Strong-123"
        )
    return manager.create_user(
        username, f"{username}@example.com", "pw-Strong-123", **fields
    )


def make_staff(role, *, union=None, username=None, email=None):
    """A staff account in one role group ("editor", "correspondent",
    "photographer"), with its Author linked to union."""
    from articles.roles import assign_role

    user = make_user(username)
    if email is not None:
        user.email = email
        user.save(update_fields=["email"])
    assign_role(user, role)
    make_author(user.username, user=user, county_union=union)
    return user


# Photo files: good, hostile and broken uploads for the photo desk tests.


def image_bytes(width=64, height=48, fmt="JPEG", *, noise=False, mode="RGB", **args):
    """An encoded image; noise makes it large and hard to compress."""
    if noise:
        image = Image.effect_noise((width, height), 80).convert(mode)
    else:
        image = Image.new(mode, (width, height), (200, 30, 30) if mode == "RGB" else 0)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **args)
    return buffer.getvalue()


def exif_jpeg_bytes(width=60, height=30, *, orientation=6, gps=True):
    """A JPEG stored sideways: left half red, right half blue, EXIF says rotate.

    With orientation 6 a viewer turns it 90° clockwise, so the upright
    picture is red on top and blue below. The GPS block points at Yancheng.
    """
    image = Image.new("RGB", (width, height), (220, 0, 0))
    image.paste((0, 0, 220), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "TestCam"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (33.0, 21.0, 0.0), 3: "E", 4: (120.0, 9.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def png_claiming_size(width, height):
    """A tiny PNG whose header claims width×height: a decompression bomb."""
    data = bytearray(image_bytes(8, 8, "PNG", mode="L"))
    # IHDR starts at byte 8: length(4) type(4) width(4) height(4) ... crc(4)
    data[16:20] = struct.pack(">I", width)
    data[20:24] = struct.pack(">I", height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def photo_upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root):
    """Every file under a media root, as relative paths."""
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()
    )


def give_originals(photos, fmt="PNG"):
    """Upload an original for each photo, as a photographer does in the
    admin: the importer's placeholder is replaced and readers see it."""
    for photo in photos:
        photo_service.save_photo(
            photo,
            SimpleUploadedFile(f"original.{fmt.lower()}", jpeg_bytes(800, 600, fmt=fmt)),
        )
