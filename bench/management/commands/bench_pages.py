import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles.admin import ArticleAdmin
from articles.models import Article, Author, Section
from articles.pagination import MAX_PAGES
from articles.views import SectionDetailView
from counties.models import CountyUnion
from serving import pagecache

BENCH_EDITOR = "bench-editor"


class Command(BaseCommand):
    help = _(
        "逐页测量读者页面和后台稿件列表的耗时与查询数（页面缓存须关闭），"
        "用于确认大数据量下每页的开销不随稿件总数增长。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rounds", type=int, default=15, help=_("每个页面计时的次数")
        )

    def handle(self, *args, rounds, **options):
        if not Article.objects.published().exists():
            raise CommandError(_("库里没有已发布的稿件，请先运行 seed_synthetic。"))
        reader = Client(SERVER_NAME="localhost")
        editor = Client(SERVER_NAME="localhost")
        editor.force_login(_bench_editor())
        self.stdout.write(
            "| page | median ms | max ms | queries | queries after a change |"
        )
        self.stdout.write("| --- | ---: | ---: | ---: | ---: |")
        for label, url, client in [
            *((label, url, reader) for label, url in reader_pages()),
            *((label, url, editor) for label, url in admin_pages()),
        ]:
            median, slowest, queries, first = measure(client, url, rounds)
            self.stdout.write(
                f"| {label} | {median:.1f} | {slowest:.1f} | {queries} | {first} |"
            )


def measure(client, url, rounds):
    """Median and max milliseconds of `rounds` requests, the queries of one
    more, and the queries of the first request after a content change (when
    what is remembered per content generation is built anew)."""
    pagecache.forget_local()
    with CaptureQueriesContext(connection) as first:
        check(client.get(url), url)
    # Counted now: the next request clears the connection's query log.
    after_a_change = len(first)
    for _warm in range(2):
        check(client.get(url), url)
    timings = []
    for _round in range(rounds):
        started = time.perf_counter()
        check(client.get(url), url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), max(timings), len(queries), after_a_change


def check(response, url):
    if response.status_code != 200:
        raise CommandError(f"{url}: HTTP {response.status_code}")


def reader_pages():
    published = Article.objects.published()
    section = (
        Section.objects.exclude(kind=Section.Kind.PHOTO)
        .annotate(n=Count("articles"))
        .order_by("-n")
        .first()
    )
    photo_news = Section.objects.filter(kind=Section.Kind.PHOTO).first()
    in_section = published.in_section(section).count()
    last_page = max(
        1, min(MAX_PAGES, (in_section - 1) // SectionDetailView.paginate_by + 1)
    )
    # An article a little way back, as a reader arriving from a search would.
    with_body = published.exclude(body="").order_by("-publish_at")
    article = with_body[500:501].first() or with_body.first()
    oldest = published.exclude(body="").order_by("publish_at").first()
    union = CountyUnion.objects.order_by("position").first()
    author = Author.objects.annotate(n=Count("bylines")).order_by("-n").first()
    tag = (
        Tag.objects.annotate(n=Count("taggit_taggeditem_items")).order_by("-n").first()
    )
    now = timezone.localtime()
    pages = [
        (_("首页"), reverse("articles:home")),
        (_("栏目（最大）"), section.get_absolute_url()),
        (
            _("栏目的最后一页（最多第 50 页）"),
            f"{section.get_absolute_url()}?page={last_page}",
        ),
        (_("稿件"), article.get_absolute_url()),
        (_("最早的稿件"), oldest.get_absolute_url()),
        (_("县级工会"), union.get_absolute_url()),
        (_("作者（稿件最多）"), author.get_absolute_url()),
        (
            _("搜索"),
            reverse("articles:search") + "?q=%E9%9B%86%E4%BD%93%E5%8D%8F%E5%95%86",
        ),
        (_("归档"), reverse("articles:archive")),
        (
            _("归档（本月）"),
            reverse("articles:archive-month", args=[now.year, f"{now.month:02d}"]),
        ),
        (_("订阅（最新）"), reverse("articles:feed")),
        (_("网站地图索引"), reverse("articles:sitemap")),
        (_("网站地图第 1 页"), reverse("articles:sitemap-section", args=["articles"])),
    ]
    if photo_news is not None:
        pages.insert(2, (_("图说新闻"), photo_news.get_absolute_url()))
    if tag is not None:
        pages.insert(8, (_("标签（最常用）"), reverse("articles:tag", args=[tag.slug])))
    return pages


def admin_pages():
    """The admin article list and the desk (the assessment's ranking and
    export have their own command, bench_assessment)."""
    changelist = reverse("admin:articles_article_changelist")
    union = CountyUnion.objects.order_by("position").first()
    per_page = ArticleAdmin.list_per_page
    deep_page = max(1, min(200, (Article.objects.count() - 1) // per_page + 1))
    return [
        (_("后台稿件列表"), changelist),
        (_("后台稿件列表：已发布"), changelist + "?status__exact=published"),
        (
            _("后台稿件列表：县级工会"),
            changelist + f"?county_union__id__exact={union.pk}",
        ),
        (_("后台稿件列表：靠后的一页（最多第 200 页）"), f"{changelist}?p={deep_page}"),
        (_("后台稿件搜索"), changelist + "?q=%E5%8A%B3%E6%A8%A1"),
        (_("后台首页（编辑台）"), reverse("admin:index")),
    ]


def _bench_editor():
    user, _created = get_user_model().objects.get_or_create(
        username=BENCH_EDITOR, defaults={"is_staff": True, "is_superuser": True}
    )
    return user
