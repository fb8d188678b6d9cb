"""`make bench`: 100,000 articles on PostgreSQL, gunicorn + Redis, wrk, nginx.

Seeds (or reuses) the bench database, starts `make serve` twice (page cache
on and off) and nginx in front of the cached one, drives wrk at each page,
prints the table with ratios to /healthz from the same run and writes it to
BENCH.md. Beside them, a plain Django project (bench/reference/) serves a
hello-world view and a three-query article page from the same database, so
that the table shows what those cost on this machine in the same run.
Everything listens on 127.0.0.1 only and stops when done.
"""

import json
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "100000"))
CACHED_PORT = int(os.environ.get("BENCH_PORT", "8610"))
UNCACHED_PORT = CACHED_PORT + 1
NGINX_PORT = CACHED_PORT + 10
REFERENCE_PORT = CACHED_PORT + 2
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SEED_RECORD = ROOT / ".bench-seed.json"
# gunicorn.conf.py's default, for the reference project and the report.
WORKERS = int(os.environ.get("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1))

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CACHE_KEY_PREFIX": "bench",
    "SECRET_KEY": secrets.token_urlsafe(40),
    "DEBUG": "0",
    # Plain HTTP on the loopback: no TLS in this picture.
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "LOG_LEVEL": "WARNING",
    # wrk asks for 127.0.0.1; bench_pages' test client for localhost.
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}


def manage(*args, **env):
    return subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env={**ENV, **env},
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def server_sql(sql):
    """Run one statement in the server's postgres database; its output."""
    return subprocess.run(
        ["psql", DATABASE_URL.rsplit("/", 1)[0] + "/postgres", "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def ensure_database():
    """Create, migrate and seed the bench database unless it is ready."""
    name = DATABASE_URL.rsplit("/", 1)[1]
    if not server_sql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        server_sql(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput")
    count = int(
        manage(
            "shell",
            "-c",
            "from articles.models import Article; print(Article.objects.count())",
        )
        .strip()
        .splitlines()[-1]
    )
    if count >= ARTICLES:
        record = json.loads(SEED_RECORD.read_text()) if SEED_RECORD.exists() else {}
        return count, record, True
    print(f"seeding {ARTICLES - count} articles …", flush=True)
    started = time.monotonic()
    subprocess.run(
        [PY, "manage.py", "seed_synthetic", "--articles", str(ARTICLES - count)],
        cwd=ROOT,
        env=ENV,
        check=True,
    )
    record = {
        "articles": ARTICLES - count,
        "seconds": round(time.monotonic() - started, 1),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    SEED_RECORD.write_text(json.dumps(record))
    return ARTICLES, record, False


def start_server(port, page_cache_seconds, log_dir):
    log = open(log_dir / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env={
            **ENV,
            "BIND": f"127.0.0.1:{port}",
            "PAGE_CACHE_SECONDS": str(page_cache_seconds),
            "ACCESS_LOG": str(log_dir / f"access-{port}.log"),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{port}/readyz", process)
    return process


def start_reference(port, log_dir):
    """The plain Django reference project, served as `make serve` serves the
    site (gunicorn.conf.py's values; its start-up hook warms the site only)."""
    log = open(log_dir / f"reference-{port}.log", "w")  # noqa: SIM115
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    project = ROOT / "bench" / "reference"
    process = subprocess.Popen(
        [
            # Started in its folder, gunicorn finds no gunicorn.conf.py to read.
            *[str(gunicorn), "--chdir", str(project)],
            *["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)],
            *["--worker-class", "sync", "--keep-alive", "5", "--preload"],
            *["--access-logfile", str(log_dir / f"access-{port}.log")],
            *["--access-logformat", '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'],
            *["--log-level", "warning", "reference.wsgi"],
        ],
        cwd=project,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{port}/hello", process)
    return process


def wait_for(url, process, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"{url} did not come up")


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def nginx_config(workdir, static_dir):
    """The shipped deploy/nginx.conf, pointed at this checkout and ports."""
    server = (ROOT / "deploy" / "nginx.conf").read_text()
    server = (
        server.replace("/var/cache/nginx/newsroom", str(workdir / "cache"))
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{CACHED_PORT};")
        .replace("listen 80;", f"listen 127.0.0.1:{NGINX_PORT};")
        .replace("/srv/newsroom/", f"{ROOT}/")
    )
    # One extra location for the comparison: the same page as a plain file.
    server = server.replace(
        "    location /static/ {",
        f"    location /bench-static/ {{\n        alias {static_dir}/;\n"
        "        access_log off;\n    }\n\n    location /static/ {",
        1,
    )
    return f"""
user root;
worker_processes auto;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
{server}
}}
"""


def start_nginx(workdir, static_dir):
    conf = workdir / "nginx.conf"
    conf.write_text(nginx_config(workdir, static_dir))
    process = subprocess.Popen(
        ["nginx", "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"],
        start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{NGINX_PORT}/healthz", process)
    return process


LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def wrk(url, duration=None):
    """Run wrk once; return requests/s, p50 ms, p99 ms and errors."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{duration or DURATION}",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = {p: float(v) * scale[u] for p, v, u in LATENCY.findall(out)}
    errors = 0
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket:
        errors += sum(int(n) for n in socket.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    return {
        "rps": rps,
        "p50": latency.get("50", float("nan")),
        "p99": latency.get("99", float("nan")),
        "errors": errors,
    }


def pages():
    """URLs of a big section, an article, a county page and a search."""
    script = (
        "from articles.models import Article, Section\n"
        "from counties.models import CountyUnion\n"
        "from django.db.models import Count, Q\n"
        "p = Article.objects.published()\n"
        "s = Section.objects.exclude(kind='photo').annotate(n=Count('articles'))"
        ".order_by('-n').first()\n"
        # An article like most: a body, a county union and tags, so that
        # the page shows neighbours and related articles of both kinds.
        "a = p.exclude(body='').exclude(tags_json='[]')"
        ".exclude(county_union=None).order_by('-publish_at')[500]\n"
        "c = CountyUnion.objects.get(slug='binhai')\n"
        "print(s.get_absolute_url()); print(a.get_absolute_url());"
        " print(c.get_absolute_url())\n"
    )
    section, article, county = manage("shell", "-c", script).strip().splitlines()[-3:]
    return {
        "home": "/",
        "section": section,
        "article": article,
        "county": county,
        "search": "/search/?q=%E9%9B%86%E4%BD%93%E5%8D%8F%E5%95%86",
    }


def machine():
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().split()[1]
    return (
        f"{os.cpu_count()} cores ({cpu}), {int(mem) // 1024 // 1024} GB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def main():
    count, seed, reused = ensure_database()
    urls = pages()
    log_dir = ROOT / "test-artifacts" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    rows, reference_rows = [], []
    cached = uncached = nginx = reference = None
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    try:
        cached = start_server(CACHED_PORT, 60, log_dir)
        uncached = start_server(UNCACHED_PORT, 0, log_dir)
        reference = start_reference(REFERENCE_PORT, log_dir)
        base = f"http://127.0.0.1:{CACHED_PORT}"
        static_dir = workdir / "static"
        static_dir.mkdir()
        for name, path in urls.items():  # warm the page cache
            with urllib.request.urlopen(base + path) as response:
                body = response.read()
            if name == "home":
                (static_dir / "home.html").write_bytes(body)
        nginx = start_nginx(workdir, static_dir)
        # Warm every worker (imports, jieba's dictionary, connections) on
        # both servers before anything is measured.
        for port in (CACHED_PORT, UNCACHED_PORT):
            for path in ["/healthz", *urls.values()]:
                wrk(f"http://127.0.0.1:{port}{path}", duration="2s")
        reference_base = f"http://127.0.0.1:{REFERENCE_PORT}"
        reference_urls = {"hello world": "/hello", "article": urls["article"]}
        for path in reference_urls.values():
            wrk(reference_base + path, duration="2s")
        # And nginx's cache: the first requests for a page nginx has never
        # stored wait for one fetch behind proxy_cache_lock, which nginx
        # polls every 500 ms; wrk then reported a p99 of 360-440 ms although
        # nginx's own log had 15 slow requests in 190,000.
        for path in ["/bench-static/home.html", *urls.values()]:
            wrk(f"http://127.0.0.1:{NGINX_PORT}{path}", duration="2s")
        floor = wrk(f"{base}/healthz")
        rows.append(("/healthz (floor)", "app", floor))
        for name, path in urls.items():
            rows.append((name, "app, cached", wrk(base + path)))
        uncached_base = f"http://127.0.0.1:{UNCACHED_PORT}"
        for name, path in urls.items():
            rows.append((name, "app, uncached", wrk(uncached_base + path)))
        front = f"http://127.0.0.1:{NGINX_PORT}"
        static = wrk(f"{front}/bench-static/home.html")
        rows.append(("home as a static file", "nginx", static))
        for name, path in urls.items():
            rows.append((name, "nginx proxy_cache", wrk(front + path)))
        for name, path in reference_urls.items():
            reference_rows.append((name, wrk(reference_base + path)))
    finally:
        stop(reference)
        stop(nginx)
        stop(uncached)
        stop(cached)
    # One request at a time, in-process: what each page and the admin list
    # cost at this size, including pages wrk does not drive.
    single = manage("bench_pages", PAGE_CACHE_SECONDS="0")
    report = render(rows, floor["rps"], static["rps"], count, seed, reused, single)
    report += render_reference(reference_rows, rows, floor["rps"])
    # 三审 term checks: the matcher alone, in-process (review app).
    report += f"\nTerm checks: `{manage('bench_terms').strip()}`\n"
    report += render_docx_import(
        json.loads(manage("bench_docx", "--json").splitlines()[-1])
    )
    report += render_assessment(manage("bench_assessment"))
    print(report)
    (ROOT / "BENCH.md").write_text(report)


def render(rows, floor, static, count, seed, reused, single):
    lines = [
        "# Benchmark",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on {machine()}.",
        f"{count:,} articles on PostgreSQL, Redis page cache, gunicorn (`make serve`, "
        f"{WORKERS} sync workers), wrk -t2 -c{CONNECTIONS} "
        f"-d{DURATION} --timeout 10s per row, one row after another, after a 2 s "
        "warm-up of every URL on both servers and through nginx.",
        "",
    ]
    if seed:
        how = "reused database; it was seeded" if reused else "seeded"
        lines.append(
            f"Seeding: {how} with {seed['articles']:,} articles in "
            f"{seed['seconds']} s ({seed['date']}), search vectors included."
        )
    else:
        lines.append("Seeding: reused database, no seeding time on record.")
    lines += [
        "",
        "| page | served by | requests/s | p50 ms | p99 ms | errors | ratio |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, served, r in rows:
        base = static if served == "nginx proxy_cache" else floor
        ratio_of = "static" if served == "nginx proxy_cache" else "healthz"
        lines.append(
            f"| {name} | {served} | {r['rps']:.0f} | {r['p50']:.1f} | "
            f"{r['p99']:.1f} | {r['errors']} | {r['rps'] / base:.2f} × {ratio_of} |"
        )
    lines += ["", "Targets:", ""]
    by = {(n, s): r for n, s, r in rows}
    names = [n for n, s, _ in rows if s == "app, cached"]
    cached_ok = all(
        by[(n, "app, cached")]["rps"] >= 0.8 * floor
        and by[(n, "app, cached")]["errors"] == 0
        for n in names
    )
    p99_ok = all(by[(n, "app, cached")]["p99"] < 100 for n in names)
    checks = [
        ("cached pages ≥ 0.8 × /healthz, 0 errors", cached_ok),
        (f"cached pages p99 < 100 ms at {CONNECTIONS} connections", p99_ok),
        (
            "uncached article ≥ 0.15 × /healthz",
            by[("article", "app, uncached")]["rps"] >= 0.15 * floor,
        ),
        (
            "uncached section ≥ 0.1 × /healthz",
            by[("section", "app, uncached")]["rps"] >= 0.1 * floor,
        ),
        (
            "nginx cached pages ≥ 0.5 × nginx static file",
            all(by[(n, "nginx proxy_cache")]["rps"] >= 0.5 * static for n in names),
        ),
    ]
    lines += [f"- {'met' if ok else 'NOT met'}: {text}" for text, ok in checks]
    lines += [
        "",
        "Single pages (`manage.py bench_pages`: in-process, page cache off, one request",
        "at a time, 15 timed requests each after 2 warm-ups; queries of one repeat",
        "request, and of the first request after a content change, when what is",
        "remembered per content generation is read anew):",
        "",
        *(line for line in single.splitlines() if line.startswith("|")),
    ]
    lines += [
        "",
        "Timings on 2 shared cores are noisy: absolute figures vary from run "
        "to run, the ratios (same run) are the point.",
        "",
    ]
    return "\n".join(lines)


def render_docx_import(result):
    """The Word import of a long illustrated story (manage.py bench_docx)."""
    met = "met" if result["met"] else "NOT met"
    return "\n".join(
        [
            "",
            "## Word import",
            "",
            f"`manage.py bench_docx`: one .docx story of {result['pages']} pages "
            f"with {result['pictures']} JPEG pictures of {result['picture_size']}, "
            "imported in a fresh process (checks, text, every picture through the "
            "photo service with its renditions, one draft), then rolled back.",
            "",
            "| import | wall s | CPU s | peak RSS MB | target |",
            "| --- | ---: | ---: | ---: | --- |",
            f"| {result['pages']} pages, {result['pictures']} pictures | "
            f"{result['seconds']:.2f} | {result['cpu_seconds']:.2f} | "
            f"{result['peak_mb']:.0f} | {met}: under {result['target_seconds']:.0f} s "
            f"and {result['target_mb']} MB |",
            "",
        ]
    )


def render_assessment(output):
    """The assessment's ranking page and 通报 export (bench_assessment)."""
    table = [line for line in output.splitlines() if line.startswith("|")]
    missed = sum(line.endswith("| NOT met |") for line in table)
    queries = {line.split("|")[5].strip() for line in table[2:]}
    return "\n".join(
        [
            "",
            "## Assessment ranking and export",
            "",
            "`manage.py bench_assessment`: in-process, as an editor (all "
            "counties), one request at a time. First: 7 requests each right "
            "after a content change (a new content generation, so the report "
            "is built); cached: 7 more without a change (an ended period's "
            "report then comes from the cache; the current quarter is built "
            "each time). Wall and CPU milliseconds of the app process (the "
            "database's own CPU is not in it); queries of one request and "
            "their milliseconds. Target: first requests under 1 s, with the "
            "same number of queries whatever the period.",
            "",
            *table,
            "",
            f"- {'NOT met' if missed else 'met'}: first requests of the ranking "
            f"page and export < 1 s ({missed} of {len(table) - 2} over)",
            f"- {'met' if len(queries) == 1 else 'NOT met'}: the same number of "
            f"queries for a year and a quarter ({', '.join(sorted(queries))})",
            "",
        ]
    )


def render_reference(reference_rows, rows, floor):
    """The plain Django reference beside this site's article page."""
    hello = reference_rows[0][1]["rps"]
    ours = next(r for n, s, r in rows if (n, s) == ("article", "app, uncached"))
    lines = [
        "",
        "## Reference: plain Django in the same run",
        "",
        "bench/reference/ is a plain Django project (startproject's middleware,",
        "DTL, this site's gunicorn settings and database): a hello-world view and",
        "an article page with three queries (the article with its section and",
        "county, the sections, the five newest of its section). The issue sizes",
        "its uncached targets against such a page.",
        "",
        "| page | requests/s | p99 ms | ratio to its hello world | "
        "ratio to our /healthz |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, r in reference_rows:
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['p99']:.1f} | {r['rps'] / hello:.2f} × | "
            f"{r['rps'] / floor:.2f} × |"
        )
    article = reference_rows[-1][1]["rps"]
    lines += [
        "",
        f"This site's uncached article page: {ours['rps']:.0f} requests/s, "
        f"{ours['rps'] / article:.2f} × the reference article page.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
