from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from assessment.periods import Period

from .bench_pages import _bench_editor, measure


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
    ]


class Command(BaseCommand):
    help = _("测量考核排名页和 Excel 导出的耗时与查询数（先运行 seed_synthetic）。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--rounds", type=int, default=10, help=_("每个页面计时的次数")
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
        self.stdout.write("| page | median ms | max ms | queries |")
        self.stdout.write("| --- | ---: | ---: | ---: |")
        for label, url in assessment_pages():
            median, slowest, queries = measure(editor, url, rounds)
            self.stdout.write(f"| {label} | {median:.1f} | {slowest:.1f} | {queries} |")
