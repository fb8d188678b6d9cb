from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles import photo_service
from articles.models import Photo

BAR_WIDTH = 30


class Command(BaseCommand):
    help = _("为所有图片重新生成各尺寸版本（改了尺寸设置或换了存储之后运行）。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing",
            action="store_true",
            help=_("只处理还没有生成过缩放版本的图片"),
        )

    def handle(self, *args, missing=False, **options):
        photos = Photo.objects.exclude(image="").order_by("pk")
        if missing:
            photos = [photo for photo in photos if not photo.rendition_widths]
        else:
            photos = list(photos)
        total = len(photos)
        failed = []
        for done, photo in enumerate(photos, start=1):
            try:
                photo_service.remake_renditions(photo)
            except (OSError, ValueError) as error:
                failed.append(f"#{photo.pk} {photo.image.name}: {error}")
            self._progress(done, total)
        if total:
            self.stdout.write("")
        for line in failed:
            self.stderr.write(_("失败：%(photo)s") % {"photo": line})
        if failed:
            raise CommandError(
                _("%(failed)d 张图片未能生成，其余 %(ok)d 张已完成。")
                % {"failed": len(failed), "ok": total - len(failed)}
            )
        self.stdout.write(
            self.style.SUCCESS(_("完成：%(total)d 张图片。") % {"total": total})
        )

    def _progress(self, done, total):
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending="")
        self.stdout.flush()
