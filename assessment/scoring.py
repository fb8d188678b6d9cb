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
return steps, the people credited on those articles (one UNION of bylines,
cover credits and gallery credits), the rules, unions, correspondents and
targets. The database filters and joins; the shares are added up here,
because each piece's split depends on the set of counties found through
three different relations, which the ORM cannot group over in one UNION.
"""

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleTransition,
    Author,
    PhotoCredit,
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


class RuleBook:
    """The points of each date: the covering PointsRule, else the defaults."""

    def __init__(self, rules):
        self.rules = sorted(rules, key=lambda rule: rule.valid_from)
        self.starts = [rule.valid_from for rule in self.rules]
        self.default = {k: Fraction(v) for k, v in DEFAULT_POINTS.items()}
        self.by_date = {}

    def points_on(self, day):
        if day not in self.by_date:
            found = self.default
            at = bisect.bisect_right(self.starts, day) - 1
            if at >= 0:
                rule = self.rules[at]
                if rule.valid_to is None or rule.valid_to >= day:
                    found = {k: Fraction(v) for k, v in rule.points().items()}
            self.by_date[day] = found
        return self.by_date[day]


@dataclass
class Tally:
    """Figures of one county union or correspondent over some time."""

    submitted: set = field(default_factory=set)
    published: set = field(default_factory=set)
    returned: set = field(default_factory=set)
    photos: set = field(default_factory=set)
    points: Fraction = Fraction(0)


@dataclass
class Row:
    """One line of a table: the period's tally, the year's so far, target."""

    union: CountyUnion
    author: Author | None = None
    period: Tally = field(default_factory=Tally)
    year: Tally = field(default_factory=Tally)
    target: Target | None = None
    rank: int = 0

    @property
    def name(self):
        return self.author.name if self.author else self.union.short_name

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
            "submitted": percent(len(self.year.submitted), target.submitted),
            "published": percent(len(self.year.published), target.published),
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
        total = Tally()
        for row in self.counties:
            for measure in MEASURES:
                getattr(total, measure).update(
                    (row.union.pk, pk) for pk in getattr(row.period, measure)
                )
            total.points += row.points
        return Row(union=None, period=total)

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
    rows.sort(key=lambda row: (-row.points, -row.published))
    previous, place = None, 0
    for number, row in enumerate(rows, start=1):
        figures = (row.points, row.published)
        if figures != previous:
            place, previous = number, figures
        row.rank = place
    return rows


def build_report(period, *, scope=None, now=None):
    """The county and correspondent tables of a period.

    scope: a CountyUnion to keep only its figures (a correspondent's view);
    ranks are still among all counties and all correspondents.
    """
    now = now or timezone.now()
    year_start, end = period.year_bounds_to_end()
    start = period.bounds()[0]
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
    submit = ArticleTransition.Action.SUBMIT
    piece_rows = pieces.annotate(
        was_submitted=Exists(
            ArticleTransition.objects.filter(article=OuterRef("pk"), action=submit)
        )
    ).values_list("pk", "publish_at", "section__kind", "issue_id", "was_submitted")
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
    steps = ArticleTransition.objects.filter(
        action__in=[submit, ArticleTransition.Action.RETURN],
        at__gte=year_start,
        at__lt=end,
    ).order_by()
    step_rows = list(steps.values_list("article_id", "action", "at"))
    credits = credited_people(Q(pk__in=piece_ids) | Q(pk__in=steps.values("article")))

    counties = {union.pk: Row(union) for union in unions}
    correspondents = {}

    def author_row(author_id):
        if author_id not in correspondents:
            author = people[author_id]
            correspondents[author_id] = Row(
                counties[author.county_union_id].union, author=author
            )
        return correspondents[author_id]

    def tallies(moment):
        return ("year", "period") if moment >= start else ("year",)

    trend = defaultdict(lambda: [Fraction(0), 0])
    for pk, publish_at, kind, issue_id, was_submitted in piece_rows:
        local = timezone.localtime(publish_at)
        points = piece_points(
            book.points_on(local.date()),
            kind=kind,
            in_issue=issue_id is not None,
            headline=pk in headlines,
            take_ups=take_ups.get(pk, ()),
        )
        by_county = credits.get(pk, {})
        month = local.date().replace(day=1)
        in_scope = [c for c in by_county if scope is None or c == scope.pk]
        if in_scope:
            trend[month][0] += points * len(in_scope) / len(by_county)
            trend[month][1] += 1
        for county_id, authors in by_county.items():
            share = points / len(by_county)
            targets_of = [counties[county_id]] + [author_row(a) for a in authors]
            for row in targets_of:
                part = share if row.author is None else share / len(authors)
                for name in tallies(publish_at):
                    tally = getattr(row, name)
                    tally.points += part
                    tally.published.add(pk)
                    if kind == Section.Kind.PHOTO:
                        tally.photos.add(pk)
                    if not was_submitted:
                        tally.submitted.add(pk)
    for article_id, action, at in step_rows:
        measure = "submitted" if action == submit else "returned"
        for county_id, authors in credits.get(article_id, {}).items():
            for row in [counties[county_id]] + [author_row(a) for a in authors]:
                for name in tallies(at):
                    getattr(getattr(row, name), measure).add(article_id)

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
    months = [date(period.year, month, 1) for month in range(1, period.last_month + 1)]
    return Report(
        period=period,
        counties=county_rows,
        correspondents=author_rows,
        trend=[(month, trend[month][0], trend[month][1]) for month in months],
        elapsed=period.elapsed_share(now),
        scope=scope,
    )


def piece_points(points, *, kind, in_issue, headline, take_ups):
    """One piece's points under one rule's points (a {name: Fraction})."""
    total = points[KIND_POINTS.get(kind, "news")]
    if in_issue:
        total += points["issue_piece"]
    if headline:
        total += points["headline"]
    for level in take_ups:
        total += points[level]
    return total


def credited_people(articles):
    """{article id: {county id: {author id, …}}} of the articles matching the
    Q `articles`, from bylines and the photo credits of cover and gallery."""
    county = {"author__county_union__isnull": False}
    bylines = ArticleAuthor.objects.filter(
        article__in=Article.objects.filter(articles).values("pk"), **county
    ).values_list("article_id", "author_id", "author__county_union_id")
    bylines = bylines.order_by()
    covers = PhotoCredit.objects.filter(
        photo__cover_of__in=Article.objects.filter(articles).values("pk"), **county
    ).values_list("photo__cover_of", "author_id", "author__county_union_id")
    covers = covers.order_by()
    galleries = PhotoCredit.objects.filter(
        photo__gallery_entries__article__in=Article.objects.filter(articles).values(
            "pk"
        ),
        **county,
    ).values_list(
        "photo__gallery_entries__article", "author_id", "author__county_union_id"
    )
    found = defaultdict(lambda: defaultdict(set))
    galleries = galleries.order_by()
    for article_id, author_id, county_id in bylines.union(covers, galleries):
        found[article_id][county_id].add(author_id)
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
