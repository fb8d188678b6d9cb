"""PostgreSQL keeps the reader queries' plans: server-side parameters and
prepared statements, switched by PREPARE_THRESHOLD."""

import json
import os

import pytest
from django.conf import settings
from django.db import connection

from articles import reader
from tests.factories import make_article
from tests.fresh_process import output_of

SHOW_OPTIONS = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps(settings.DATABASES["default"].get("OPTIONS", {})))
"""


def database_options(**env):
    """settings.DATABASES["default"]["OPTIONS"] in a fresh process."""
    output = output_of(SHOW_OPTIONS, env, drop={"PREPARE_THRESHOLD"})
    return json.loads(output.splitlines()[-1])


POSTGRES = "postgres://postgres@127.0.0.1:5432/newsroom_unused"


def test_postgresql_binds_on_the_server_and_prepares_by_default():
    options = database_options(DATABASE_URL=POSTGRES)
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5


def test_an_empty_prepare_threshold_turns_preparing_off():
    options = database_options(DATABASE_URL=POSTGRES, PREPARE_THRESHOLD="")
    assert options["prepare_threshold"] is None
    assert (
        database_options(DATABASE_URL=POSTGRES, PREPARE_THRESHOLD="0")[
            "prepare_threshold"
        ]
        == 0
    )


def test_sqlite_gets_no_postgresql_options(tmp_path):
    options = database_options(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


@pytest.mark.django_db
@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="prepared statements are PostgreSQL's",
)
def test_the_article_page_query_is_prepared_after_a_few_requests():
    article = make_article(title="东台市总工会开展送清凉活动")
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    if os.environ.get("PREPARE_THRESHOLD") == "":
        pytest.skip("PREPARE_THRESHOLD is empty: preparing is off")
    assert threshold
    for _request in range(threshold + 1):
        assert reader.article_page(article.slug).pk == article.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    # The article page's query reads its neighbours as JSON objects.
    assert any(
        "articles_article" in sql and "JSONB_BUILD_OBJECT" in sql for sql in prepared
    ), prepared
