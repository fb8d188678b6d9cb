"""make backup / make restore: a restore into an empty database is complete."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from reversion.models import Version

from articles.models import Article, Photo

from .factories import make_article, make_author, make_photo, make_staff

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="backups are pg_dump; needs DATABASE_URL=postgres://…",
    ),
    # pg_dump reads committed rows only; serialized_rollback brings back the
    # data migrations' rows (groups, county unions) that a flush removed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def restore_database(django_db_setup):
    """An empty database beside the test database, dropped afterwards."""
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore"
    admin = psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def newsroom_content():
    editor = make_staff("editor")
    writer = make_staff("correspondent")
    first, second = make_author("秦西江"), make_author("张楠")
    photo = make_photo(caption="劳模合影", credits=[second, first])
    article = make_article(
        title="盐城劳模座谈",
        status=Article.Status.DRAFT,
        days_ago=None,
        authors=[second, first],
        photos=[photo],
        cover_photo=photo,
        tags=["劳模", "座谈"],
    )
    article.submit(by=writer)
    article.publish(by=editor)
    return article


def run_restore(folder, database_name, media_root):
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
        f"/{database_name}"
    )
    env = dict(os.environ, DATABASE_URL=url, MEDIA_ROOT=str(media_root))
    env["SECRET_KEY"] = "restore-test-" + "k" * 50  # DEBUG is off in make test
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def open_restored(name):
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        dbname=name,
    )


def table_rows(cursor, table):
    cursor.execute(f'SELECT * FROM "{table}"')
    return sorted(cursor.fetchall(), key=repr)


def test_a_restore_reproduces_every_row_and_file(
    restore_database, media_root, tmp_path
):
    article = newsroom_content()
    assert Version.objects.get_for_object(article).count() >= 2
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    restored_media = tmp_path / "restored-media"

    result = run_restore(folder, restore_database, restored_media)

    assert result.returncode == 0, result.stderr
    with connection.cursor() as live, open_restored(restore_database) as restored:
        copy = restored.cursor()
        tables = connection.introspection.table_names(live)
        assert "reversion_version" in tables
        for table in tables:
            assert table_rows(copy, table) == table_rows(live, table), table
        copy.execute(
            "SELECT author.name FROM articles_articleauthor byline"
            " JOIN articles_author author ON author.id = byline.author_id"
            " WHERE byline.article_id = %s ORDER BY byline.position",
            [article.pk],
        )
        assert [name for (name,) in copy.fetchall()] == ["张楠", "秦西江"]
        copy.execute(
            "SELECT count(*) FROM reversion_version WHERE object_id = %s",
            [str(article.pk)],
        )
        assert copy.fetchone()[0] >= 2
    for photo in Photo.objects.all():
        original = Path(media_root) / photo.image.name
        assert (restored_media / photo.image.name).read_bytes() == (
            original.read_bytes()
        )


def test_restore_refuses_a_database_that_is_not_empty(
    restore_database, media_root, tmp_path
):
    newsroom_content()
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    assert run_restore(folder, restore_database, tmp_path / "m1").returncode == 0
    again = run_restore(folder, restore_database, tmp_path / "m2")
    assert again.returncode != 0
    assert "不是空的" in again.stderr
