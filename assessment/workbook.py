"""The 通报 as an .xlsx workbook: counties ranked with a totals row, then
the correspondents."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import get_column_letter

from .scoring import describe_rules

ISSUER = "盐城市总工会"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF4")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
PERCENT = "0.0%"
# Each cell takes one of these by name: a named style is registered once per
# workbook and each cell copies its index, where setting a font, border and
# alignment on each cell made openpyxl hash those objects for every cell.
STYLES = {
    "title": {"font": Font(name="SimSun", size=16, bold=True), "alignment": CENTER},
    "elapsed": {"font": DEFAULT_FONT, "alignment": Alignment(horizontal="right")},
    "head": {
        "font": Font(bold=True),
        "fill": HEAD_FILL,
        "alignment": CENTER,
        "border": BOX,
    },
    "figure": {
        "font": DEFAULT_FONT,
        "border": BOX,
        "alignment": Alignment(horizontal="center"),
    },
    "total": {
        "font": Font(bold=True),
        "border": BOX,
        "alignment": Alignment(horizontal="center"),
    },
    "note": {
        "font": DEFAULT_FONT,
        "alignment": Alignment(wrap_text=True, vertical="top"),
    },
}
PERCENT_STYLES = ("figure", "total")  # also as *_percent, for 率 and 进度


def title(report):
    """盐城市总工会 2024年第一季度信息工作通报 (with the county when scoped)."""
    text = _("%(issuer)s %(period)s信息工作通报") % {
        "issuer": _(ISSUER),
        "period": report.period.label,
    }
    if report.scope is not None:
        text += f"（{report.scope.short_name}）"
    return text


def filename(period, scope=None):
    scope = f"-{scope.slug}" if scope is not None else ""
    return f"assessment-{period}{scope}.xlsx"


def points_value(value):
    return round(float(value), 2)


def progress_value(value):
    return "—" if value is None else value / 100


def figure_cells(row):
    """A ranking row's figures, in figure_heads()' order after who."""
    return [
        row.submitted,
        row.published,
        progress_value(row.use_rate),
        row.returned,
        row.photos,
        points_value(row.points),
    ]


def county_cells(row):
    progress = row.progress or {}
    return [
        row.rank,
        row.union.short_name,
        *figure_cells(row),
        progress_value(progress.get("submitted")),
        progress_value(progress.get("published")),
        progress_value(progress.get("points")),
    ]


def correspondent_cells(row):
    return [
        row.rank,
        row.author.name,
        row.union.short_name,
        *figure_cells(row),
        progress_value(row.points_progress),
    ]


def figure_heads(*who):
    """The headings of a ranking row: 排名, the columns naming who is ranked
    (`who`), then the figures, as the workbook and the command print them."""
    return [
        _("排名"),
        *who,
        _("报送"),
        _("采用"),
        _("采用率"),
        _("退回"),
        _("图片"),
        _("积分"),
    ]


def write_workbook(report, target):
    """Write the report's workbook to `target` (a path or a binary file)."""
    book = Workbook()
    for name, style in STYLES.items():
        book.add_named_style(NamedStyle(f"assessment_{name}", **style))
        if name in PERCENT_STYLES:
            book.add_named_style(
                NamedStyle(f"assessment_{name}_percent", number_format=PERCENT, **style)
            )
    counties = book.active
    counties.title = _("县区排名")
    county_head = [
        *figure_heads(_("县级工会")),
        _("报送目标进度"),
        _("采用目标进度"),
        _("积分目标进度"),
    ]
    rows = [county_cells(row) for row in report.counties]
    totals = report.totals
    total_cells = [
        "",
        _("合计"),
        totals.submitted,
        totals.published,
        progress_value(totals.use_rate),
        totals.returned,
        totals.photos,
        points_value(totals.points),
        "",
        "",
        "",
    ]
    _sheet(counties, title(report), county_head, rows, total_cells, report)
    people = book.create_sheet(_("通讯员排名"))
    people_head = [*figure_heads(_("通讯员"), _("县级工会")), _("积分目标进度")]
    _sheet(
        people,
        title(report) + _("（通讯员）"),
        people_head,
        [correspondent_cells(row) for row in report.correspondents],
        None,
        report,
    )
    book.save(target)


def workbook_bytes(report):
    buffer = io.BytesIO()
    write_workbook(report, buffer)
    return buffer.getvalue()


def _sheet(sheet, heading, head, rows, totals, report):
    width = len(head)
    last = get_column_letter(width)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = heading
    sheet["A1"].style = "assessment_title"
    sheet.row_dimensions[1].height = 32
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"] = _("时间进度 %(share).1f%%（截至本期末占全年的比例）") % {
        "share": report.elapsed * 100
    }
    sheet["A2"].style = "assessment_elapsed"
    percent = [label.endswith(("率", "进度")) for label in head]
    lines = [("head", head), *(("figure", cells) for cells in rows)]
    if totals is not None:
        lines.append(("total", totals))
    for row_number, (style, cells) in enumerate(lines, start=3):
        for column, value in enumerate(cells, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            if style != "head" and percent[column - 1]:
                cell.style = f"assessment_{style}_percent"
            else:
                cell.style = f"assessment_{style}"
    note_row = sheet.max_row + 2
    sheet.merge_cells(f"A{note_row}:{last}{note_row}")
    sheet[f"A{note_row}"] = _("说明：") + describe_rules()
    sheet[f"A{note_row}"].style = "assessment_note"
    sheet.row_dimensions[note_row].height = 60
    for column in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = (
            14 if column in (2, 3) else 11
        )
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
