"""/healthz answers without database or cache; /readyz reports both."""

import json

import pytest

from tests.fresh_process import output_of

# Nothing listens here: a database or cache that is down.
DEAD_POSTGRES = "postgres://postgres@127.0.0.1:8698/newsroom_down"
DEAD_REDIS = "redis://127.0.0.1:8697/0"

PROBE = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
for url in ("/healthz", "/readyz"):
    response = client.get(url)
    print(url, response.status_code, response.content.decode().strip())
"""


def probe(tmp_path, **env):
    """GET /healthz and /readyz in a fresh process with the given environment."""
    output = output_of(
        PROBE,
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'up.sqlite3'}", **env},
        drop={"DATABASE_URL", "REDIS_URL"},
    )
    answers = {}
    for line in output.splitlines():
        url, status, body = line.split(" ", 2)
        answers[url] = (int(status), body)
    return answers


def test_healthz_answers_ok(client):
    # No db fixture: any database access here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_200_when_database_and_cache_answer(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_readyz_is_503_when_database_is_down(tmp_path):
    answers = probe(tmp_path, DATABASE_URL=DEAD_POSTGRES)
    status, body = answers["/readyz"]
    assert status == 503
    assert json.loads(body) == {"database": "unavailable", "cache": "ok"}


def test_readyz_is_503_when_cache_is_down(tmp_path):
    answers = probe(tmp_path, REDIS_URL=DEAD_REDIS)
    status, body = answers["/readyz"]
    assert status == 503
    assert json.loads(body) == {"database": "ok", "cache": "unavailable"}


@pytest.mark.parametrize(
    "env",
    [
        {"DATABASE_URL": DEAD_POSTGRES},
        {"REDIS_URL": DEAD_REDIS},
        {"DATABASE_URL": DEAD_POSTGRES, "REDIS_URL": DEAD_REDIS},
    ],
    ids=["database down", "cache down", "both down"],
)
def test_healthz_needs_neither_database_nor_cache(tmp_path, env):
    assert probe(tmp_path, **env)["/healthz"] == (200, "ok")
