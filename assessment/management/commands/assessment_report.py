from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.periods import Period
from assessment.scoring import build_report, format_percent, format_points
from assessment.workbook import figure_heads, title, write_workbook


class Command(BaseCommand):
    help = _(
        "打印一个考核期（2024、2024Q1 或 2024-03）的县区排名，并可写出 Excel 通报。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", required=True, help=_("2024、2024Q1 或 2024-03")
        )
        parser.add_argument("--output", help=_("写出 .xlsx 文件的路径"))

    def handle(self, *args, period, output, **options):
        try:
            report = build_report(Period.parse(period))
        except ValueError as error:
            raise CommandError(str(error)) from error
        if output and not output.lower().endswith(".xlsx"):
            raise CommandError(_("输出文件应以 .xlsx 结尾。"))
        self.stdout.write(title(report))
        head = [*figure_heads(_("县级工会")), _("目标进度")]
        self.stdout.write("\t".join(head))
        for row in report.counties:
            self.stdout.write(
                "\t".join(
                    str(cell)
                    for cell in [
                        row.rank,
                        row.name,
                        row.submitted,
                        row.published,
                        format_percent(row.use_rate),
                        row.returned,
                        row.photos,
                        format_points(row.points),
                        format_percent(row.points_progress),
                    ]
                )
            )
        totals = report.totals
        self.stdout.write(
            "\t".join(
                str(cell)
                for cell in [
                    "",
                    _("合计"),
                    totals.submitted,
                    totals.published,
                    format_percent(totals.use_rate),
                    totals.returned,
                    totals.photos,
                    format_points(totals.points),
                    "",
                ]
            )
        )
        if output:
            try:
                write_workbook(report, output)
            except OSError as error:
                raise CommandError(
                    _("无法写入 %(path)s：%(error)s") % {"path": output, "error": error}
                ) from error
            self.stdout.write(_("已写出 %(path)s") % {"path": output})
