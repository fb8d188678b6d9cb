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
from serving import pagecache

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


def timed(client, url):
    """Wall and CPU milliseconds of this process for one request."""
    wall, cpu = time.perf_counter(), time.process_time()
    check(client.get(url), url)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def counted(client, url):
    """The queries of one request and their milliseconds."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    database = sum(float(query["time"]) for query in queries.captured_queries)
    return len(queries), database * 1000


def measure(client, url, rounds):
    """First requests after a content change (a new content generation, so
    no cached report), then requests that may read the cached report."""
    check(client.get(url), url)  # imports, templates, content types
    first = []
    for _round in range(rounds):
        pagecache.bump()
        first.append(timed(client, url))
    pagecache.bump()
    queries, database = counted(client, url)
    again = [timed(client, url) for _round in range(rounds)]
    cached_queries, _database = counted(client, url)
    walls = [wall for wall, _cpu in first]
    return {
        "median": statistics.median(walls),
        "max": max(walls),
        "cpu": statistics.median(cpu for _wall, cpu in first),
        "queries": queries,
        "database": database,
        "cached": statistics.median(wall for wall, _cpu in again),
        "cached_cpu": statistics.median(cpu for _wall, cpu in again),
        "cached_queries": cached_queries,
    }


class Command(BaseCommand):
    help = _(
        "测量考核排名页和 Excel 导出的耗时（墙钟与本进程 CPU）与查询数："
        "内容变动后的第一次请求，以及可读缓存的再次请求（先运行 seed_synthetic）。"
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
            "| page | first: median ms | max ms | CPU ms | queries | query ms | "
            "cached: median ms | CPU ms | queries | first < 1 s |"
        )
        self.stdout.write(
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        )
        for label, url in assessment_pages():
            m = measure(editor, url, rounds)
            met = "met" if m["median"] < TARGET_MS else "NOT met"
            self.stdout.write(
                f"| {label} | {m['median']:.0f} | {m['max']:.0f} | {m['cpu']:.0f} | "
                f"{m['queries']} | {m['database']:.0f} | {m['cached']:.0f} | "
                f"{m['cached_cpu']:.0f} | {m['cached_queries']} | {met} |"
            )
