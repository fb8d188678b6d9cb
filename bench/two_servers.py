"""`make two-servers`: publish through one app server, read through another.

Starts two `make serve` instances on different ports sharing one PostgreSQL
database and one Redis, warms the home page cache on both, publishes a new
article through the first (a real admin POST as an editor), then polls the
second until the article shows (at most a minute). Exits non-zero if not.
"""

import http.cookiejar
import re
import sys
import time
import urllib.parse
import urllib.request

from run import CACHED_PORT, ROOT, manage, start_server, stop

FIRST, SECOND = CACHED_PORT + 20, CACHED_PORT + 21
USER, PASSWORD = "two-servers-editor", "Two-Servers-pw-2024"


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def csrf(jar):
    return next(c.value for c in jar if c.name == "csrftoken")


def publish_through_admin(base, title):
    browser, jar = opener()
    browser.open(f"{base}/admin/login/").read()
    browser.open(
        f"{base}/admin/login/?next=/admin/",
        urllib.parse.urlencode(
            {
                "username": USER,
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf(jar),
                "next": "/admin/",
            }
        ).encode(),
    ).read()
    form = browser.open(f"{base}/admin/articles/article/add/").read().decode()
    section = re.search(
        r'<select name="section"[^>]*>.*?<option value="(\d+)"', form, re.S
    )
    data = {
        "csrfmiddlewaretoken": csrf(jar),
        "title": title,
        "section": section.group(1),
        "dateline": "本刊讯",
        "summary": "",
        "body": "<p>两台应用服务器共享同一缓存。</p>",
        "tags": "",
        "slug": "",
    }
    for prefix in re.findall(r'name="([\w-]+)-TOTAL_FORMS"', form):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    browser.open(
        f"{base}/admin/articles/article/add/", urllib.parse.urlencode(data).encode()
    ).read()
    pk = (
        manage(
            "shell",
            "-c",
            f"from articles.models import Article as A; print(A.objects.get(title='{title}').pk)",
        )
        .strip()
        .splitlines()[-1]
    )
    # The editors' publish action on the article list (the workflow verb).
    response = browser.open(
        f"{base}/admin/articles/article/",
        urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf(jar),
                "action": "publish_selected",
                "_selected_action": pk,
                "index": "0",
            }
        ).encode(),
    )
    response.read()
    return response.geturl()


def main():
    manage("migrate", "--noinput")
    manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model as g\n"
        f"u, _ = g().objects.get_or_create(username='{USER}')\n"
        f"u.is_staff = u.is_superuser = True\nu.set_password('{PASSWORD}')\nu.save()",
    )
    log_dir = ROOT / "test-artifacts" / "two-servers"
    log_dir.mkdir(parents=True, exist_ok=True)
    first = second = None
    title = f"两台服务器测试稿件{int(time.time())}"
    try:
        first = start_server(FIRST, 60, log_dir)
        second = start_server(SECOND, 60, log_dir)
        for port in (FIRST, SECOND):
            for _ in range(2):  # the second answer comes from the cache
                urllib.request.urlopen(f"http://127.0.0.1:{port}/").read()
        after = publish_through_admin(f"http://127.0.0.1:{FIRST}", title)
        print(f"published through :{FIRST} (admin answered {after})")
        started = time.monotonic()
        while time.monotonic() - started < 60:
            html = urllib.request.urlopen(f"http://127.0.0.1:{SECOND}/").read().decode()
            if title in html:
                print(
                    f"read through :{SECOND} after {time.monotonic() - started:.2f} s"
                )
                return 0
            time.sleep(0.5)
        print(f"NOT visible through :{SECOND} within a minute", file=sys.stderr)
        return 1
    finally:
        stop(second)
        stop(first)


if __name__ == "__main__":
    sys.exit(main())
