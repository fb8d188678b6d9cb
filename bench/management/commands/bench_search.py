import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Article
from bench.synthetic import generate

# Words a reader of the bulletin types: common and rare, one or two words,
# with and without filters.
QUERIES = [
    {"q": "集体协商"},
    {"q": "招聘会"},
    {"q": "环卫工人"},
    {"q": "慰问"},
    {"q": "建会入会"},
    {"q": "劳模 创新"},
    {"q": "职工"},
    {"q": "技能竞赛", "county": "binhai"},
    {"q": "困难职工 帮扶"},
    {"q": "职工", "page": "2"},
]


class Command(BaseCommand):
    help = _(
        "测量搜索页的响应时间（p50/p95，请关闭页面缓存），并检查查询计划用到全文索引。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=100_000,
            help=_("库里不足这么多稿件时，先用 seed_synthetic 的生成器补足"),
        )
        parser.add_argument(
            "--rounds", type=int, default=20, help=_("每个查询重复的次数")
        )

    def handle(self, *args, articles, rounds, **options):
        if connection.vendor != "postgresql":
            raise CommandError(_("请在 PostgreSQL 上测量（设置 DATABASE_URL）。"))
        missing = articles - Article.objects.count()
        if missing > 0:
            self.stdout.write(_("生成 %(n)d 篇模拟稿件…") % {"n": missing})
            generate(articles=missing)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
        client = Client(SERVER_NAME="localhost")
        url = reverse("articles:search")
        for params in QUERIES:  # warm caches and jieba's dictionary
            client.get(url, params)
        timings = []
        for _round in range(rounds):
            for params in QUERIES:
                started = time.perf_counter()
                response = client.get(url, params)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code not in (200, 404):
                    raise CommandError(f"{params}: HTTP {response.status_code}")
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        plan = Article.objects.published().search("集体协商").explain(analyze=True)
        self.stdout.write(
            f"articles={Article.objects.count()} requests={len(timings)} "
            f"p50={statistics.median(timings):.1f}ms p95={p95:.1f}ms "
            f"max={timings[-1]:.1f}ms"
        )
        self.stdout.write(plan)
        if "article_search_gin" not in plan:
            raise CommandError(_("查询计划没有用到全文索引 article_search_gin。"))
