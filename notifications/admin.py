"""Each staff member's own notices, inside the admin (通知)."""

from django.contrib import admin
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.readonly_admin import ReadOnlyModelAdmin

from .models import Notification, catch_up_went_live


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    """A read-only list of the user's notices; opening one marks it read."""

    change_list_template = "admin/notifications/notification/change_list.html"
    list_display = ["notice", "kind", "created_at"]
    list_display_links = None
    list_filter = ["kind"]
    list_per_page = 50
    actions = None

    # Every staff member sees their own notices and nothing else.

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or obj.recipient_id == request.user.pk
        )

    def has_delete_permission(self, request, obj=None):
        # Notices go with their story: deleting a draft must not be refused
        # for the notices it had. Each person reaches only their own here.
        return self.has_module_permission(request)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .for_user(request.user)
            .select_related("article", "transition__by__author")
        )

    @admin.display(description=_("通知"))
    def notice(self, notification):
        url = reverse("admin:notifications_notification_open", args=[notification.pk])
        return format_html(
            '<a href="{}" class="notice{}">{}</a>{}',
            url,
            "" if notification.read_at else " unread",
            notification.text,
            format_html(' <span class="unread-mark">{}</span>', _("未读"))
            if not notification.read_at
            else "",
        )

    def changelist_view(self, request, extra_context=None):
        catch_up_went_live(request.user)
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/open/",
                view(self.open_view),
                name="notifications_notification_open",
            ),
            path(
                "read-all/",
                view(self.read_all_view),
                name="notifications_notification_read_all",
            ),
            path(
                "unread.json",
                view(self.unread_view),
                name="notifications_notification_unread",
            ),
            *super().get_urls(),
        ]

    def open_view(self, request, pk):
        """Mark the notice read and go to its story."""
        notification = get_object_or_404(
            Notification.objects.for_user(request.user), pk=pk
        )
        Notification.objects.filter(pk=notification.pk).mark_read()
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[notification.article_id])
        )

    def read_all_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        Notification.objects.for_user(request.user).mark_read()
        return HttpResponseRedirect(
            reverse("admin:notifications_notification_changelist")
        )

    def unread_view(self, request):
        """The header's unread count (fetched by static/js/notifications.js,
        so admin pages themselves spend no query on it)."""
        catch_up_went_live(request.user)
        count = Notification.objects.for_user(request.user).unread().count()
        return JsonResponse({"unread": count})
