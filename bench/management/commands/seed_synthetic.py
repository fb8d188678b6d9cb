import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bench.synthetic import generate

BAR_WIDTH = 30


class Command(BaseCommand):
    help = _(
        "批量生成模拟稿件（压力测试用），含作者、标签、图片，分布于九个县级工会和五年。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=1000, help=_("生成的稿件篇数")
        )
        parser.add_argument(
            "--seed", type=int, default=2024, help=_("随机数种子，相同种子生成相同内容")
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help=_("每批写入的稿件篇数")
        )

    def handle(self, *args, articles, seed, batch_size, **options):
        if articles < 1:
            raise CommandError(_("稿件篇数至少为 1。"))
        if batch_size < 1:
            raise CommandError(_("每批篇数至少为 1。"))
        started = time.monotonic()
        interactive = self.stdout.isatty()

        def progress(done, total):
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            line = _("[%(bar)s] %(done)d/%(total)d 篇  %(seconds).1f 秒") % {
                "bar": bar,
                "done": done,
                "total": total,
                "seconds": time.monotonic() - started,
            }
            if interactive:
                self.stdout.write("\r" + line, ending="")
                if done == total:
                    self.stdout.write("")
            else:
                self.stdout.write(line)
            sys.stdout.flush()

        summary = generate(
            articles=articles, seed=seed, batch_size=batch_size, progress=progress
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "完成：稿件 %(articles)d 篇，作者 %(authors)d 位，图片 %(photos)d 张，"
                    "署名 %(bylines)d 条，标签 %(tagged)d 条，用时 %(seconds).1f 秒。"
                )
                % {**vars(summary), "seconds": time.monotonic() - started}
            )
        )
