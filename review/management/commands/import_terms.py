from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from review.services import import_terms


class Command(BaseCommand):
    help = _("从 CSV 文件导入审校词语（表头：词语,级别,建议,说明）；重复导入只更新。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("UTF-8 编码的 CSV 文件"))

    def handle(self, *args, file, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(_("找不到文件：%(file)s") % {"file": file}) from None
        except UnicodeDecodeError:
            raise CommandError(_("文件不是 UTF-8 编码，请另存为 UTF-8 的 CSV。")) from None
        try:
            result = import_terms(text=text)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("新增 %(created)d 条，更新 %(updated)d 条，未变 %(unchanged)d 条。")
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        )
