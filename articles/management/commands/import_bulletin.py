import re
from datetime import date as date_type

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.bulletin import BulletinError
from articles.models import Issue
from articles.services import import_bulletin

ISSUE_CODE = re.compile(r"(\d{4})-(\d{1,3})")


def _issue(code, publish_date):
    """The Issue named by "2024-2", created (dated publish_date) if new."""
    match = ISSUE_CODE.fullmatch(code.strip())
    if not match or int(match[2]) < 1:
        raise CommandError(
            _("期刊格式应为 年份-期号，例如 2024-2；现在是“%(code)s”。")
            % {"code": code}
        )
    issue, _created = Issue.objects.get_or_create(
        year=int(match[1]),
        number=int(match[2]),
        defaults={"published_on": publish_date or timezone.localdate()},
    )
    return issue


class Command(BaseCommand):
    help = _("导入一期工会通讯（文本格式见 shared/seed）。")

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help=_("通讯文本文件（.md、.txt）或 Word 文档（.docx）的路径")
        )
        parser.add_argument("--date", help=_("发布日期，格式 YYYY-MM-DD；默认现在"))
        parser.add_argument(
            "--publish", action="store_true", help=_("直接发布；默认导入为草稿")
        )
        parser.add_argument(
            "--issue",
            help=_("归入的期刊，格式 年份-期号，例如 2024-2；没有则新建"),
        )

    def handle(self, *args, path, date=None, publish=False, issue=None, **options):
        publish_date = None
        if date:
            try:
                publish_date = date_type.fromisoformat(date)
            except ValueError:
                raise CommandError(
                    _("日期格式应为 YYYY-MM-DD，例如 2024-02-20。")
                ) from None
        if path.lower().endswith(".docx"):
            return self._import_docx(path, publish, publish_date, issue)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            raise CommandError(_("找不到文件：%(path)s") % {"path": path}) from None
        except UnicodeDecodeError:
            raise CommandError(
                _("文件不是 UTF-8 编码的文本：%(path)s") % {"path": path}
            ) from None

        self._run(
            lambda: import_bulletin(
                text=text,
                publish=publish,
                by=None,
                date=publish_date,
                progress=self._progress,
                issue=issue and _issue(issue, publish_date),
            ),
            BulletinError,
        )

    def _import_docx(self, path, publish, publish_date, issue):
        # The same options and result through the same service; Word's
        # heading styles stand for the text format's marks (wordimport/).
        from wordimport.bulletin import import_docx_bulletin
        from wordimport.document import DocumentError

        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            raise CommandError(_("找不到文件：%(path)s") % {"path": path}) from None
        self._run(
            lambda: import_docx_bulletin(
                filename=path,
                data=data,
                publish=publish,
                by=None,
                date=publish_date,
                progress=self._progress,
                issue=issue and _issue(issue, publish_date),
            ),
            DocumentError,
        )

    def _run(self, do_import, refused):
        """Run an import in one transaction; a refused file writes nothing."""
        try:
            with transaction.atomic():
                summary = do_import()
        except refused as error:
            raise CommandError(
                _("导入失败，未写入任何内容。%(error)s") % {"error": error}
            ) from error
        self._report(summary)

    def _progress(self, done, total, title, created):
        mark = _("导入") if created else _("已存在，跳过")
        self.stdout.write(f"[{done}/{total}] {mark}：{title}")

    def _report(self, summary):
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "完成：新建栏目 %(sections)d 个，稿件 %(articles)d 篇，图片 %(photos)d 张，"
                    "作者 %(authors)d 位；跳过已导入的 %(skipped)d 项。"
                )
                % vars(summary)
            )
        )
