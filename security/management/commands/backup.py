"""Back up the PostgreSQL database and the media files into one folder."""

import json
import os
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar.gz"
MANIFEST_NAME = "manifest.json"


def pg_environment(database):
    """libpq variables for a Django database settings dict."""
    env = dict(os.environ)
    for key, name in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if database.get(name):
            env[key] = str(database[name])
    return env


def require_postgresql():
    if connection.vendor != "postgresql":
        raise CommandError(
            _("备份和恢复只支持 PostgreSQL 数据库（请设置 DATABASE_URL）。")
        )


def row_counts():
    """Rows per model, to check a restore against."""
    return {
        model._meta.label: model._default_manager.using("default").count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


class Command(BaseCommand):
    help = _("把 PostgreSQL 数据库（pg_dump）和上传的文件备份到一个文件夹。")

    def add_arguments(self, parser):
        parser.add_argument(
            "folder",
            nargs="?",
            help=_("备份文件夹；默认 backups/年月日-时分秒/"),
        )

    def handle(self, *args, folder=None, **options):
        require_postgresql()
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = Path(folder or settings.BASE_DIR / "backups" / stamp)
        target.mkdir(parents=True, exist_ok=True)
        if any(target.iterdir()):
            raise CommandError(_("备份文件夹 %(path)s 不是空的。") % {"path": target})
        database = connection.settings_dict
        # The row counts and the dump come from one snapshot, so edits made
        # meanwhile cannot make the restore check disagree with the dump.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            rows = row_counts()
            result = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(target / DUMP_NAME),
                ],
                env=pg_environment(database),
                capture_output=True,
                text=True,
            )
        if result.returncode != 0:
            raise CommandError(_("pg_dump 失败：%(error)s") % {"error": result.stderr})
        media_root = Path(settings.MEDIA_ROOT)
        files = 0
        with tarfile.open(target / MEDIA_NAME, "w:gz") as archive:
            if media_root.exists():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        archive.add(
                            path, arcname=path.relative_to(media_root).as_posix()
                        )
                        files += 1
        manifest = {
            "created": timezone.now().isoformat(),
            "database": database["NAME"],
            "media_files": files,
            "rows": rows,
        }
        (target / MANIFEST_NAME).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        self.stdout.write(
            _("已备份到 %(path)s：数据库，%(files)d 个文件。")
            % {"path": target, "files": files}
        )
