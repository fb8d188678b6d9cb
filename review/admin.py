"""Admin: the term list and the 发稿记录 desk with its exports."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from articles.readonly_admin import ReadOnlyModelAdmin

from . import audit
from .models import PublicationRecord, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["word", "level", "suggestion", "note", "updated_at"]
    list_filter = ["level"]
    search_fields = ["word", "suggestion", "note"]
    fields = ["word", "level", "suggestion", "note"]


@admin.register(PublicationRecord)
class PublicationRecordAdmin(ReadOnlyModelAdmin):
    """发稿记录 for a period, with .xlsx and CSV exports; records are read-only."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "export.xlsx",
                view(self.export_view),
                {"kind": "xlsx"},
                name="review_publicationrecord_xlsx",
            ),
            path(
                "export.csv",
                view(self.export_view),
                {"kind": "csv"},
                name="review_publicationrecord_csv",
            ),
            *super().get_urls(),
        ]

    def _period(self, request):
        (first, last), error = audit.parse_period(
            request.GET.get("start", ""), request.GET.get("end", "")
        )
        return first, last, error

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        first, last, error = self._period(request)
        if error:
            messages.warning(request, error)
        records = audit.records_between(first, last)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("发稿记录"),
            "first": first,
            "last": last,
            "header": audit.header(),
            "rows": list(audit.rows(records)),
            "query": f"start={first:%Y-%m-%d}&end={last:%Y-%m-%d}",
        }
        return TemplateResponse(
            request, "admin/review/publicationrecord/audit.html", context
        )

    def export_view(self, request, kind):
        if not self.has_view_permission(request):
            raise PermissionDenied
        first, last, _error = self._period(request)
        records = audit.records_between(first, last)
        if kind == "xlsx":
            return audit.xlsx_response(records, first, last)
        return audit.csv_response(records, first, last)
