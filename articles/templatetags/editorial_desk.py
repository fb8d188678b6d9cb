from django import template

from .. import desk
from ..roles import display_name

register = template.Library()


@register.inclusion_tag("admin/articles/editorial_desk.html", takes_context=True)
def editorial_desk(context):
    """The editors' desk on the admin index; nothing for other roles."""
    request = context["request"]
    if not request.user.has_perm("articles.view_county_statistics"):
        return {"show": False}
    month = desk.parse_month(request.GET.get("month"))
    return {"show": True, **desk.desk(month)}


@register.filter
def staff_name(user):
    """A staff member's name in Chinese order, else the username."""
    return display_name(user)


@register.inclusion_tag("admin/articles/my_work.html", takes_context=True)
def my_work(context):
    """Each writer's and photographer's own work at the top of the admin index.

    Editors get the desk (editorial_desk) instead.
    """
    user = context["request"].user
    shown = {"show_articles": False, "show_photos": False}
    if user.has_perm("articles.view_county_statistics"):
        return shown
    if user.has_perm("articles.add_article"):
        shown.update(show_articles=True, my_articles=desk.my_articles(user))
    if user.has_perm("articles.add_photo"):
        shown.update(show_photos=True, **desk.my_photos(user))
    return shown
