"""The editorial desk: review queue, schedule, and county statistics."""

import csv
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import CountyUnion
from security.text import clean_text

from .models import (
    Article,
    ArticleAuthor,
    ArticlePhoto,
    ArticleTransition,
    PendingChange,
    Photo,
)

DESK_ROWS = 20
RECENT_ROWS = 10
# Months outside these years are typing mistakes (and year 1 would overflow
# when shifted to UTC).
MIN_YEAR, MAX_YEAR = 1949, 2999


def parse_month(value):
    """The first day of a "YYYY-MM" month; this month when missing or bad."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if MIN_YEAR <= year <= MAX_YEAR:
            return date(year, month, 1)
    except ValueError:
        pass
    return timezone.localdate().replace(day=1)


def month_bounds(month):
    """Aware start and end (exclusive) of a month in the site's time zone."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return (
        timezone.make_aware(datetime.combine(month, datetime.min.time())),
        timezone.make_aware(datetime.combine(following, datetime.min.time())),
    )


@dataclass
class CountyRow:
    union: CountyUnion | None
    submitted: int = 0
    published: int = 0
    returned: int = 0
    photos: int = 0

    @property
    def name(self):
        return self.union.short_name if self.union else _("未注明县区")


def county_statistics(month):
    """One row per county union (and one for stories with none) for a month.

    Submitted and returned count stories that went through that step in the
    month; published counts stories whose publish time falls in it and that
    readers can see; photos counts photos in those published stories that
    credit a photographer of the union. Four queries whatever the numbers.
    """
    start, end = month_bounds(month)
    rows = {union.pk: CountyRow(union) for union in CountyUnion.objects.all()}
    rows[None] = CountyRow(None)
    steps = (
        ArticleTransition.objects.filter(at__gte=start, at__lt=end)
        .values("article__county_union")
        .annotate(
            submitted=Count(
                "article",
                filter=Q(action=ArticleTransition.Action.SUBMIT),
                distinct=True,
            ),
            returned=Count(
                "article",
                filter=Q(action=ArticleTransition.Action.RETURN),
                distinct=True,
            ),
        )
    )
    for step in steps:
        row = rows[step["article__county_union"]]
        row.submitted, row.returned = step["submitted"], step["returned"]
    published = Article.objects.published().filter(
        publish_at__gte=start, publish_at__lt=end
    )
    for entry in published.values("county_union").annotate(count=Count("pk")):
        rows[entry["county_union"]].published = entry["count"]
    # The month's photos by id first: OR-ing the two uses made PostgreSQL
    # read every photo of every year.
    in_gallery = ArticlePhoto.objects.filter(article__in=published).order_by()
    used = (
        published.exclude(cover_photo=None)
        .order_by()
        .values("cover_photo")
        .union(in_gallery.values("photo"))
    )
    photos = (
        Photo.objects.filter(pk__in=used)
        .values("credits__county_union")
        .annotate(count=Count("pk", distinct=True))
    )
    for entry in photos:
        union = entry["credits__county_union"]
        if union in rows:
            rows[union].photos = entry["count"]
    return list(rows.values())


def statistics_csv(month):
    """The month's county statistics as a CSV file Excel opens in Chinese."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="county-statistics-{month:%Y-%m}.csv"'
    )
    response.write("\ufeff")  # the BOM tells Excel the file is UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [_("县级工会"), _("月份"), _("提交"), _("发布"), _("退回"), _("图片署名")]
    )
    for row in county_statistics(month):
        writer.writerow(
            [
                clean_text(row.name, single_line=True),
                f"{month:%Y-%m}",
                row.submitted,
                row.published,
                row.returned,
                row.photos,
            ]
        )
    return response


def desk(month):
    """Everything the editors' admin index shows, in a fixed number of queries."""
    submitted_at = Max(
        "transitions__at", filter=Q(transitions__action=ArticleTransition.Action.SUBMIT)
    )
    listing = Article.objects.select_related("county_union").only(
        "title", "status", "publish_at", "updated_at", "county_union__short_name"
    )
    return {
        "awaiting_review": listing.awaiting_review()
        .annotate(submitted_at=submitted_at)
        .order_by("submitted_at", "updated_at")[:DESK_ROWS],
        "scheduled": listing.scheduled().order_by("publish_at")[:DESK_ROWS],
        "recently_published": listing.published().order_by("-publish_at")[:RECENT_ROWS],
        # Live stories whose edits wait for 更新发布 (articles/pending.py).
        "pending_changes": PendingChange.objects.select_related(
            "article__county_union", "updated_by__author"
        )
        .only(
            "updated_at",
            "article__title",
            "article__county_union__short_name",
            "updated_by__username",
            "updated_by__first_name",
            "updated_by__last_name",
            "updated_by__author__name",
        )
        .order_by("-updated_at")[:DESK_ROWS],
        "month": month,
        "county_rows": county_statistics(month),
    }


MY_ROWS = 20


def my_articles(user):
    """A writer's own stories for the admin index: returned ones first, then
    drafts, those in review, and the rest; newest edit first within each.

    Own means created by the user or carrying the user's byline. Two queries
    (the stories, then the count of returned ones comes from them).
    """
    own = Q(created_by=user.pk) | Q(
        pk__in=ArticleAuthor.objects.filter(author__user=user.pk).values("article")
    )
    action, status = ArticleTransition.Action, Article.Status
    return list(
        Article.objects.filter(own)
        .select_related("county_union")
        .only(
            "title", "status", "publish_at", "updated_at", "county_union__short_name"
        )
        .with_desk_status()
        .annotate(
            desk_order=Case(
                When(last_action=action.RETURN, then=Value(0)),
                When(status=status.DRAFT, then=Value(1)),
                When(status=status.REVIEW, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("desk_order", "-updated_at", "-pk")[:MY_ROWS]
    )


def my_photos(user):
    """A photographer's newest uploads, and how many placeholders wait for
    their original across the library."""
    return {
        "my_photos": list(
            Photo.objects.filter(uploaded_by=user.pk).only(
                "caption", "created_at", "awaiting_original", "county_union"
            )[:MY_ROWS]
        ),
        "awaiting_count": Photo.objects.awaiting_original().count(),
    }
