"""make soak: mixed reader traffic while an editor works in the admin.

Starts its own PostgreSQL and Redis (security.throwaway), fills them with the
seed bulletin and synthetic articles, serves the app with `make serve`
(gunicorn), then for SOAK_SECONDS (default 300) runs SOAK_CONNECTIONS
(default 32) keep-alive reader connections plus one editor who creates,
publishes, edits and withdraws articles through the admin. Prints requests,
errors, latency percentiles and the app servers' memory at start and end.
"""

import http.client
import http.cookiejar
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from bench.throwaway import (
    ROOT,
    ThrowawayPostgres,
    ThrowawayRedis,
    app_env,
    manage,
    wait_for_port,
)

PG_PORT, REDIS_PORT, APP_PORT = 8520, 8521, 8522
SEED = ROOT / "seed" / "yancheng-union-bulletin-2024-02.md"
EDITOR, PASSWORD = "soak-editor", "Yancheng-desk-2024!"
READER_MIX = [  # (kind, weight)
    ("home", 20),
    ("article", 40),
    ("section", 12),
    ("county", 10),
    ("author", 6),
    ("tag", 6),
    ("search", 6),
]
SEARCH_WORDS = ["工会", "职工", "劳模", "集体协商", "盐城", "春节", "服务", "培训"]
URLS_CODE = """
from articles.models import Article, Author, Section
from counties.models import CountyUnion
from taggit.models import Tag
published = Article.objects.published()
for a in published.order_by("?")[:400]: print("article", a.get_absolute_url())
for s in Section.objects.all(): print("section", s.get_absolute_url())
for c in CountyUnion.objects.all(): print("county", c.get_absolute_url())
for a in Author.objects.filter(bylines__isnull=False).distinct()[:100]:
    print("author", a.get_absolute_url())
for t in Tag.objects.all()[:100]: print("tag", "/tags/%s/" % t.slug)
"""


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def descendants(pid):
    """pid and every process below it."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def app_memory_kb(pid):
    """Resident memory of the gunicorn master and workers under pid."""
    total, count = 0, 0
    for process in descendants(pid):
        try:
            cmdline = Path(f"/proc/{process}/cmdline").read_bytes()
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        if b"gunicorn" not in cmdline:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            total += int(match.group(1))
            count += 1
    return total, count


class Reader(threading.Thread):
    def __init__(self, urls, stop_at, seed):
        super().__init__(daemon=True)
        self.urls, self.stop_at = urls, stop_at
        self.random = random.Random(seed)
        self.latencies, self.statuses, self.failures = [], {}, []

    def pick(self):
        kinds = [kind for kind, _w in READER_MIX]
        weights = [weight for _k, weight in READER_MIX]
        kind = self.random.choices(kinds, weights)[0]
        if kind == "home":
            return "/"
        if kind == "search":
            word = urllib.parse.quote(self.random.choice(SEARCH_WORDS))
            return f"/search/?q={word}"
        return self.random.choice(self.urls[kind])

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=30)
        while time.monotonic() < self.stop_at:
            path = self.pick()
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                self.failures.append(f"{path}: {error!r}")
                connection.close()
                connection = http.client.HTTPConnection(
                    "127.0.0.1", APP_PORT, timeout=30
                )
                continue
            self.latencies.append(time.perf_counter() - started)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status >= 500:
                self.failures.append(f"{path}: {status}")
        connection.close()


class FormFields(HTMLParser):
    """The fields of the admin's change form, as a browser would submit them."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.options = {}
        self._textarea = self._select = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append([name, attrs.get("value") or ""])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select, self._first_option = [name, None], None
            self.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self.options.setdefault(self._select[0], []).append(value)
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._select[1] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if self._select[1] is None:
                self._select[1] = self._first_option or ""
            self._select = None
        elif tag == "form":
            self.inside = False


class Editor(threading.Thread):
    """Logs in to the admin and writes, publishes, edits and withdraws."""

    PAUSE = 1.0

    def __init__(self, stop_at):
        super().__init__(daemon=True)
        self.stop_at = stop_at
        self.base = f"http://127.0.0.1:{APP_PORT}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.actions, self.failures, self.published = {}, [], []

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def form(self, path, form_id="article_form"):
        _url, html = self.get(path)
        parser = FormFields(form_id)
        parser.feed(html)
        return parser, html

    def csrf(self, html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    def login(self):
        _url, html = self.get("/admin/login/")
        url, _html = self.post(
            "/admin/login/?next=/admin/",
            {
                "csrfmiddlewaretoken": self.csrf(html),
                "username": EDITOR,
                "password": PASSWORD,
                "next": "/admin/",
            },
        )
        if not url.endswith("/admin/"):
            raise RuntimeError("editor could not log in")

    def done(self, action, ok, detail=""):
        self.actions[action] = self.actions.get(action, 0) + 1
        if not ok:
            self.failures.append(f"{action}: {detail}")

    def write(self, n):
        form, _html = self.form("/admin/articles/article/add/")
        values = dict(form.fields)
        sections = [value for value in form.options.get("section", []) if value]
        values["section"] = sections[n % len(sections)]
        values.update(
            title=f"耐久测试稿件{n}",
            body=f"<p>第{n}篇稿件正文。职工服务与集体协商。</p>",
            tags="耐久测试",
            _continue="1",
        )
        url, html = self.post("/admin/articles/article/add/", list(values.items()))
        match = re.search(r"/admin/articles/article/(\d+)/change/", url)
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
        self.done("create", match is not None, f"{url} {errors[:3]}")
        return match and match[1]

    def transition(self, pk, action):
        _url, html = self.get(f"/admin/articles/article/{pk}/change/")
        fields = {"csrfmiddlewaretoken": self.csrf(html), "action": action}
        url, html = self.post(f"/admin/articles/article/{pk}/transition/", fields)
        self.done(action, 'class="error"' not in html, url)

    def edit(self, pk, n):
        path = f"/admin/articles/article/{pk}/change/"
        form, _html = self.form(path)
        values = dict(form.fields)
        values["body"] = values.get("body", "") + f"<p>第{n}次修改。</p>"
        url, html = self.post(path, list(values.items()))
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
        note = re.findall(r'<p class="errornote">(.*?)</p>', html, re.S)
        self.done("edit", "errornote" not in html, f"{url} {note[:1]} {errors[:3]}")

    def run(self):
        try:
            self.login()
        except Exception as error:  # reported, not raised: the readers go on
            self.failures.append(f"login: {error!r}")
            return
        n = 0
        while time.monotonic() < self.stop_at:
            n += 1
            try:
                pk = self.write(n)
                if pk:
                    time.sleep(self.PAUSE)
                    self.transition(pk, "publish")
                    self.published.append(pk)
                    time.sleep(self.PAUSE)
                    self.edit(pk, n)
                if n % 5 == 0 and len(self.published) > 2:
                    self.transition(self.published.pop(0), "withdraw")
            except (OSError, urllib.error.URLError, http.client.HTTPException) as error:
                self.done("error", False, repr(error))
            time.sleep(self.PAUSE)


def reader_urls(env):
    output = manage("shell", "-c", URLS_CODE, env=env).stdout
    urls = {kind: [] for kind, _w in READER_MIX}
    for line in output.splitlines():
        kind, _, url = line.partition(" ")
        if kind in urls:
            urls[kind].append(urllib.parse.quote(url, safe="/:?=&%"))
    return urls


def main():
    seconds = int(os.environ.get("SOAK_SECONDS", "300"))
    connections = int(os.environ.get("SOAK_CONNECTIONS", "32"))
    articles = os.environ.get("SOAK_ARTICLES", "3000")
    postgres = ThrowawayPostgres(PG_PORT)
    redis = ThrowawayRedis(REDIS_PORT)
    server = None
    try:
        postgres.create()
        redis.start()
        env = app_env(
            DATABASE_URL=postgres.url,
            REDIS_URL=redis.url,
            BIND=f"127.0.0.1:{APP_PORT}",
            ACCESS_LOG="/dev/null",
            LOG_LEVEL="WARNING",
            # No worker recycling during the soak, so a leak would show.
            GUNICORN_CMD_ARGS="--max-requests 0",
        )
        print("preparing: migrate, seed bulletin, synthetic articles, editor")
        manage("migrate", "--noinput", env=env)
        manage(
            "import_bulletin", str(SEED), "--publish", "--date", "2024-02-20", env=env
        )
        manage("seed_synthetic", "--articles", articles, env=env)
        manage("add_staff", EDITOR, "--role", "editor", "--password", PASSWORD, env=env)
        urls = reader_urls(env)
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for_port(APP_PORT, timeout=120)
        # Warm up every worker (imports, jieba's dictionary for search) and
        # the page cache before the first memory reading.
        warm_until = time.monotonic() + int(os.environ.get("SOAK_WARMUP", "30"))
        warmers = [Reader(urls, warm_until, seed=-n) for n in range(1, 9)]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join()
        memory_start, workers = app_memory_kb(server.pid)
        print(
            f"soak: {seconds} s, {connections} reader connections + 1 editor, "
            f"{workers} gunicorn processes"
        )
        started = time.monotonic()
        stop_at = started + seconds
        readers = [Reader(urls, stop_at, seed=n) for n in range(1, connections + 1)]
        editor = Editor(stop_at)
        for thread in [*readers, editor]:
            thread.start()
        memory_peak = memory_start
        while any(thread.is_alive() for thread in readers):
            time.sleep(5)
            memory_peak = max(memory_peak, app_memory_kb(server.pid)[0])
        editor.join(timeout=60)
        elapsed = time.monotonic() - started
        memory_end, _workers = app_memory_kb(server.pid)
        report(readers, editor, elapsed, memory_start, memory_end, memory_peak)
        failed = sum(len(r.failures) for r in readers) + len(editor.failures)
        return 1 if failed else 0
    finally:
        if server and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        redis.stop()
        postgres.destroy()


def report(readers, editor, elapsed, memory_start, memory_end, memory_peak):
    latencies = [value for reader in readers for value in reader.latencies]
    statuses = {}
    for reader in readers:
        for status, count in reader.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    failures = [failure for reader in readers for failure in reader.failures]
    growth = 100 * (memory_end - memory_start) / memory_start
    lines = [
        f"reader requests: {len(latencies)} in {elapsed:.0f} s "
        f"({len(latencies) / elapsed:.0f}/s); statuses {dict(sorted(statuses.items()))}",
        f"reader errors (5xx or connection): {len(failures)}",
        f"latency ms: p50 {1000 * statistics.median(latencies):.1f}, "
        f"p99 {1000 * percentile(latencies, 0.99):.1f}, "
        f"max {1000 * max(latencies):.1f}",
        f"editor actions: {dict(sorted(editor.actions.items()))}; "
        f"editor errors: {len(editor.failures)}",
        f"app memory (gunicorn RSS): start {memory_start / 1024:.1f} MiB, "
        f"end {memory_end / 1024:.1f} MiB, peak {memory_peak / 1024:.1f} MiB, "
        f"growth {growth:+.1f}%",
    ]
    for failure in (failures + editor.failures)[:10]:
        lines.append(f"  failure: {failure}")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
