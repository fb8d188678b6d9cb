"""Outages, for real: throwaway PostgreSQL and Redis servers are stopped.

The app runs in its own process with production settings against servers
of its own (never the shared ones), which these tests stop and restart.
"""

import json
import re
import time

import pytest

from bench.throwaway import (
    AppServer,
    ThrowawayPostgres,
    ThrowawayRedis,
    app_env,
    can_run_throwaway_postgres,
    manage,
)

from .conftest import SEED

pytestmark = [
    pytest.mark.outage,
    pytest.mark.skipif(
        not can_run_throwaway_postgres(), reason="needs PostgreSQL 15 binaries"
    ),
]
PG_PORT, REDIS_PORT, APP_PORT = 8510, 8511, 8512
FRIENDLY = "网站暂时无法访问"


@pytest.fixture(scope="module")
def site():
    postgres = ThrowawayPostgres(PG_PORT).create()
    redis = ThrowawayRedis(REDIS_PORT).start()
    app = None
    try:
        env = app_env(DATABASE_URL=postgres.url, REDIS_URL=redis.url)
        manage("migrate", "--noinput", env=env)
        manage(
            "import_bulletin", str(SEED), "--publish", "--date", "2024-02-20", env=env
        )
        app = AppServer(APP_PORT, env).start()
        yield app, postgres, redis
    finally:
        try:
            if app:
                app.stop()
        finally:
            try:
                redis.stop()
            finally:
                postgres.destroy()


@pytest.fixture
def up(site):
    """Both servers running at the start of each test."""
    app, postgres, redis = site
    if redis.process.poll() is not None:
        redis.start()
    try:
        postgres.start()
    except Exception:  # already running
        pass
    assert wait_until_ready(app)
    return site


def wait_until_ready(app, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.get("/readyz")[0] == 200:
            return True
        time.sleep(0.5)
    return False


def reader_urls(app):
    status, home = app.get("/")
    assert status == 200
    urls = ["/", "/counties/", "/search/?q=%E5%B7%A5%E4%BC%9A"]
    for prefix in ("/sections/", "/articles/", "/authors/", "/counties/"):
        found = re.findall(rf'href="({prefix}[^"/]+/)"', home)
        assert found or prefix == "/authors/", prefix
        urls += found[:1]
    return urls


def test_everything_answers_while_both_servers_run(up):
    app, _, _ = up
    for url in reader_urls(app):
        assert app.get(url)[0] == 200, url
    assert json.loads(app.get("/readyz")[1]) == {"database": "ok", "cache": "ok"}


def test_with_redis_stopped_the_site_still_serves(up):
    app, _, redis = up
    urls = reader_urls(app)
    redis.stop()
    for url in urls + ["/admin/login/"]:
        assert app.get(url)[0] == 200, url
    status, body = app.get("/readyz")
    assert status == 503
    assert json.loads(body) == {"database": "ok", "cache": "unavailable"}
    redis.start()
    assert wait_until_ready(app)


def test_with_postgres_stopped_pages_answer_a_friendly_503(up):
    app, postgres, _ = up
    urls = reader_urls(app)
    for url in urls:  # fill any page cache first
        app.get(url)
    postgres.stop()
    uncached = "/articles/not-in-any-cache/"
    answers = {url: app.get(url) for url in urls + [uncached]}
    for url, (status, body) in answers.items():
        assert status in {200, 503}, url
        assert "Traceback" not in body and "OperationalError" not in body
        if status == 503:
            assert FRIENDLY in body, url
    assert answers[uncached][0] == 503
    # Pages in the page cache (serving/middleware.py) still answer.
    assert answers["/"][0] == 200
    assert answers[urls[3]][0] == 200  # a section page
    status, body = app.get("/readyz")
    assert status == 503
    assert json.loads(body)["database"] == "unavailable"
    assert app.get("/healthz")[0] == 200


def test_after_postgres_restarts_the_app_recovers_by_itself(up):
    app, postgres, _ = up
    urls = reader_urls(app)
    pids = app.processes()
    postgres.stop()
    probe = "/articles/recovery-probe/"  # never cached: needs the database
    assert app.get(probe)[0] == 503
    postgres.start()
    assert wait_until_ready(app, timeout=20)
    assert app.get(probe)[0] == 404
    for url in urls:
        assert app.get(url)[0] == 200, url
    # The same master and worker: nothing was restarted.
    assert app.processes() == pids
