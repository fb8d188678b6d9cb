from datetime import date as date_type

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from articles.bulletin import BulletinError
from articles.services import import_bulletin


class Command(BaseCommand):
    help = _("导入一期工会通讯（文本格式见 shared/seed）。")

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("通讯文本文件的路径"))
        parser.add_argument("--date", help=_("发布日期，格式 YYYY-MM-DD；默认现在"))
        parser.add_argument(
            "--publish", action="store_true", help=_("直接发布；默认导入为草稿")
        )

    def handle(self, *args, path, date=None, publish=False, **options):
        publish_date = None
        if date:
            try:
                publish_date = date_type.fromisoformat(date)
            except ValueError:
                raise CommandError(
                    _("日期格式应为 YYYY-MM-DD，例如 2024-02-20。")
                ) from None
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            raise CommandError(_("找不到文件：%(path)s") % {"path": path}) from None
        except UnicodeDecodeError:
            raise CommandError(
                _("文件不是 UTF-8 编码的文本：%(path)s") % {"path": path}
            ) from None

        def progress(done, total, title, created):
            mark = _("导入") if created else _("已存在，跳过")
            self.stdout.write(f"[{done}/{total}] {mark}：{title}")

        try:
            summary = import_bulletin(
                text=text,
                publish=publish,
                by=None,
                date=publish_date,
                progress=progress,
            )
        except BulletinError as error:
            raise CommandError(
                _("导入失败，未写入任何内容。%(error)s") % {"error": error}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "完成：新建栏目 %(sections)d 个，稿件 %(articles)d 篇，图片 %(photos)d 张，"
                    "作者 %(authors)d 位；跳过已导入的 %(skipped)d 项。"
                )
                % vars(summary)
            )
        )
