"""A paginator whose cost does not grow with the number of articles."""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

MAX_PAGES = 50


class CappedPaginator(Paginator):
    """Counts at most MAX_PAGES pages of rows.

    COUNT(*) over a section of tens of thousands of articles reads every
    matching index entry on each request; counting a LIMITed subquery stops
    early, and OFFSET never goes past the cap either. Older articles stay
    reachable through search and the archives.
    """

    max_pages = MAX_PAGES

    def __init__(self, *args, count_rows=None, **kwargs):
        """count_rows(limit), if given, counts up to `limit` rows in place of
        a query on object_list (a view that remembers its count)."""
        super().__init__(*args, **kwargs)
        self.count_rows = count_rows or self._count_rows

    def _count_rows(self, limit):
        return self.object_list.order_by()[:limit].count()

    @cached_property
    def _limit(self):
        return self.max_pages * self.per_page

    @cached_property
    def _counted(self):
        return self.count_rows(self._limit + 1)

    @cached_property
    def count(self):
        return min(self._counted, self._limit)

    @property
    def capped(self):
        """True when there are more rows than the pages shown."""
        return self._counted > self._limit


class DeferredJoinPaginator(Paginator):
    """Finds a page's rows by their keys first, then loads only those rows.

    OFFSET makes the database build and throw away every row before the
    page: for page 200 of the admin list, 19,900 rows with their joins and
    per-row subqueries, one heap page each. The keys alone come from the
    ordering's index (article_recent: -publish_at, -id) without touching
    the table, so a deep page costs about what the first one does.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if bottom:
            rows = rows.filter(pk__in=rows.values("pk")[bottom:top])
        else:
            rows = rows[:top]
        return Page(rows, number, self)
