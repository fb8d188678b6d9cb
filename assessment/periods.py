"""Assessment periods: a month (2024-03), a quarter (2024Q1) or a year (2024)."""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from articles.desk import MAX_YEAR, MIN_YEAR, month_bounds

QUARTER_NAMES = ["一", "二", "三", "四"]
PERIOD_RE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4]))?$"
)


@dataclass(frozen=True)
class Period:
    year: int
    first_month: int
    months: int  # 1, 3 or 12

    @classmethod
    def parse(cls, value):
        """The period written as 2024, 2024Q1 or 2024-03; ValueError if bad."""
        found = PERIOD_RE.match((value or "").strip())
        if found is None:
            raise ValueError(
                _("考核期“%(value)s”写法不对，应为 2024、2024Q1 或 2024-03。")
                % {"value": value}
            )
        year = int(found["year"])
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(_("年份 %(year)d 超出范围。") % {"year": year})
        if found["month"]:
            month = int(found["month"])
            if not 1 <= month <= 12:
                raise ValueError(_("月份应在 1 到 12 之间。"))
            return cls(year, month, 1)
        if found["quarter"]:
            return cls(year, (int(found["quarter"]) - 1) * 3 + 1, 3)
        return cls(year, 1, 12)

    @classmethod
    def current_quarter(cls):
        today = timezone.localdate()
        return cls(today.year, (today.month - 1) // 3 * 3 + 1, 3)

    def __str__(self):
        """The command-line form: 2024, 2024Q1 or 2024-03."""
        if self.months == 12:
            return str(self.year)
        if self.months == 3:
            return f"{self.year}Q{self.quarter}"
        return f"{self.year}-{self.first_month:02d}"

    @property
    def quarter(self):
        return (self.first_month - 1) // 3 + 1

    @property
    def label(self):
        """As an official 通报 names it: 2024年第一季度."""
        if self.months == 12:
            return _("%(year)d年") % {"year": self.year}
        if self.months == 3:
            return _("%(year)d年第%(quarter)s季度") % {
                "year": self.year,
                "quarter": QUARTER_NAMES[self.quarter - 1],
            }
        return _("%(year)d年%(month)d月") % {
            "year": self.year,
            "month": self.first_month,
        }

    @property
    def month_starts(self):
        """The first day of each month of the period."""
        return [
            date(self.year, month, 1)
            for month in range(self.first_month, self.first_month + self.months)
        ]

    @property
    def last_month(self):
        return self.first_month + self.months - 1

    def bounds(self):
        """Aware start and end (exclusive) in the site's time zone."""
        start, _end = month_bounds(date(self.year, self.first_month, 1))
        _start, end = month_bounds(date(self.year, self.last_month, 1))
        return start, end

    def year_bounds_to_end(self):
        """From 1 January of the period's year to the period's end."""
        start, _end = month_bounds(date(self.year, 1, 1))
        return start, self.bounds()[1]

    def elapsed_share(self, now=None):
        """How much of the year has passed by the end of the period (or now,
        if the period has not ended), from 0 to 1: the 时间进度."""
        year_start, _end = month_bounds(date(self.year, 1, 1))
        _start, year_end = month_bounds(date(self.year, 12, 1))
        until = min(self.bounds()[1], now or timezone.now())
        share = (until - year_start) / (year_end - year_start)
        return max(0.0, min(1.0, share))

    def shifted(self, steps):
        """The period `steps` periods later (earlier when negative)."""
        index = self.year * 12 + self.first_month - 1 + steps * self.months
        return Period(index // 12, index % 12 + 1, self.months)

    @property
    def choices(self):
        """The other ways to look at the same time: its month, quarter, year."""
        return [
            Period(self.year, self.first_month, 1),
            Period(self.year, (self.first_month - 1) // 3 * 3 + 1, 3),
            Period(self.year, 1, 12),
        ]
