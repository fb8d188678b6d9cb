"""Jinja2 against the DTL port of the reader templates, in one process.

Measurement only, with READER_TEMPLATES=jinja2 (both engines configured):
every page of bench_pages is requested with each engine in turn (ABBA), so
the load of a shared machine falls on both alike. Prints a Markdown table of
median CPU and wall milliseconds per request.

    PAGE_CACHE_SECONDS=0 .venv/bin/python bench/template_engines.py 30
"""

import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["READER_TEMPLATES"] = "jinja2"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.template import engines, loader  # noqa: E402
from django.test import Client  # noqa: E402

from bench.management.commands.bench_pages import reader_pages  # noqa: E402

ENGINES = {"jinja2": engines.all(), "dtl": [engines["django"]]}
find_engines = loader._engine_list


def use(name):
    """Route template look-ups to one engine (measurement only)."""
    loader._engine_list = lambda using=None: (
        ENGINES[name] if using is None else find_engines(using)
    )


def main(pairs):
    client = Client(SERVER_NAME="localhost")
    print(
        "| page | Jinja2 CPU ms | DTL CPU ms | DTL/Jinja2 | Jinja2 wall ms "
        "| DTL wall ms | DTL/Jinja2 |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, url in reader_pages():
        for name in ENGINES:
            use(name)
            for _warm in range(3):
                assert client.get(url).status_code == 200, url
        times = {name: {"cpu": [], "wall": []} for name in ENGINES}
        for i in range(pairs):
            for name in ("jinja2", "dtl") if i % 2 == 0 else ("dtl", "jinja2"):
                use(name)
                wall, cpu = time.perf_counter(), time.process_time()
                client.get(url)
                times[name]["cpu"].append((time.process_time() - cpu) * 1000)
                times[name]["wall"].append((time.perf_counter() - wall) * 1000)
        j, d = (
            {k: statistics.median(v) for k, v in times[name].items()}
            for name in ("jinja2", "dtl")
        )
        print(
            f"| {label} | {j['cpu']:.1f} | {d['cpu']:.1f} | {d['cpu'] / j['cpu']:.2f} "
            f"| {j['wall']:.1f} | {d['wall']:.1f} | {d['wall'] / j['wall']:.2f} |"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
