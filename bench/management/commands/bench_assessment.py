import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from assessment.periods import Period

from .bench_pages import _bench_editor, check

TARGET_MS = 1000  # the target for the page and the export


def assessment_pages():
    """The ranking page and its export for the last whole year (the most
    pieces a page ever adds up) and for the current quarter."""
    year = Period(timezone.localdate().year - 1, 1, 12)
    quarter = Period.current_quarter()
    ranking = reverse("admin:assessment_ranking_changelist")
    export = reverse("admin:assessment_ranking_export")
    return [
        (_("考核排名（上一整年）"), f"{ranking}?period={year}"),
        (_("考核通报 Excel（上一整年）"), f"{export}?period={year}"),
        (_("考核排名（本季度）"), f"{ranking}?period={quarter}"),
        (_("考核通报 Excel（本季度）"), f"{export}?period={quarter}"),
    ]


def measure(client, url, rounds):
    """Median and max wall milliseconds, median CPU milliseconds of this
    process, and the queries and their milliseconds of one request."""
    check(client.get(url), url)  # imports, templates, content types
    walls, cpus = [], []
    for _round in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        check(client.get(url), url)
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    database = sum(float(query["time"]) for query in queries.captured_queries)
    return {
        "median": statistics.median(walls),
        "max": max(walls),
        "cpu": statistics.median(cpus),
        "queries": len(queries),
        "database": database * 1000,
    }


class Command(BaseCommand):
    help = _(
        "测量考核排名页和 Excel 导出的耗时（墙钟与本进程 CPU）与查询数"
        "（先运行 seed_synthetic）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rounds", type=int, default=7, help=_("每个页面计时的次数")
        )

    def handle(self, *args, rounds, **options):
        if not Article.objects.published().exists():
            raise CommandError(_("库里没有已发布的稿件，请先运行 seed_synthetic。"))
        editor = Client(SERVER_NAME="localhost")
        editor.force_login(_bench_editor())
        self.stdout.write(
            _("已发布稿件 %(count)d 篇")
            % {"count": Article.objects.published().count()}
        )
        self.stdout.write(
            "| page | median ms | max ms | CPU ms (median) | queries | "
            "query ms | < 1 s |"
        )
        self.stdout.write("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for label, url in assessment_pages():
            m = measure(editor, url, rounds)
            met = "met" if m["median"] < TARGET_MS else "NOT met"
            self.stdout.write(
                f"| {label} | {m['median']:.0f} | {m['max']:.0f} | {m['cpu']:.0f} | "
                f"{m['queries']} | {m['database']:.0f} | {met} |"
            )
