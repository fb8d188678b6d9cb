"""Production settings, security headers and the start-up refusal."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.templatetags.static import static
from django.urls import reverse

from security.middleware import policy_header

from .factories import make_article, make_user

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "news.example.org",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    clean.pop("SECURE_SSL_REDIRECT", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(*names, **env):
    """repr() of the named settings as a production process sees them."""
    code = "from django.conf import settings\n" + "".join(
        f"print(repr(getattr(settings, {name!r}, None)))\n" for name in names
    )
    result = run_manage("shell", "-c", code, env=PRODUCTION_ENV | env)
    assert result.returncode == 0, result.stderr
    values = result.stdout.strip().splitlines()[-len(names) :]
    return dict(zip(names, values, strict=True))


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_missing_hsts_header():
    """The check above can fail: turning HSTS off is reported."""
    env = PRODUCTION_ENV | {"SECURE_HSTS_SECONDS": "0"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_production_redirects_to_https_by_default():
    names = ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER"]
    assert production_settings(*names) == {
        "SECURE_SSL_REDIRECT": "True",
        "SESSION_COOKIE_SECURE": "True",
        "SECURE_PROXY_SSL_HEADER": "None",
    }


def test_a_tls_proxy_deployment_can_switch_the_redirect_off():
    env = {"SECURE_SSL_REDIRECT": "0", "BEHIND_TLS_PROXY": "1"}
    names = ["SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER"]
    assert production_settings(*names, **env) == {
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_PROXY_SSL_HEADER": "('HTTP_X_FORWARDED_PROTO', 'https')",
    }


def test_manage_refuses_debug_off_with_the_development_key():
    result = run_manage("check", env={"DEBUG": "0", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "newsroom.E001" in result.stderr


def test_make_run_refuses_debug_off_with_the_development_key(tmp_path):
    database = tmp_path / "refused.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env |= {"DEBUG": "0", "DATABASE_URL": f"sqlite:///{database}"}
    # If the refusal were broken the server would start and the timeout fail
    # the test.
    result = subprocess.run(
        ["make", "--no-print-directory", "run"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert database.exists() is False


@pytest.mark.django_db
def test_reader_pages_send_the_security_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    article = make_article()
    response = client.get(article.get_absolute_url(), secure=True)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["Content-Security-Policy"] == policy_header(settings.CSP_POLICY)


def test_reader_policy_allows_no_inline_script_or_style(settings):
    policy = settings.CSP_POLICY
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_reader_pages_contain_no_inline_script_or_style(client, seeded):
    article = make_article(body='<p style="color:red" onclick="x()">文</p>')
    for url in ["/", article.get_absolute_url(), reverse("counties:list")]:
        html = client.get(url).content.decode()
        # JSON-LD is a data block browsers never run (and CSP does not
        # govern); it is built with json.dumps and <, >, & escaped.
        html = re.sub(
            r'<script type="application/ld\+json">[^<]*</script>', "", html
        )
        # The one script is the site's own file (the 大字 switch), no code
        # in the page: CSP's script-src 'self' allows exactly that.
        html = html.replace(f'<script src="{static("js/reader.js")}"></script>', "")
        assert "<script" not in html
        assert "<style" not in html
        assert " style=" not in html
        assert " onclick=" not in html


@pytest.mark.django_db
def test_admin_editor_keeps_scripts_to_our_own_files(client, settings):
    """TinyMCE renders a textarea with data attributes, no inline script."""
    client.force_login(make_user(superuser=True))
    response = client.get(reverse("admin:articles_article_add"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-mce-conf" in html
    assert "tinymce/tinymce.min.js" in html
    for chunk in html.split("<script")[1:]:
        tag, _, rest = chunk.partition(">")
        assert "src=" in tag, tag
        assert rest.lstrip().startswith("</script>"), rest[:80]
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "'unsafe-eval'" not in policy


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.get(reverse("admin:login"))
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] is True
    assert csrf["secure"] is True
    make_user("desk", is_staff=True)
    response = client.post(
        reverse("admin:login"),
        {"username": "desk", "password": "pw-Strong-123", "next": "/admin/"},
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["secure"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_health_probes_answer_plain_http_in_production(client, settings, url):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get(url).status_code == 200


def test_csp_reports_are_logged_and_bad_ones_refused(client, caplog, settings):
    report = {
        "csp-report": {
            "document-uri": "https://news.example.org/articles/x/",
            "violated-directive": "script-src",
            "blocked-uri": "https://cdn.example.com/tracker.js",
        }
    }
    url = reverse("csp-report")
    assert policy_header(settings.CSP_POLICY).endswith("report-uri /csp-report/")
    with caplog.at_level("WARNING", logger="newsroom.csp"):
        response = client.post(
            url, json.dumps(report), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert "script-src blocked https://cdn.example.com/tracker.js" in caplog.text
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    huge = json.dumps({"csp-report": {"blocked-uri": "x" * 20000}})
    assert client.post(url, huge, content_type="application/csp-report").status_code == 413
    assert client.get(url).status_code == 405
    assert client.post(url, "[1, null]", content_type="application/json").status_code == 204
