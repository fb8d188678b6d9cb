"""Restore a backup folder into an empty PostgreSQL database and MEDIA_ROOT."""

import json
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from .backup import (
    DUMP_NAME,
    MANIFEST_NAME,
    MEDIA_NAME,
    pg_environment,
    require_postgresql,
    row_counts,
)


class Command(BaseCommand):
    help = _("把 make backup 的备份恢复到一个空的 PostgreSQL 数据库和媒体文件夹。")

    def add_arguments(self, parser):
        parser.add_argument("folder", help=_("make backup 生成的备份文件夹"))

    def handle(self, *args, folder, **options):
        require_postgresql()
        source = Path(folder)
        manifest_path = source / MANIFEST_NAME
        if not (source / DUMP_NAME).is_file() or not manifest_path.is_file():
            raise CommandError(_("%(path)s 不是完整的备份文件夹。") % {"path": source})
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        if tables:
            # Restoring over live data would mix two sites; refuse instead.
            raise CommandError(
                _(
                    "目标数据库 %(name)s 不是空的（有 %(count)d 张表），请恢复到新建的空数据库。"
                )
                % {"name": connection.settings_dict["NAME"], "count": len(tables)}
            )
        connection.close()
        result = subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(source / DUMP_NAME),
            ],
            env=pg_environment(connection.settings_dict),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CommandError(
                _("pg_restore 失败：%(error)s") % {"error": result.stderr}
            )
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / MEDIA_NAME, "r:gz") as archive:
            # The "data" filter refuses absolute paths, links out and devices.
            archive.extractall(media_root, filter="data")
        missing = {
            label: count
            for label, count in manifest["rows"].items()
            if row_counts().get(label) != count
        }
        if missing:
            raise CommandError(
                _("恢复后的行数与备份不符：%(tables)s") % {"tables": ", ".join(missing)}
            )
        self.stdout.write(
            _("已恢复 %(path)s：%(tables)d 张表的行数与备份一致，%(files)d 个文件。")
            % {
                "path": source,
                "tables": len(manifest["rows"]),
                "files": manifest["media_files"],
            }
        )
