"""The assessment tables: per county union and per correspondent, for a period.

Who a piece counts for. A piece is a published article (news, special-topic
column or a 图说新闻 item, which the importer stores as an article of the
photo-news section). Its people are its bylines plus the photographers
credited on its cover and gallery photos; only people with a county union
count. Each distinct county union among them gets an equal share of the
piece's points (two counties: half each); inside a county the share is split
equally among that county's people, so a county's correspondents add up to
the county. Counts (submitted, published, returned, photos) are whole: a
piece written by two counties is published once for each.

Points come from the rule valid on the piece's publish date (PointsRule,
else DEFAULT_POINTS): the kind's points, plus the headline, print-issue and
take-up bonuses. Nothing is stored per piece, so a change of rules shows in
every period it covers at once.

Queries. A fixed number (nine) whatever the period's size: the year's pieces
up to the period's end, their take-ups and headlines, the year's submit and
return steps, the people credited on those articles (one UNION ALL of
bylines, gallery credits and cover credits), the rules, unions,
correspondents and targets. The database filters and joins; the shares are
added up here, because each piece's split depends on the set of counties
found through three different relations, which the ORM cannot group over in
one UNION.
"""

import bisect
import functools
import gc
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from functools import cached_property

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import (
    Article,
    ArticleAuthor,
    ArticlePhoto,
    ArticleTransition,
    Author,
    Section,
)
from counties.models import CountyUnion

from .models import DEFAULT_POINTS, Headline, PointsRule, TakeUp, Target

KIND_POINTS = {
    Section.Kind.NEWS: "news",
    Section.Kind.TOPIC: "topic",
    Section.Kind.PHOTO: "photo",
}
MEASURES = ("submitted", "published", "returned", "photos")


# Points are added up as integers of 1/UNIT point (exact for rules with one
# decimal), summed per number of ways a piece is split (Tally.shares), and
# divided once per divisor at the end: exact, and far cheaper than Fraction
# arithmetic over a year's pieces.
UNIT = 10 * 2520 * 720720
BEFORE, IN_PERIOD = 0, 1  # the two parts of the year a piece may fall in


class RuleBook:
    """The points of each moment: the covering PointsRule, else the defaults,
    as integers of 1/UNIT point by kind."""

    def __init__(self, rules):
        rules = sorted(rules, key=lambda rule: rule.valid_from)
        self.starts, self.ends, self.points = [], [], []
        for rule in rules:
            self.starts.append(local_midnight(rule.valid_from))
            self.ends.append(
                local_midnight(rule.valid_to + timedelta(days=1))
                if rule.valid_to
                else None
            )
            self.points.append(units(rule.points()))
        self.default = units(DEFAULT_POINTS)

    def points_at(self, moment):
        at = bisect.bisect_right(self.starts, moment) - 1
        if at >= 0 and (self.ends[at] is None or moment < self.ends[at]):
            return self.points[at]
        return self.default

    def stretches(self, months, start, end):
        """[(from, month index, points)] of the stretches of time from start
        to end over which neither the month nor the rule changes; months
        are the month starts, the first of them start."""
        bounds = {start, *months}
        bounds.update(
            moment
            for moment in (*self.starts, *self.ends)
            if moment is not None and start < moment < end
        )
        return [
            (moment, bisect.bisect_right(months, moment) - 1, self.points_at(moment))
            for moment in sorted(bounds)
        ]


def stretch_of(name, stretches, end):
    """The number of the stretch the datetime field `name` falls in, -1 for
    none (before the first or from end on)."""
    whens = [When(**{f"{name}__gte": end}, then=Value(-1))]
    whens += [
        When(**{f"{name}__gte": moment}, then=Value(number))
        for number, (moment, _month, _points) in reversed(list(enumerate(stretches)))
    ]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def units(points):
    return {name: int(Fraction(value) * UNIT) for name, value in points.items()}


@dataclass
class Tally:
    """What one county union or correspondent did from 1 January to the end
    of the period: the pieces before the period and in it (each piece
    reaches a row once, so these are lists), the points of each, and the
    articles submitted and returned.

    The loop over the pieces only appends a piece and adds its worth here;
    every figure is worked out from these once, when first read.
    """

    # [earlier in the year, in the period]: the pieces published, and
    # {parts: sum of the worth (1/UNIT point) of pieces split that many ways}
    by_part: tuple = field(default_factory=lambda: ([], []))
    shares_by_part: tuple = field(
        default_factory=lambda: (defaultdict(int), defaultdict(int))
    )
    stepped: set = field(default_factory=set)  # submitted in the period
    stepped_year: set = field(default_factory=set)
    returned: set = field(default_factory=set)
    # Shared by all rows: pieces never submitted (they count as submitted
    # when published), and the 图说新闻 items of the period.
    direct: frozenset = frozenset()
    photo_pieces: frozenset = frozenset()

    @property
    def pieces(self):
        return self.by_part[IN_PERIOD]

    @property
    def pieces_before(self):
        return self.by_part[BEFORE]

    @property
    def shares(self):
        return self.shares_by_part[IN_PERIOD]

    @cached_property
    def published(self):
        return set(self.pieces)

    @cached_property
    def submitted(self):
        return self.stepped | (self.published & self.direct)

    @cached_property
    def photos(self):
        return self.published & self.photo_pieces

    @cached_property
    def points(self):
        # Read once the report is built: ranking sorts by it many times.
        return share_points(self.shares)

    @cached_property
    def year(self):
        """From 1 January to the end of the period, for target progress."""
        shares = defaultdict(int, self.shares_by_part[BEFORE])
        for parts, worth in self.shares.items():
            shares[parts] += worth
        direct = self.direct
        return YearFigures(
            submitted=len(self.stepped_year)
            + len(self.published & direct)
            + len(direct.intersection(self.pieces_before)),
            published=len(self.pieces) + len(self.pieces_before),
            points=share_points(shares),
        )


@dataclass(frozen=True)
class YearFigures:
    submitted: int
    published: int
    points: Fraction


def share_points(shares):
    """The exact points of pieces summed by the number of ways they are
    split: one Fraction over the least common multiple of the divisors."""
    if not shares:
        return Fraction(0)
    common = math.lcm(*shares)
    total = sum(worth * (common // parts) for parts, worth in shares.items())
    return Fraction(total, UNIT * common)


@dataclass
class Totals:
    """The totals row: sums of the county rows shown."""

    submitted: int = 0
    published: int = 0
    returned: int = 0
    photos: int = 0
    points: Fraction = Fraction(0)

    @property
    def use_rate(self):
        return percent(self.published, self.submitted)


@dataclass
class Row:
    """One line of a table: the period's tally, the year's so far, target."""

    union: CountyUnion
    author: Author | None = None
    period: Tally = field(default_factory=Tally)
    target: Target | None = None
    rank: int = 0

    @property
    def name(self):
        return self.author.name if self.author else self.union.short_name

    @property
    def year(self):
        return self.period.year

    @property
    def key(self):
        return ("author", self.author.pk) if self.author else ("county", self.union.pk)

    @property
    def submitted(self):
        return len(self.period.submitted)

    @property
    def published(self):
        return len(self.period.published)

    @property
    def returned(self):
        return len(self.period.returned)

    @property
    def photos(self):
        return len(self.period.photos)

    @property
    def points(self):
        return self.period.points

    @property
    def use_rate(self):
        """采用率 in per cent, or None when nothing was submitted."""
        return percent(self.published, self.submitted)

    @property
    def progress(self):
        """Per cent of the year's targets reached so far, by measure."""
        target = self.target
        if target is None:
            return None
        return {
            "submitted": percent(self.year.submitted, target.submitted),
            "published": percent(self.year.published, target.published),
            "points": percent(self.year.points, target.points),
        }

    @property
    def points_progress(self):
        progress = self.progress
        return progress["points"] if progress else None

    def ids(self, measure):
        """The articles behind one figure of the period."""
        if measure == "points":
            return self.period.published
        return getattr(self.period, measure)


@dataclass
class Report:
    period: object
    counties: list
    correspondents: list
    trend: list  # [(month start date, points, published)] for the scope
    elapsed: float  # share of the year passed: 时间进度
    scope: CountyUnion | None = None

    @property
    def totals(self):
        """Sums of the county rows shown (joint pieces count once per county)."""
        total = Totals()
        for row in self.counties:
            for measure in (*MEASURES, "points"):
                setattr(total, measure, getattr(total, measure) + getattr(row, measure))
        return total

    def row(self, kind, pk):
        rows = self.counties if kind == "county" else self.correspondents
        for row in rows:
            if row.key == (kind, pk):
                return row
        return None


def percent(done, target):
    if not target:
        return None
    return round(float(Fraction(done) / Fraction(target)) * 100, 1)


def format_points(value):
    """Points as printed: at most two decimals, no trailing zeros."""
    if value is None:
        return "—"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def format_percent(value):
    """A per cent figure, or — when there was nothing to divide by."""
    return "—" if value is None else f"{value:g}%"


def rank(rows):
    """Order by points then pieces published; equal figures share a rank."""
    # Points as whole numbers over one common denominator: sorting compares
    # integers, not Fractions.
    common = math.lcm(*(row.points.denominator for row in rows))
    figures = {
        id(row): (
            row.points.numerator * (common // row.points.denominator),
            row.published,
        )
        for row in rows
    }
    rows.sort(key=lambda row: tuple(-figure for figure in figures[id(row)]))
    previous, place = None, 0
    for number, row in enumerate(rows, start=1):
        if figures[id(row)] != previous:
            place, previous = number, figures[id(row)]
        row.rank = place
    return rows


def without_cyclic_gc(function):
    """Run `function` with Python's cyclic garbage collector paused.

    A year's report allocates a great many small lists, sets and tuples
    and frees none of them until it ends; each automatic collection
    meanwhile walked every object of the worker, a good part of the
    report's CPU time (figures: docs/performance.md). Nothing here makes
    cycles the collector is needed for; it runs again as usual afterwards.
    """

    @functools.wraps(function)
    def paused(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@without_cyclic_gc
def build_report(period, *, scope=None, now=None):
    """The county and correspondent tables of a period.

    scope: a CountyUnion to keep only its figures (a correspondent's view);
    ranks are still among all counties and all correspondents.
    """
    now = now or timezone.now()
    year_start, end = period.year_bounds_to_end()
    book = RuleBook(PointsRule.objects.all())
    unions = list(CountyUnion.objects.all())
    people = {
        author.pk: author
        for author in Author.objects.filter(county_union__isnull=False)
        .order_by()
        .only("name", "slug", "county_union")
    }
    targets = list(Target.objects.filter(year=period.year))

    pieces = (
        Article.objects.published(at=now)
        .filter(publish_at__gte=year_start, publish_at__lt=end)
        .order_by()
    )
    piece_ids = pieces.values("pk")
    take_ups = defaultdict(list)
    for article_id, level in TakeUp.objects.filter(article__in=piece_ids).values_list(
        "article_id", "level"
    ):
        take_ups[article_id].append(level)
    headlines = set(
        Headline.objects.filter(article__in=piece_ids).values_list(
            "article_id", flat=True
        )
    )
    submit = ArticleTransition.Action.SUBMIT
    in_year = Q(at__gte=year_start, at__lt=end)
    steps = ArticleTransition.objects.filter(
        action__in=[submit, ArticleTransition.Action.RETURN]
    ).order_by()
    # Moments come back as the number of the stretch of time they fall in
    # (between two month starts or rule bounds), not as datetimes: reading
    # and comparing a year of timestamps was a good part of the time.
    months = [
        local_midnight(date(period.year, month, 1))
        for month in range(1, period.last_month + 1)
    ]
    stretches = book.stretches(months, year_start, end)
    # The year's steps, and whether each piece was ever submitted: a piece
    # published without it counts as submitted when published.
    step_rows = list(
        steps.filter(in_year | Q(action=submit, article__in=piece_ids))
        .annotate(stretch=stretch_of("at", stretches, end))
        .values_list("article_id", "action", "stretch")
    )
    ever_submitted = {row[0] for row in step_rows if row[1] == submit}
    piece_rows = list(
        pieces.annotate(stretch=stretch_of("publish_at", stretches, end)).values_list(
            "pk", "stretch", "section__kind", "issue_id"
        )
    )
    found = credited_people(
        [
            pieces,
            Article.objects.filter(pk__in=steps.filter(in_year).values("article")),
        ]
    )
    direct = frozenset(row[0] for row in piece_rows if row[0] not in ever_submitted)
    photo = Section.Kind.PHOTO
    first_month = period.first_month - 1
    photo_pieces = frozenset(
        row[0]
        for row in piece_rows
        if row[2] == photo and row[1] >= 0 and stretches[row[1]][1] >= first_month
    )

    def new_row(union, author=None):
        return Row(union, author, Tally(direct=direct, photo_pieces=photo_pieces))

    counties = {union.pk: new_row(union) for union in unions}
    correspondents = {}

    def author_row(author_id):
        if author_id not in correspondents:
            author = people[author_id]
            correspondents[author_id] = new_row(
                counties[author.county_union_id].union, author
            )
        return correspondents[author_id]

    # Per stretch: (month index, IN_PERIOD or BEFORE, points of its rule).
    stretch_info = [
        (month, IN_PERIOD if month >= first_month else BEFORE, points)
        for _at, month, points in stretches
    ]
    trend = [[0, 0] for _month in months]
    scope_pk = scope.pk if scope is not None else None
    for pk, stretch, kind, issue_id in piece_rows:
        by_county = found.get(pk)
        if not by_county:
            continue
        month_index, part, points = stretch_info[stretch]
        worth = piece_units(
            points,
            kind=kind,
            in_issue=issue_id is not None,
            headline=pk in headlines,
            take_ups=take_ups.get(pk, ()),
        )
        month = trend[month_index]
        counties_count = len(by_county)
        counted = counties_count if scope_pk is None else (scope_pk in by_county)
        if counted:
            month[0] += worth * counted // counties_count
            month[1] += 1
        for county_id, authors in by_county.items():
            # The hot loop of the report: one append and one addition per
            # row a piece reaches.
            tally = counties[county_id].period
            tally.by_part[part].append(pk)
            tally.shares_by_part[part][counties_count] += worth
            parts = counties_count * len(authors)
            for author_id in authors:
                tally = author_row(author_id).period
                tally.by_part[part].append(pk)
                tally.shares_by_part[part][parts] += worth
    for article_id, action, stretch in step_rows:
        if stretch < 0:
            continue
        in_period = stretch_info[stretch][1] == IN_PERIOD
        by_county = found.get(article_id, {})
        for county_id, authors in by_county.items():
            for row in [counties[county_id]] + [author_row(a) for a in authors]:
                if action == submit:
                    row.period.stepped_year.add(article_id)
                    if in_period:
                        row.period.stepped.add(article_id)
                elif in_period:
                    row.period.returned.add(article_id)

    for target in targets:
        if target.author_id is None:
            counties[target.county_union_id].target = target
        elif target.author_id in people:
            author_row(target.author_id).target = target

    county_rows = rank(list(counties.values()))
    author_rows = rank(list(correspondents.values()))
    if scope is not None:
        county_rows = [row for row in county_rows if row.union.pk == scope.pk]
        author_rows = [row for row in author_rows if row.union.pk == scope.pk]
    return Report(
        period=period,
        counties=county_rows,
        correspondents=author_rows,
        trend=[
            (timezone.localtime(month).date(), Fraction(worth, UNIT), count)
            for month, (worth, count) in zip(months, trend, strict=True)
        ],
        elapsed=period.elapsed_share(now),
        scope=scope,
    )


def piece_units(points, *, kind, in_issue, headline, take_ups):
    """One piece's points under one rule's points (RuleBook.points_at)."""
    total = points[KIND_POINTS.get(kind, "news")]
    if in_issue:
        total += points["issue_piece"]
    if headline:
        total += points["headline"]
    for level in take_ups:
        total += points[level]
    return total


def credited_people(article_sets):
    """The people credited on the articles of the given Article querysets,
    in one query: {article id: {county id: {author id, …}}} from bylines,
    gallery photo credits and cover photo credits. People without a county
    union are left out.

    UNION ALL of plain columns: a person credited twice on one article
    (byline and photo) is merged by the sets here, cheaper than the
    database's de-duplication, and no column is an expression Django would
    convert row by row.
    """
    county = {"author__county_union__isnull": False}
    photo_credit = "photo__credit_entries__author"
    cover_credit = "cover_photo__credit_entries__author"
    branches = []
    for articles in article_sets:
        ids = articles.values("pk")
        branches += [
            ArticleAuthor.objects.filter(article__in=ids, **county).values_list(
                "article_id", "author_id", "author__county_union_id"
            ),
            ArticlePhoto.objects.filter(
                article__in=ids, **{f"{photo_credit}__county_union__isnull": False}
            ).values_list("article_id", photo_credit, f"{photo_credit}__county_union"),
            articles.filter(
                **{f"{cover_credit}__county_union__isnull": False}
            ).values_list("pk", cover_credit, f"{cover_credit}__county_union"),
        ]
    first, *rest = [branch.order_by() for branch in branches]
    found = defaultdict(lambda: defaultdict(set))
    for pk, author_id, county_id in first.union(*rest, all=True):
        found[pk][county_id].add(author_id)
    return found


def describe_rules():
    """The text under the tables: how the figures are counted."""
    return _(
        "报送：本期提交审核的稿件（编辑直接发布、未经提交的稿件按发布时间计入）；"
        "采用：本期发布且读者可见的稿件（撤稿不计）；采用率＝采用÷报送；"
        "退回：本期被退回修改的稿件；图片：本期采用的图说新闻条数；"
        "积分按发布日有效的积分规则计算，多个县区合作的稿件按县区数平分积分，"
        "县区内再按署名人数平分；目标进度＝当年截至本期末的完成数÷年度目标。"
    )
