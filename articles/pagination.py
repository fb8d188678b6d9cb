"""A paginator whose cost does not grow with the number of articles."""

from django.core.paginator import Paginator
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
