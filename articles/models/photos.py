"""Photos, their files and renditions, and their ordered credits."""

import os
import uuid

from django.apps import apps
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Exists,
    OuterRef,
)
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .. import images, reader_fields
from ..ordering import OrderedEntry
from .authors import Author, leave_copies_alone


def photo_upload_to(instance, filename):
    """A generated name in a dated folder; the uploader's file name is dropped."""
    ext = os.path.splitext(filename)[1].lower() or ".jpg"
    return f"photos/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"


def _articles():
    """Article, which refers to Photo and is defined after it."""
    return apps.get_model("articles", "Article")


class PhotoQuerySet(models.QuerySet):
    def published(self):
        """Photos a reader may see: used by at least one published article."""
        # EXISTS rather than IN + DISTINCT: a page asking for the newest few
        # photos then walks an index and stops, at any number of articles.
        published = _articles().objects.published()
        return self.filter(
            Exists(published.filter(cover_photo=OuterRef("pk")))
            | Exists(published.filter(gallery__photo=OuterRef("pk")))
        )

    def newest_published(self, count):
        """The newest `count` published photos of this queryset, as a list.

        published() ORs two EXISTS, which PostgreSQL can only run by hashing
        every published article. Asked one use at a time,
        each is an index walk that stops after `count` rows; the two short
        lists are merged here.
        """
        published = _articles().objects.published()
        as_cover = self.filter(Exists(published.filter(cover_photo=OuterRef("pk"))))
        in_gallery = self.filter(
            Exists(published.filter(gallery__photo=OuterRef("pk")))
        )
        found = {photo.pk: photo for photo in [*as_cover[:count], *in_gallery[:count]]}
        return sorted(
            found.values(), key=lambda photo: (photo.created_at, photo.pk), reverse=True
        )[:count]

    def refresh_credit_names(self):
        """Recompute credit_names from the ordered credits of these photos."""
        reader_fields.refresh_photo_credits(
            self.order_by().values_list("pk", flat=True),
            photo_model=Photo,
            credit_model=PhotoCredit,
        )

    def awaiting_original(self):
        return self.filter(awaiting_original=True)

    def shown_to_readers(self):
        """Photos readers see as pictures: not a placeholder still waiting
        for its original (the twin of Photo.is_image_shown())."""
        return self.filter(awaiting_original=False)


class Photo(models.Model):
    image = models.ImageField(
        _("图片"),
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
    )
    caption = models.TextField(_("图片说明"))
    alt_text = models.CharField(
        _("替代文字"),
        max_length=300,
        blank=True,
        help_text=_("给看不到图片的读者（读屏软件）；留空则使用图片说明。"),
    )
    credits = models.ManyToManyField(
        Author,
        through="PhotoCredit",
        related_name="photos",
        blank=True,
        verbose_name=_("摄影"),
    )
    county_union = models.ForeignKey(
        "counties.CountyUnion",
        verbose_name=_("县级工会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
    )
    taken_on = models.DateField(_("拍摄日期"), null=True, blank=True)
    # Where the subject is, as fractions of the width and height from the
    # top left: crops (object-position on tiles) keep this point in view.
    focal_x = models.FloatField(
        _("焦点（横）"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("在图片上点击主体位置即可设置；0 为最左，1 为最右。"),
    )
    focal_y = models.FloatField(
        _("焦点（竖）"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 为最上，1 为最下。"),
    )
    width = models.PositiveIntegerField(_("宽"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("高"), null=True, blank=True, editable=False)
    awaiting_original = models.BooleanField(
        _("待补原图"),
        default=False,
        help_text=_("导入时生成的占位图，上传原图后自动取消。"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    # Renditions are made when the image is saved; these record for which
    # stored original and at which widths, so pages need no lookup.
    rendition_source = models.CharField(
        _("缩放版本的原图"), max_length=100, blank=True, editable=False
    )
    rendition_sizes = models.CharField(
        _("缩放版本宽度"),
        max_length=60,
        blank=True,
        editable=False,
        help_text=_("已生成的宽度（像素），逗号分隔；换图后自动重做。"),
    )
    # The photographers' names in printed order, kept by refresh_credit_names()
    # whenever credits or names change, so a page needs no join to print them.
    credit_names = models.CharField(
        _("摄影署名"), max_length=400, blank=True, editable=False
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # County pages show a union's newest published photos.
        indexes = [
            models.Index(
                fields=["county_union", "-created_at", "-id"],
                name="photo_county_recent",
            )
        ]
        verbose_name = _("图片")
        verbose_name_plural = _("图片")

    def __str__(self):
        caption = self.caption if len(self.caption) <= 30 else self.caption[:30] + "…"
        return caption

    def save(self, *args, **kwargs):
        """Save the row. A new image is stored, with its renditions, by the
        photo service (articles.photo_service), which then calls this."""
        if not self.alt_text:
            self.alt_text = self.caption[:300]
        leave_copies_alone(self, kwargs, {"credit_names"})
        super().save(*args, **kwargs)

    def is_image_shown(self, preview=False):
        """Whether a page shows this photo as a picture.

        A placeholder the importer made while the original is still to come
        is never shown to readers: pages print its caption and credit as
        text instead. Staff previews (preview=True) still show it, marked
        原图待补.
        """
        return preview or not self.awaiting_original

    @property
    def focus_class(self):
        """Classes that point crops at the focal point, in tenths
        (site.css: fx-0 … fx-10, fy-0 … fy-10); none when centred.

        Classes, not a style attribute: reader pages allow no inline style.
        """
        x, y = round(self.focal_x * 10), round(self.focal_y * 10)
        return "" if (x, y) == (5, 5) else f"fx-{x} fy-{y}"

    @property
    def credit_line(self):
        """The printed credit, e.g. "秦西江 张楠 摄"."""
        return f"{self.credit_names} 摄" if self.credit_names else ""

    @cached_property
    def rendition_widths(self):
        """Widths whose renditions exist for the current image, smallest first."""
        return self._widths_made_for(self.image.name) if self.image else []

    def _widths_made_for(self, image_name):
        if self.rendition_sizes and self.rendition_source == image_name:
            return [int(width) for width in self.rendition_sizes.split(",")]
        return []

    def rendition_url(self, width, extension="jpg"):
        name = images.rendition_name(self.image.name, width, extension)
        return self.image.storage.url(name)

    def _srcset(self, extension):
        return ", ".join(
            f"{self.rendition_url(width, extension)} {width}w"
            for width in self.rendition_widths
        )

    @property
    def webp_srcset(self):
        return self._srcset("webp")

    @property
    def jpeg_srcset(self):
        return self._srcset("jpg")

    def _jpeg_up_to(self, max_width):
        """The widest JPEG rendition not over max_width (else the smallest);
        the original when there are no renditions."""
        widths = self.rendition_widths
        if not widths:
            return self.image.url
        fitting = [width for width in widths if width <= max_width] or widths[:1]
        return self.rendition_url(fitting[-1])

    @property
    def fallback_url(self):
        """A mid-sized JPEG for browsers without srcset."""
        return self._jpeg_up_to(640)

    @property
    def share_url(self):
        """The JPEG a share card shows: about 1,200 px wide, as share cards
        want, rather than the original, which may be a 20 MB camera file."""
        return self._jpeg_up_to(1280)

    @property
    def large_url(self):
        """The largest rendition, for the full-size view of a photo."""
        widths = self.rendition_widths
        return self.rendition_url(widths[-1]) if widths else self.image.url

    def set_renditions(self, widths):
        """Record that renditions of the current image exist at widths."""
        self.rendition_source = self.image.name
        self.rendition_sizes = ",".join(str(width) for width in widths)
        self.__dict__.pop("rendition_widths", None)

    def stored_names(self, image_name=None):
        """Every file stored for an original (default: the current one)."""
        image_name = image_name or (self.image.name if self.image else "")
        if not image_name:
            return []
        return [image_name] + images.rendition_names(
            image_name, self._widths_made_for(image_name)
        )


class PhotoCredit(OrderedEntry):
    order_within = "photo"

    photo = models.ForeignKey(
        Photo, on_delete=models.CASCADE, related_name="credit_entries"
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("摄影"),
        on_delete=models.PROTECT,
        related_name="photo_credits",
    )

    class Meta(OrderedEntry.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "author"], name="unique_photo_credit"
            )
        ]
        verbose_name = _("摄影署名")
        verbose_name_plural = _("摄影署名")

    def __str__(self):
        return self.author.name
