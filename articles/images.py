"""Photo files: the upload checks and the resized renditions readers get.

Every image byte the site stores passes through here. An upload is decoded
with Pillow, so its real content, not its name, decides what it is; only
then is it turned upright, stripped of metadata and re-encoded. Renditions
are named after the stored original, so a name answers whether they exist
without asking storage or the database.
"""

import contextlib
import contextvars
import io
import os
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow format -> (stored format, extension). A GIF is kept as its first
# frame, stored as PNG so that no animation or palette trick survives.
ACCEPTED_FORMATS = {
    "JPEG": ("JPEG", "jpg"),
    "PNG": ("PNG", "png"),
    "WEBP": ("WEBP", "webp"),
    "GIF": ("PNG", "png"),
}
RENDITION_WIDTHS = (320, 640, 1280, 1920)
# (extension, MIME type) in the order a <picture> offers them.
RENDITION_FORMATS = (("webp", "image/webp"), ("jpg", "image/jpeg"))
ORIGINAL_SAVE_OPTIONS = {
    "JPEG": {"quality": 90},
    "WEBP": {"quality": 90, "method": 4},
    "PNG": {"compress_level": 6},
}
RENDITION_SAVE_OPTIONS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpg": ("JPEG", {"quality": 82, "progressive": True}),
}

MESSAGES = {
    "empty": _("文件是空的（0 字节），请重新选择图片。"),
    "too_big": _("文件太大（%(size)s MB），每张图片不能超过 %(limit)s MB。"),
    "too_many_pixels": _(
        "图片尺寸过大（%(width)s×%(height)s 像素），每张不能超过 %(limit)s 万像素。"
    ),
    "not_image": _(
        "这不是可以接受的图片：只接受 JPEG、PNG、WebP 或 GIF 格式，"
        "按文件内容判断，与扩展名无关。"
    ),
    "corrupt": _("图片文件已损坏或不完整，无法解码，请重新导出后再上传。"),
}


@dataclass
class CleanImage:
    """A decoded, upright, metadata-free upload ready to be stored."""

    content: ContentFile
    image: Image.Image
    format: str


def clean_upload(upload):
    """Decode an uploaded file and return a CleanImage, or raise ValidationError.

    Size and pixel count are checked before the pixels are decoded, so a
    decompression bomb costs only its header. Nothing is written anywhere.
    """
    size = getattr(upload, "size", None)
    if not size:
        raise ValidationError(MESSAGES["empty"], code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            MESSAGES["too_big"],
            code="too_big",
            params={
                "size": f"{size / 1024 / 1024:.1f}",
                "limit": MAX_UPLOAD_BYTES // 1024 // 1024,
            },
        )
    upload.seek(0)
    image = _decode(upload)
    source_format = image.format
    stored_format, extension = ACCEPTED_FORMATS[source_format]
    image = _upright(image)
    icc_profile = image.info.get("icc_profile")
    # Dropping info drops EXIF (GPS, camera serial), XMP, comments and PNG
    # text chunks; only the colour profile is written back.
    image.info = {}
    if stored_format == "JPEG" and image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    elif source_format == "GIF":
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    buffer = io.BytesIO()
    options = dict(ORIGINAL_SAVE_OPTIONS[stored_format])
    if icc_profile:
        options["icc_profile"] = icc_profile
    image.save(buffer, format=stored_format, **options)
    return CleanImage(
        content=ContentFile(buffer.getvalue(), name=f"upload.{extension}"),
        image=image,
        format=stored_format,
    )


def _decode(upload):
    # A truncated file must fail, whatever another module may have set.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=list(ACCEPTED_FORMATS))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    MESSAGES["too_many_pixels"],
                    code="too_many_pixels",
                    params={
                        "width": width,
                        "height": height,
                        "limit": MAX_PIXELS // 10_000,
                    },
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            MESSAGES["too_many_pixels"],
            code="too_many_pixels",
            params={"width": "?", "height": "?", "limit": MAX_PIXELS // 10_000},
        ) from error
    except UnidentifiedImageError as error:
        raise ValidationError(MESSAGES["not_image"], code="not_image") from error
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
        raise ValidationError(MESSAGES["corrupt"], code="corrupt") from error
    return image


def _upright(image):
    """Apply the EXIF orientation; a broken EXIF block counts as no rotation."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except (SyntaxError, ValueError, TypeError, KeyError, OSError):
        pass
    return image


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def rendition_widths(width):
    """The widths made for an original `width` pixels wide, never upscaled."""
    return sorted({min(target, width) for target in RENDITION_WIDTHS})


def rendition_name(image_name, width, extension):
    """photos/2024/02/ab12.jpg -> renditions/photos/2024/02/ab12/640.webp."""
    stem = os.path.splitext(image_name)[0]
    return f"renditions/{stem}/{width}.{extension}"


def rendition_names(image_name, widths):
    return [
        rendition_name(image_name, width, extension)
        for width in widths
        for extension, _mime in RENDITION_FORMATS
    ]


def make_renditions(image_name, storage, image=None):
    """Write every rendition of a stored original; return the widths made.

    `image` is the decoded original when the caller has it (an upload being
    saved); otherwise the stored file is read, letting the JPEG decoder
    scale down while decoding, which is several times faster.
    """
    if image is None:
        image = open_stored(image_name, storage, RENDITION_WIDTHS[-1])
    widths = rendition_widths(image.width)
    mode = "RGBA" if _has_alpha(image) else "RGB"
    # convert() copies even when nothing changes: 72 MB for 24 megapixels.
    colour = image if image.mode == mode else image.convert(mode)
    aspect = image.height / image.width
    written = []
    try:
        source = colour
        for width in sorted(widths, reverse=True):
            height = max(1, round(width * aspect))
            if source.width != width:
                # Each size is made from the next larger one, and a gap of 1.5
                # lets Pillow box-reduce a 6000 px original by an integer
                # factor before the Lanczos pass: about four times faster
                # than 3.0, with no visible difference at these sizes.
                source = source.resize(
                    (width, height), Image.Resampling.LANCZOS, reducing_gap=1.5
                )
            for extension, _mime in RENDITION_FORMATS:
                name = rendition_name(image_name, width, extension)
                _store(storage, name, _encode(source, extension))
                written.append(name)
    except BaseException:
        delete_files(storage, written)
        raise
    return widths


def open_stored(image_name, storage, min_width):
    """Decode a stored original, at least min_width wide where it allows."""
    with storage.open(image_name, "rb") as stored:
        image = Image.open(stored, formats=list(ACCEPTED_FORMATS))
        if image.format == "JPEG" and image.width > min_width:
            scale = min_width / image.width
            image.draft(
                "RGB", (round(image.width * scale), round(image.height * scale))
            )
        image.load()
    return image


def _encode(image, extension):
    pil_format, options = RENDITION_SAVE_OPTIONS[extension]
    if pil_format == "JPEG" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    buffer = io.BytesIO()
    image.save(buffer, format=pil_format, **options)
    return ContentFile(buffer.getvalue())


def _store(storage, name, content):
    # Rendition names are fixed, so an old file of the same name (from an
    # earlier run) is replaced rather than saved beside it under a suffix.
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, content)
    if saved != name:  # another process wrote it between the two calls
        storage.delete(saved)


def delete_files(storage, names):
    for name in names:
        if name:
            storage.delete(name)


# Files written inside a removed_on_error() block: (storage, name) pairs.
_written_in_block = contextvars.ContextVar("written_in_block", default=None)


def note_written(storage, names):
    """Record files just written, for an enclosing removed_on_error()."""
    written = _written_in_block.get()
    if written is not None:
        written.extend((storage, name) for name in names if name)


@contextlib.contextmanager
def removed_on_error():
    """Delete the files written inside the block if the block fails.

    A photo's files are written before its row, inside the caller's
    transaction; when a later step (an inline, the change log) fails, the
    rollback takes the row away but not the files. This takes them too.
    """
    written = []
    token = _written_in_block.set(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    finally:
        _written_in_block.reset(token)
