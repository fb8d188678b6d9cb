"""发稿记录: records of published and withdrawn stories, and their exports."""

import csv
import datetime
import io
import json

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from articles.roles import display_name

from . import terms
from .models import PublicationRecord, SignOff

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def record(transition):
    """Copy the story, its sign-offs and term hits onto a PublicationRecord."""
    article = transition.article
    signoffs = SignOff.objects.current(article)
    stages = [
        {
            "stage": signoff.stage,
            "by": signoff.by_name,
            "at": signoff.at.isoformat(),
            "opinion": signoff.opinion,
            "acknowledged": signoff.acknowledged,
        }
        for signoff in signoffs
    ]
    hits = [hit.as_record() for hit in terms.check_article(article)]
    return PublicationRecord.objects.create(
        article=article,
        article_number=article.pk,
        title=article.title,
        section=str(article.section),
        county_union=str(article.county_union or ""),
        writers=article.byline or display_name(article.created_by),
        created_by=display_name(article.created_by) if article.created_by else "",
        action=transition.action,
        at=transition.at,
        publish_at=article.publish_at,
        by=display_name(transition.by),
        comment=transition.comment,
        stages_json=json.dumps(stages, ensure_ascii=False),
        term_hits_json=json.dumps(hits, ensure_ascii=False),
    )


def parse_period(start, end):
    """(first day, last day) from YYYY-MM-DD strings; this month by default.

    Returns the dates and an error message (or "") for bad input.
    """
    today = timezone.localdate()
    default = (today.replace(day=1), today)
    if not start and not end:
        return default, ""
    try:
        first = datetime.date.fromisoformat(start) if start else default[0]
        last = datetime.date.fromisoformat(end) if end else default[1]
    except ValueError:
        return default, _("日期格式应为“年-月-日”，如 2024-02-20；已改为显示本月。")
    if last < first:
        return default, _("结束日期早于开始日期；已改为显示本月。")
    return (first, last), ""


def records_between(first, last):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return PublicationRecord.objects.between(start, end).order_by("at", "pk")


STAGE_ORDER = [SignOff.Stage.FIRST, SignOff.Stage.SECOND, SignOff.Stage.THIRD]


def header():
    columns = [
        _("稿件编号"),
        _("标题"),
        _("栏目"),
        _("县级工会"),
        _("作者"),
        _("操作"),
        _("操作时间"),
        _("发布时间"),
        _("操作人"),
    ]
    for stage in STAGE_ORDER:
        columns += [
            _("%(stage)s签署人") % {"stage": stage.label},
            _("%(stage)s时间") % {"stage": stage.label},
            _("%(stage)s意见") % {"stage": stage.label},
        ]
    return [*columns, _("提示和禁用词"), _("已确认的提示词")]


def _local(value):
    """A naive local datetime: spreadsheets have no time zones."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def rows(records):
    """One list per record, in header() order, with datetimes as values."""
    for item in records:
        by_stage = {stage["stage"]: stage for stage in item.stages}
        row = [
            item.article_number,
            item.title,
            item.section,
            item.county_union,
            item.writers,
            item.get_action_display(),
            _local(item.at),
            _local(item.publish_at),
            item.by,
        ]
        for stage in STAGE_ORDER:
            signed = by_stage.get(stage)
            row += (
                [signed["by"], _local(signed["at"]), signed["opinion"]]
                if signed
                else ["", None, ""]
            )
        hits = [
            _("%(word)s（%(level)s，%(place)s）")
            % {
                "word": hit["word"],
                "level": terms.Term.Level(hit["level"]).label,
                "place": hit["place"],
            }
            for hit in item.term_hits
        ]
        acknowledged = [
            _("%(word)s（%(stage)s %(by)s）")
            % {
                "word": hit["word"],
                "stage": SignOff.Stage(stage["stage"]).label,
                "by": stage["by"],
            }
            for stage in item.stages
            for hit in stage["acknowledged"]
        ]
        yield [*row, "；".join(hits), "；".join(acknowledged)]


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def filename(first, last, extension):
    return f"fagao-{first:%Y%m%d}-{last:%Y%m%d}.{extension}"


def csv_response(records, first, last):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV as Chinese only with a BOM
    writer = csv.writer(buffer)
    writer.writerow(header())
    for row in rows(records):
        writer.writerow([_text(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{filename(first, last, "csv")}"'
    )
    return response


def xlsx_response(records, first, last):
    book = Workbook()
    sheet = book.active
    sheet.title = _("发稿记录")
    sheet.append(header())
    for row in rows(records):
        sheet.append(row)
    for number, cell in enumerate(sheet[1], start=1):
        sheet.column_dimensions[get_column_letter(number)].width = 14
        cell.font = Font(bold=True)
    for column in ("G", "H", "K", "N", "Q"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.column_dimensions["B"].width = 36
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{filename(first, last, "xlsx")}"'
    )
    return response
