"""Refused and missing admin pages in Chinese, inside the admin's frame.

Readers (and anyone not logged in as staff) get the site's own pages.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import defaults


def _in_admin(request):
    user = getattr(request, "user", None)
    return (
        user is not None
        and user.is_staff
        and request.path.startswith(reverse("admin:index"))
    )


# Status → (title, message) of the admin's own error page.
ADMIN_PAGES = {
    403: (
        gettext_lazy("没有权限"),
        gettext_lazy(
            "您的账号不能查看此页面或进行此操作。如需这项权限，请联系编辑部。"
        ),
    ),
    404: (
        gettext_lazy("页面不存在"),
        gettext_lazy("要找的页面或稿件不存在，可能已被删除。"),
    ),
}


def _admin_page(request, status):
    title, message = ADMIN_PAGES[status]
    context = {**admin.site.each_context(request), "title": title, "message": message}
    return TemplateResponse(
        request, "admin/error_page.html", context, status=status
    ).render()


def permission_denied(request, exception=None):
    if _in_admin(request):
        return _admin_page(request, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if _in_admin(request):
        return _admin_page(request, 404)
    return defaults.page_not_found(request, exception)
