"""Bar charts drawn on the server as SVG geometry the template prints."""

from dataclasses import dataclass

from .scoring import format_points

LABEL_WIDTH = 76
VALUE_WIDTH = 44
BAR_HEIGHT = 22
GAP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list
    label_x: int = LABEL_WIDTH - 6


def ranking_chart(rows, width=420):
    """Horizontal bars of the rows' points, in table order."""
    top = max((row.points for row in rows), default=0) or 1
    room = width - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for n, row in enumerate(rows):
        y = n * (BAR_HEIGHT + GAP)
        length = float(row.points / top) * room
        bars.append(
            Bar(
                label=row.name,
                value=format_points(row.points),
                x=LABEL_WIDTH,
                y=y,
                width=round(length, 1),
                height=BAR_HEIGHT,
                text_x=round(LABEL_WIDTH + length + 4, 1),
                text_y=y + BAR_HEIGHT * 0.7,
            )
        )
    return Chart(width=width, height=max(1, len(rows)) * (BAR_HEIGHT + GAP), bars=bars)


def trend_chart(trend, width=420, height=180):
    """Vertical bars of points per month (trend: [(month, points, pieces)])."""
    top = max((points for _month, points, _pieces in trend), default=0) or 1
    slot = width / max(1, len(trend))
    chart_height = height - 36
    bars = []
    for n, (month, points, _pieces) in enumerate(trend):
        length = float(points / top) * (chart_height - 16)
        x = n * slot + slot * 0.15
        bars.append(
            Bar(
                label=f"{month.month}月",
                value=format_points(points),
                x=round(x, 1),
                y=round(chart_height - length, 1),
                width=round(slot * 0.7, 1),
                height=round(length, 1),
                text_x=round(n * slot + slot / 2, 1),
                text_y=round(chart_height - length - 4, 1),
            )
        )
    return Chart(width=width, height=height, bars=bars, label_x=chart_height + 18)
