"""The assessment in the admin: rules, targets, take-ups, headlines, ranking."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.admin import VersionAdmin

from articles.models import Article
from articles.readonly_admin import ReadOnlyModelAdmin

from . import charts
from .models import Headline, PointsRule, Ranking, TakeUp, Target
from .periods import Period
from .reports import report_for, workbook_for
from .scoring import MEASURES, describe_rules
from .workbook import CONTENT_TYPE, filename, title

STORIES_PER_PAGE = 100
# The page lists the top correspondents; ?all=1, the workbook and the
# printable page list everyone.
CORRESPONDENT_ROWS = 50
MEASURE_LABELS = {
    "submitted": gettext_lazy("报送"),
    "published": gettext_lazy("采用"),
    "returned": gettext_lazy("退回"),
    "photos": gettext_lazy("图片"),
    "points": gettext_lazy("计分稿件"),
}


class RecordsUserMixin:
    """Stamp who last saved the row (updated_by or created_by)."""

    user_field = "updated_by"

    def save_model(self, request, obj, form, change):
        if self.user_field == "updated_by" or not change:
            setattr(obj, self.user_field, request.user)
        super().save_model(request, obj, form, change)


@admin.register(PointsRule)
class PointsRuleAdmin(RecordsUserMixin, VersionAdmin):
    list_display = [
        "__str__",
        "news",
        "topic",
        "photo",
        "issue_piece",
        "headline",
        "provincial",
        "national",
        "updated_by",
        "updated_at",
    ]
    fieldsets = [
        (gettext_lazy("有效期"), {"fields": ["valid_from", "valid_to", "note"]}),
        (gettext_lazy("每篇稿件的基础分"), {"fields": ["news", "topic", "photo"]}),
        (
            gettext_lazy("加分"),
            {"fields": ["issue_piece", "headline", "provincial", "national"]},
        ),
    ]

    def get_changeform_initial_data(self, request):
        from .models import DEFAULT_POINTS

        return {**DEFAULT_POINTS, **super().get_changeform_initial_data(request)}


@admin.register(Target)
class TargetAdmin(VersionAdmin):
    list_display = [
        "__str__",
        "year",
        "county_union",
        "author",
        "submitted",
        "published",
        "points",
    ]
    list_filter = ["year", "county_union"]
    autocomplete_fields = ["author"]


@admin.register(TakeUp)
class TakeUpAdmin(RecordsUserMixin, admin.ModelAdmin):
    user_field = "created_by"
    list_display = ["article", "outlet", "level", "taken_on", "url"]
    list_filter = ["level"]
    search_fields = ["outlet", "article__title"]
    autocomplete_fields = ["article"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "url":
            kwargs["assume_scheme"] = "https"  # outlets' links are https
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Headline)
class HeadlineAdmin(RecordsUserMixin, admin.ModelAdmin):
    user_field = "created_by"
    list_display = ["article", "placement"]
    list_filter = ["placement"]
    search_fields = ["article__title"]
    autocomplete_fields = ["article"]


def ranking_scope(user):
    """None for those who see every county, else the user's own county.

    Raises PermissionDenied for anyone else, and for a correspondent whose
    account is linked to no county union.
    """
    if user.has_perm("assessment.view_all_rankings"):
        return None
    author = getattr(user, "author", None)
    if user.has_perm("assessment.view_ranking") and author and author.county_union:
        return author.county_union
    raise PermissionDenied


@admin.register(Ranking)
class RankingAdmin(ReadOnlyModelAdmin):
    """The ranking page (通报) in place of a change list, with its export,
    printable page and the stories behind each figure."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export/", view(self.export_view), name="assessment_ranking_export"),
            path("print/", view(self.print_view), name="assessment_ranking_print"),
            path(
                "stories/", view(self.stories_view), name="assessment_ranking_stories"
            ),
            path("", view(self.changelist_view), name="assessment_ranking_changelist"),
        ]

    def _period(self, request):
        """The period asked for (else the current quarter) and the scope."""
        scope = ranking_scope(request.user)
        try:
            period = Period.parse(request.GET.get("period") or "")
        except ValueError as error:
            if request.GET.get("period"):
                messages.error(request, str(error))
            period = Period.current_quarter()
        return period, scope

    def _report(self, request):
        period, scope = self._period(request)
        return report_for(period, scope=scope)

    def changelist_view(self, request, extra_context=None):
        report = self._report(request)
        period = report.period
        chart_rows = report.correspondents[:15] if report.scope else report.counties
        people = report.correspondents
        if request.GET.get("all") != "1":
            people = people[:CORRESPONDENT_ROWS]
        context = {
            **self.admin_site.each_context(request),
            "title": title(report),
            "opts": self.opts,
            "report": report,
            "people_rows": people,
            "people_hidden": len(report.correspondents) - len(people),
            "period": period,
            "periods": {
                "previous": period.shifted(-1),
                "next": period.shifted(1),
                "choices": period.choices,
            },
            "ranking_chart": charts.ranking_chart(chart_rows),
            "chart_of_people": report.scope is not None,
            "trend_chart": charts.trend_chart(report.trend),
            "elapsed": round(report.elapsed * 100, 1),
            "rules_text": describe_rules(),
            "stories_url": reverse("admin:assessment_ranking_stories"),
            "can_change_rules": request.user.has_perm("assessment.change_pointsrule"),
        }
        return TemplateResponse(request, "admin/assessment/ranking.html", context)

    def print_view(self, request):
        report = self._report(request)
        context = {
            "title": title(report),
            "report": report,
            "elapsed": round(report.elapsed * 100, 1),
            "rules_text": describe_rules(),
        }
        return TemplateResponse(request, "admin/assessment/ranking_print.html", context)

    def export_view(self, request):
        period, scope = self._period(request)
        response = HttpResponse(
            workbook_for(period, scope=scope), content_type=CONTENT_TYPE
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{filename(period, scope)}"'
        )
        return response

    def stories_view(self, request):
        report = self._report(request)
        kind, measure = request.GET.get("kind"), request.GET.get("measure")
        try:
            pk = int(request.GET.get("pk", ""))
        except ValueError:
            pk = None
        row = report.row(kind, pk) if kind in ("county", "author") else None
        if row is None or measure not in (*MEASURES, "points"):
            raise Http404(_("没有这一项统计。"))
        articles = (
            Article.objects.filter(pk__in=row.ids(measure))
            .select_related("county_union", "section")
            .only(
                "title",
                "status",
                "publish_at",
                "byline_json",
                "section__name",
                "county_union__short_name",
            )
            .order_by("-publish_at", "-pk")
        )
        page = Paginator(articles, STORIES_PER_PAGE).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(name)s · %(period)s · %(measure)s")
            % {
                "name": row.name,
                "period": report.period.label,
                "measure": MEASURE_LABELS[measure],
            },
            "opts": self.opts,
            "row": row,
            "page": page,
            "period": report.period,
            "ranking_url": reverse("admin:assessment_ranking_changelist"),
        }
        return TemplateResponse(request, "admin/assessment/stories.html", context)
