"""Photo files: the upload checks and the resized renditions readers get.

Every image byte the site stores passes through here. An upload is decoded
with Pillow, so its real content, not its name, decides what it is; only
then is it turned upright, stripped of metadata and re-encoded. Renditions
are named after the stored original, so a name answers whether they exist
without asking storage or the database.
"""

import io
import os
import warnings

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
# Encoder effort was most of an upload's time: WebP method 2 rather than the
# slower, denser methods, and the JPEG (only the fallback and the share card)
# optimised but not progressive. Measured in docs/performance.md.
RENDITION_SAVE_OPTIONS = {
    "webp": ("WEBP", {"quality": 80, "method": 2}),
    "jpg": ("JPEG", {"quality": 82, "optimize": True}),
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


class CleanImage(ContentFile):
    """An upload that passed the checks: the upright, metadata-free file to
    store, with its decoded pixels (`image`) for making the renditions."""

    def __init__(self, content, *, name, image, format):
        super().__init__(content, name=name)
        self.image = image
        self.format = format


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
        buffer.getvalue(), name=f"upload.{extension}", image=image, format=stored_format
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


def renditions(image):
    """Encode every rendition of a decoded original, largest first.

    Yields (width, extension, bytes); the caller stores each one. Each size
    is made from the next larger one, so the full picture is resampled once.
    """
    widths = rendition_widths(image.width)
    mode = "RGBA" if _has_alpha(image) else "RGB"
    # convert() copies even when nothing changes: 72 MB for 24 megapixels.
    source = image if image.mode == mode else image.convert(mode)
    aspect = image.height / image.width
    for width in sorted(widths, reverse=True):
        height = max(1, round(width * aspect))
        if source.width != width:
            # A gap of 1.5 lets Pillow box-reduce a camera-sized original by
            # an integer factor before the Lanczos pass: much faster than a
            # larger gap, with no visible difference at these sizes.
            source = source.resize(
                (width, height), Image.Resampling.LANCZOS, reducing_gap=1.5
            )
        for extension, _mime in RENDITION_FORMATS:
            yield width, extension, _encode(source, extension)


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
    return buffer.getvalue()
