"""/healthz answers without database or cache; /readyz reports both."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'up.sqlite3'}",
    )
    environ.update(env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answers = {}
    for line in result.stdout.splitlines():
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
