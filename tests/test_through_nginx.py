"""The shipped deploy/nginx.conf, run by the real nginx in front of the app.

nginx is Debian's package (`make nginx-deps`; `make test` installs it when
run as root). Without it these tests are skipped with the reason on a
developer's machine, and fail under CI=true or as root.

Clients connect from different loopback addresses (127.0.0.2, 127.0.0.3…),
which nginx passes on in X-Forwarded-For like the addresses of real readers.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from articles.models import Article
from articles.sitemaps import ArticleSitemap

from .factories import make_article, make_user

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STRANGER, EDITOR = "127.0.0.2", "127.0.0.3"

pytestmark = pytest.mark.django_db(transaction=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_config(workdir, app_port, port):
    """deploy/nginx.conf as shipped, pointed at temporary folders and ports."""
    server = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in [
        ("/var/cache/nginx/newsroom", str(workdir / "cache")),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80;", f"listen {port};"),
        ("/srv/newsroom/", f"{ROOT}/"),
    ]:
        assert old in server, f"deploy/nginx.conf no longer has {old!r}"
        server = server.replace(old, new)
    temp = "\n".join(
        f"    {kind}_temp_path {workdir}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""{user}
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {workdir}/access.log;
{temp}
{server}
}}
"""


@pytest.fixture(scope="session")
def nginx_binary():
    if Path(NGINX).exists():
        return NGINX
    reason = "nginx not found: run `make nginx-deps` (apt-get install nginx)"
    if os.environ.get("CI") or os.geteuid() == 0:
        pytest.fail(f"{reason}; it is required under CI=true or as root")
    pytest.skip(reason)


@pytest.fixture
def nginx(nginx_binary, live_server, tmp_path, settings):
    """nginx in front of the live server; yields its port."""
    settings.BEHIND_TLS_PROXY = True
    settings.PAGE_CACHE_SHARED_SECONDS = 2
    app_port = int(live_server.url.rsplit(":", 1)[1])
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config(tmp_path, app_port, port))
    process = subprocess.Popen(
        [nginx_binary, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        start_new_session=True,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while fetch(port, "/healthz")[0] != 200:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.1)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def fetch(port, path, method="GET", source="127.0.0.1", headers=None, body=None):
    """(status, headers, body) of one request through nginx from source."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except OSError:
        return None, {}, b""
    finally:
        connection.close()


def test_a_withdrawn_article_stops_being_served_within_seconds(nginx, settings):
    article = make_article(title="即将撤回的稿件")
    url = article.get_absolute_url()
    assert fetch(nginx, url)[1]["X-Cache-Status"] == "MISS"
    assert fetch(nginx, url)[1]["X-Cache-Status"] == "HIT"
    article.withdraw(by=make_user(superuser=True))
    withdrawn_at = time.monotonic()
    answers = []
    limit = settings.PAGE_CACHE_SHARED_SECONDS + 3
    while time.monotonic() - withdrawn_at < limit + 3:
        status, headers, _body = fetch(nginx, url)
        answers.append(
            (
                round(time.monotonic() - withdrawn_at, 1),
                status,
                headers["X-Cache-Status"],
            )
        )
        time.sleep(0.2)
    gone = [at for at, status, _cache in answers if status == 410]
    assert gone, answers
    assert gone[0] <= limit, answers
    assert [a for a in answers if a[0] >= gone[0] and a[1] != 410] == [], answers
    # nginx now answers the 410 itself, from its cache.
    assert any(cache == "HIT" for _at, status, cache in answers if status == 410)


def test_paged_sitemaps_and_head_requests_are_cached_by_nginx(nginx, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for _ in range(5):
        make_article()
    _status, _headers, index = fetch(nginx, "/sitemap.xml")
    pages = re.findall(
        r"<loc>http://[^/<]+(/sitemap-articles\.xml\?p=\d+)</loc>", index.decode()
    )
    assert "/sitemap-articles.xml?p=2" in pages
    for page in pages:
        assert fetch(nginx, page)[0] == 200
        assert fetch(nginx, page)[1]["X-Cache-Status"] == "HIT", page
    url = Article.objects.first().get_absolute_url()
    assert fetch(nginx, url, "HEAD")[0] == 200
    assert fetch(nginx, url, "HEAD")[1]["X-Cache-Status"] == "HIT"


def log_in(port, source, username, password, forwarded=None):
    """The admin log-in form, as a browser at source posts it; the status."""
    _status, headers, page = fetch(port, "/admin/login/", source=source)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    form = (
        f"csrfmiddlewaretoken={token.decode()}&username={username}"
        f"&password={password}&next=/admin/"
    )
    extra = {"X-Forwarded-For": forwarded} if forwarded else {}
    status, headers, _body = fetch(
        port,
        "/admin/login/?next=/admin/",
        "POST",
        source=source,
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            **extra,
        },
    )
    return status, headers.get("Location")


def test_a_stranger_cannot_lock_an_editor_out_through_nginx(nginx, settings):
    from axes.models import AccessAttempt

    make_user("desk", is_staff=True)
    # The stranger knows the user name and even writes the editor's
    # address into X-Forwarded-For: nginx appends the real one.
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        status, _location = log_in(nginx, STRANGER, "desk", "wrong-password", EDITOR)
    assert status == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {STRANGER}
    # The stranger's address is locked, even with the right password...
    assert log_in(nginx, STRANGER, "desk", "pw-Strong-123")[0] == 429
    # ...and the editor, from her own address, logs in.
    assert log_in(nginx, EDITOR, "desk", "pw-Strong-123") == (302, "/admin/")


def test_a_preview_link_is_never_cached_by_nginx(nginx, tmp_path):
    from previews.models import PreviewLink

    article = make_article(
        status=Article.Status.DRAFT, days_ago=None, title="待审签的稿件"
    )
    link = PreviewLink.create_for(article, by=make_user(superuser=True), days=7)
    url = link.get_absolute_url()
    status, headers, body = fetch(nginx, url)
    assert status == 200 and "待审签的稿件" in body.decode()
    assert headers["X-Robots-Tag"] == "noindex"
    assert "no-store" in headers["Cache-Control"]
    # An edit that bumps no page-cache generation: two requests show it.
    Article.objects.filter(pk=article.pk).update(title="改过的待审签稿件")
    for _ in range(2):
        status, headers, body = fetch(nginx, url)
        assert (status, headers["X-Cache-Status"]) == (200, "BYPASS")
        assert "改过的待审签稿件" in body.decode()
    link.revoke(by=None)
    for _ in range(2):
        status, headers, _body = fetch(nginx, url)
        assert (status, headers["X-Cache-Status"]) == (404, "BYPASS")
    stored = [path for path in (tmp_path / "cache").rglob("*") if path.is_file()]
    assert stored == []
